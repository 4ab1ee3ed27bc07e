"""Celery tasks of the meetings app: each takes a row id, and the service does the work.

Retries are counted on the row (attempts, last error, next attempt), not by Celery, so the
session page and the admin show them. Without a broker (the embedded default) tasks run
in-process, where a retry cannot wait: the row stays waiting with its next attempt time,
and core.queue's periodic sweep (or staff's "retry") picks it up.
"""

from __future__ import annotations

from core.queue import portal_task

from .services.notices import notice_deliver, notices_queue_reminders
from .services.teams import Outcome, teams_request_execute


@portal_task(bind=True, retry_on=())
def run_teams_request(self, request_id: int) -> str:
    result = teams_request_execute(request_id=request_id, claimant=self.request.id or "")
    if result.outcome is Outcome.RETRY:
        self.wait_and_retry(result.retry_in)
    return result.outcome.value


@portal_task
def send_participant_notice(notice_id: int) -> str:
    """Hands the notice to the outbox, which sends and retries it (notifications)."""
    retry_in = notice_deliver(notice_id=notice_id)
    return "retry" if retry_in is not None else "done"


@portal_task
def queue_session_reminders() -> int:
    return len(notices_queue_reminders())
