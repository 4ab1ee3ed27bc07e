"""The session's progress tracker: each step done, skipped or pending, from what was
recorded (issue 16 item 2).

The status alone cannot say this: it only moves forward, so a session recorded as held
had "passed" the connection test and "scheduled" although the test was waived and Teams
never confirmed a meeting. Each step here is read from its own record: the test recorded
or waived, the Teams meeting Teams confirmed or a skip with its reason.

Reads the session's prefetched `teams_meetings` (`selectors.session_get`): no query, but
for a cancelled session, whose history says which steps it had reached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from .access import can_run
from .models import Session, TeamsMeeting

if TYPE_CHECKING:  # a dev-only package: the type of a lazily translated text
    from django_stubs_ext import StrOrPromise

DONE, SKIPPED, PENDING = "done", "skipped", "pending"
STATE_LABELS = {DONE: _("done"), SKIPPED: _("skipped"), PENDING: _("pending")}

STEP_LABELS = {
    "planned": _("Planned"),
    "city_invited": _("Cities invited"),
    "city_confirmed": _("Cities confirmed"),
    "connection_test": _("Connection test"),
    "teams_meeting": _("Teams meeting"),
    "held": _("Held"),
    "reported": _("Reported to executives"),
}
# A session can go without these: the cities may host the meeting themselves, and a test
# may be needless (the same room and link as last time). The others make the session.
SKIPPABLE_STEPS = frozenset({"connection_test", "teams_meeting"})


@dataclass(frozen=True)
class ProgressStep:
    key: str
    state: str
    at: dt.datetime | None = None
    by: User | None = None  # the user who recorded or skipped it, when known
    reason: str = ""  # why it was skipped
    note: str = ""  # why a step is still pending, when the portal knows

    @property
    def label(self) -> str:
        return str(STEP_LABELS[self.key])

    @property
    def by_name(self) -> str:
        if self.by is None:
            return ""
        return self.by.get_full_name() or self.by.get_username()

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def is_done(self) -> bool:
        return self.state == DONE

    @property
    def is_skipped(self) -> bool:
        return self.state == SKIPPED

    @property
    def is_pending(self) -> bool:
        return self.state == PENDING


def _reached(session: Session, status: str) -> str:
    if session.has_reached(status):
        return DONE
    # A cancelled session's status no longer says how far it went; its history does.
    if session.is_cancelled and session.history.filter(status=status).exists():
        return DONE
    return PENDING


def _connection_test(session: Session) -> ProgressStep:
    if session.connection_test_done_at:
        return ProgressStep(
            "connection_test",
            DONE,
            at=session.connection_test_done_at,
            by=session.connection_test_done_by,
        )
    if session.connection_test_waived_reason.strip():
        return ProgressStep(
            "connection_test",
            SKIPPED,
            by=session.connection_test_waived_by,
            reason=session.connection_test_waived_reason,
        )
    return ProgressStep("connection_test", PENDING)


def _teams_meeting(session: Session) -> ProgressStep:
    meeting = next(
        (m for m in session.teams_meetings.all() if m.purpose == TeamsMeeting.Purpose.SESSION),
        None,
    )
    # Done only once Teams confirmed the meeting: asking for it is not having it.
    if meeting is not None and meeting.state == TeamsMeeting.State.ACTIVE:
        return ProgressStep("teams_meeting", DONE)
    if session.teams_meeting_skipped_reason.strip():
        return ProgressStep(
            "teams_meeting",
            SKIPPED,
            at=session.teams_meeting_skipped_at,
            by=session.teams_meeting_skipped_by,
            reason=session.teams_meeting_skipped_reason,
        )
    note: StrOrPromise = ""
    if meeting is not None and meeting.state == TeamsMeeting.State.REQUESTED:
        note = _("Waiting for Teams to confirm")
    elif meeting is not None and meeting.state == TeamsMeeting.State.FAILED:
        note = _("Teams failed: retry, or skip the step with a reason")
    return ProgressStep("teams_meeting", PENDING, note=str(note))


def session_progress(session: Session) -> list[ProgressStep]:
    """The steps of a session in their order, each done, skipped or pending."""
    Status = Session.Status
    return [
        ProgressStep("planned", DONE, at=session.created_at),
        ProgressStep("city_invited", _reached(session, Status.CITY_INVITED)),
        ProgressStep("city_confirmed", _reached(session, Status.CITY_CONFIRMED)),
        _connection_test(session),
        _teams_meeting(session),
        ProgressStep("held", DONE if session.is_held else PENDING),
        ProgressStep("reported", DONE if session.status == Status.REPORTED else PENDING),
    ]


def can_skip_step(user, session: Session, step: ProgressStep) -> bool:
    """Those who run the meetings skip a step that may be skipped and is still pending,
    on a session not cancelled (the test only before the session is held: holding it
    needs the test recorded or waived)."""
    if step.key not in SKIPPABLE_STEPS or step.state != PENDING or session.is_cancelled:
        return False
    if step.key == "connection_test" and session.is_held:
        return False
    return can_run(user)


def status_undo_target(session: Session) -> str | None:
    """The status an undo goes back to, or None where the state machine does not go
    back: an invitation until the cities confirm; a confirmation until a connection test
    or Teams meeting was asked for (or the test waived or recorded), as these were sent
    to the cities on its strength. Held, reported and cancelled are final."""
    Status = Session.Status
    if session.status == Status.CITY_INVITED:
        return Status.PLANNED
    if session.status == Status.CITY_CONFIRMED:
        test_touched = bool(
            session.connection_test_starts_at
            or session.connection_test_done_at
            or session.connection_test_waived_reason.strip()
        )
        if test_touched or any(m.is_live for m in session.teams_meetings.all()):
            return None
        return Status.CITY_INVITED
    return None
