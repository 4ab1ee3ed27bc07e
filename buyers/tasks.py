"""The buyers' background work: a lead's follow-up meeting asked of Teams."""

from __future__ import annotations

from core.queue import portal_task

from .meetings_leads import follow_up_meeting_execute


# The row counts its own tries (attempts, next_attempt_at), as the sessions' Teams requests.
@portal_task(bind=True, retry_on=())
def run_follow_up_meeting(self, meeting_id: int) -> str:
    wait = follow_up_meeting_execute(meeting_id=meeting_id)
    if wait is not None:
        self.wait_and_retry(wait)
        return "retry"
    return "done"
