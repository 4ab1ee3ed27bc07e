"""Which step a session, its Teams meetings and their requests may take next, read from
their status. The services enforce the same order (services/sessions.py); the pages use
these rules only to decide which buttons and notes to show, so that no template compares
a status. Who may act is meetings.access."""

from __future__ import annotations

from .models import Session, TeamsMeeting, TeamsMeetingRequest

Status = Session.Status


def awaits_city_invitation(session: Session) -> bool:
    return session.status == Status.PLANNED


def awaits_city_confirmation(session: Session) -> bool:
    return session.status == Status.CITY_INVITED


def may_record_held(session: Session) -> bool:
    """Once the cities confirmed, until the session is held or cancelled."""
    return not session.is_closed and session.has_reached(Status.CITY_CONFIRMED)


def may_mark_reported(session: Session) -> bool:
    return session.status == Status.HELD


def progress_steps(session: Session) -> list[tuple[str, str, bool]]:
    """The forward steps (value, label, whether it is the current one); a cancelled
    session is at none of them."""
    return [(value, Status(value).label, session.status == value) for value in Session.STATUS_ORDER]


def is_joinable(meeting: TeamsMeeting) -> bool:
    """Teams created the meeting and gave its link."""
    return bool(meeting.join_url) and meeting.state == TeamsMeeting.State.ACTIVE


def request_waits(request: TeamsMeetingRequest) -> bool:
    """Not yet sent to Teams, or to be sent again."""
    return request.status == TeamsMeetingRequest.Status.PENDING
