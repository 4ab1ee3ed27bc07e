"""A session's life: dates, cities, the status that only moves forward, Teams meetings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cities.models import SisterCity
from core.audit import save_audited

from ..models import Session, TeamsMeeting
from .teams import (
    teams_meeting_request_cancel,
    teams_meeting_request_create,
    teams_meetings_follow_session,
)
from .workplan import workplan_follow_session, workplan_tick_automatically

Status = Session.Status
Purpose = TeamsMeeting.Purpose
MIN_SESSION = dt.timedelta(minutes=30)
MAX_SESSION = dt.timedelta(hours=8)


def _lock(session_id: int) -> Session:
    return Session.objects.select_for_update().select_related("year").get(pk=session_id)


def _refuse_if_closed(session: Session) -> None:
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled."))
    if session.is_held:
        raise ValidationError(_("This session has already been held."))


def _move_status(session: Session, to: str, acting_user, reason: str = "") -> None:
    """Forward only: a later status is never replaced by an earlier one."""
    if Session.rank(to) <= Session.rank(session.status):
        return
    session.status = to
    session.status_changed_at = timezone.now()
    save_audited(session, acting_user=acting_user, reason=reason or f"status → {to}")


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime, *, is_test: bool) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("Session times must be time-zone aware.")
    if ends_at <= starts_at:
        raise ValidationError(
            _("The connection test must end after it starts.")
            if is_test
            else _("The session must end after it starts.")
        )
    if starts_at <= timezone.now():
        raise ValidationError(
            _("The connection test cannot start in the past.")
            if is_test
            else _("The session cannot start in the past.")
        )


@transaction.atomic
def session_update_details(
    *,
    session_id: int,
    cities: Iterable[SisterCity],
    organizer_mailbox: str,
    acting_user: User,
) -> Session:
    session = _lock(session_id)
    _refuse_if_closed(session)
    cities = list(cities)
    if not cities:
        raise ValidationError(_("Choose at least one sister city."))
    removed = set(session.cities.values_list("pk", flat=True)) - {c.pk for c in cities}
    blocking = session.city_participants.filter(city_id__in=removed).select_related("city").first()
    if blocking:
        raise ValidationError(
            _("Remove the participants from %(city)s first.") % {"city": blocking.city.name}
        )
    if (
        organizer_mailbox != session.organizer_mailbox
        and session.teams_meetings.filter(
            state__in=[TeamsMeeting.State.REQUESTED, TeamsMeeting.State.ACTIVE]
        ).exists()
    ):
        raise ValidationError(
            _("The organiser cannot change while a Teams meeting exists: cancel it first.")
        )
    session.organizer_mailbox = organizer_mailbox
    save_audited(session, acting_user=acting_user, reason="details")
    session.cities.set(cities)
    # The Teams subject names the cities.
    teams_meetings_follow_session(
        session=session,
        purposes=(Purpose.SESSION, Purpose.CONNECTION_TEST),
        acting_user=acting_user,
    )
    return session


@transaction.atomic
def session_reschedule(
    *,
    session_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    acting_user: User | None,
) -> Session:
    """Move the session. A Teams meeting already asked for follows automatically; the open
    work plan steps follow to the new month."""
    session = _lock(session_id)
    _refuse_if_closed(session)
    _check_times(starts_at, ends_at, is_test=False)
    if not MIN_SESSION <= ends_at - starts_at <= MAX_SESSION:
        raise ValidationError(_("A session lasts between 30 minutes and 8 hours."))
    if not session.year.fiscal.contains(starts_at):
        raise ValidationError(
            _("The session must take place within %(year)s.") % {"year": session.year.fiscal}
        )
    test_end = session.connection_test_ends_at
    if test_end and test_end > starts_at and not session.connection_test_done_at:
        raise ValidationError(
            _("Move the connection test first: it must end before the session starts.")
        )
    if (starts_at, ends_at) == (session.starts_at, session.ends_at):
        return session
    session.starts_at, session.ends_at = starts_at, ends_at
    session.sequence += 1
    save_audited(session, acting_user=acting_user, reason="rescheduled")
    workplan_follow_session(session=session, acting_user=acting_user)
    teams_meetings_follow_session(
        session=session, purposes=(Purpose.SESSION,), acting_user=acting_user
    )
    return session


@transaction.atomic
def session_mark_city_invited(*, session_id: int, acting_user: User) -> Session:
    session = _lock(session_id)
    _refuse_if_closed(session)
    if not session.cities.exists():
        raise ValidationError(_("Choose the sister cities before inviting them."))
    if session.has_reached(Status.CITY_INVITED):
        raise ValidationError(_("The cities were already invited."))
    _move_status(session, Status.CITY_INVITED, acting_user)
    workplan_tick_automatically(
        session=session, number=4, acting_user=acting_user, note="city invited"
    )
    return session


@transaction.atomic
def session_mark_city_confirmed(*, session_id: int, acting_user: User) -> Session:
    session = _lock(session_id)
    _refuse_if_closed(session)
    if not session.has_reached(Status.CITY_INVITED):
        raise ValidationError(_("Invite the cities before recording their confirmation."))
    if session.has_reached(Status.CITY_CONFIRMED):
        raise ValidationError(_("The cities have already confirmed."))
    _move_status(session, Status.CITY_CONFIRMED, acting_user)
    return session


def _require_confirmed(session: Session) -> None:
    if not session.has_reached(Status.CITY_CONFIRMED):
        raise ValidationError(_("Schedule the Teams meeting once the cities have confirmed."))


@transaction.atomic
def session_schedule(*, session_id: int, acting_user: User | None) -> Session:
    """Ask Teams for the session's meeting; the session is then scheduled."""
    session = _lock(session_id)
    _refuse_if_closed(session)
    _require_confirmed(session)
    if not session.starts_at or not session.ends_at:
        raise ValidationError(_("Set the date and time of the session first."))
    if session.starts_at <= timezone.now():
        raise ValidationError(_("The session cannot start in the past."))
    teams_meeting_request_create(session=session, purpose=Purpose.SESSION, acting_user=acting_user)
    _move_status(session, Status.SCHEDULED, acting_user)
    return session


@transaction.atomic
def connection_test_schedule(
    *,
    session_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    acting_user: User,
) -> Session:
    """Set the connection test's time and ask Teams for its (shorter) meeting, or move it."""
    session = _lock(session_id)
    _refuse_if_closed(session)
    _require_confirmed(session)
    _check_times(starts_at, ends_at, is_test=True)
    if session.starts_at and ends_at > session.starts_at:
        raise ValidationError(_("The connection test must end before the session starts."))
    if session.connection_test_done_at:
        raise ValidationError(_("The connection test was already done."))
    session.connection_test_starts_at, session.connection_test_ends_at = starts_at, ends_at
    session.connection_test_sequence += 1  # RFC 5545: every change raises SEQUENCE
    save_audited(session, acting_user=acting_user, reason="connection test scheduled")
    meeting = session.teams_meetings.filter(purpose=Purpose.CONNECTION_TEST).first()
    if meeting and meeting.is_live:
        teams_meetings_follow_session(
            session=session, purposes=(Purpose.CONNECTION_TEST,), acting_user=acting_user
        )
    else:
        teams_meeting_request_create(
            session=session, purpose=Purpose.CONNECTION_TEST, acting_user=acting_user
        )
    return session


@transaction.atomic
def connection_test_cancel(*, session_id: int, reason: str, acting_user: User):
    session = _lock(session_id)
    _refuse_if_closed(session)
    if not reason.strip():
        raise ValidationError(_("Give a reason for cancelling."))
    meeting = (
        session.teams_meetings.select_for_update().filter(purpose=Purpose.CONNECTION_TEST).first()
    )
    if not session.connection_test_starts_at and not (meeting and meeting.is_live):
        raise ValidationError(_("No connection test is scheduled."))
    if meeting:
        teams_meeting_request_cancel(meeting=meeting, comment=reason, acting_user=acting_user)
    session.connection_test_starts_at = session.connection_test_ends_at = None
    session.connection_test_sequence += 1  # the cancellation is a change calendars apply
    save_audited(session, acting_user=acting_user, reason=f"connection test cancelled: {reason}")
    return session


@transaction.atomic
def connection_test_record_done(*, session_id: int, notes: str, acting_user: User) -> Session:
    session = _lock(session_id)
    _refuse_if_closed(session)
    if session.connection_test_done_at:
        raise ValidationError(_("The connection test was already recorded."))
    if session.connection_test_starts_at and session.connection_test_starts_at > timezone.now():
        raise ValidationError(_("The connection test has not taken place yet."))
    session.connection_test_done_at = timezone.now()
    session.connection_test_done_by = acting_user
    session.connection_test_notes = notes
    save_audited(session, acting_user=acting_user, reason="connection test done")
    _move_status(session, Status.CONNECTION_TESTED, acting_user)
    return session


@transaction.atomic
def connection_test_waive(*, session_id: int, reason: str, acting_user: User):
    session = _lock(session_id)
    _refuse_if_closed(session)
    if not reason.strip():
        raise ValidationError(_("Give the reason the connection test is waived."))
    if session.connection_test_done_at:
        raise ValidationError(_("The connection test was already recorded."))
    session.connection_test_waived_reason = reason.strip()
    session.connection_test_waived_by = acting_user
    save_audited(session, acting_user=acting_user, reason="connection test waived")
    return session


@transaction.atomic
def session_cancel(*, session_id: int, reason: str, acting_user: User) -> Session:
    """Cancel the session and every Teams meeting asked for it (Teams tells the invitees)."""
    session = _lock(session_id)
    _refuse_if_closed(session)
    if not reason.strip():
        raise ValidationError(_("Give a reason for cancelling."))
    for meeting in session.teams_meetings.select_for_update():
        teams_meeting_request_cancel(meeting=meeting, comment=reason, acting_user=acting_user)
    session.status = Status.CANCELLED
    session.status_changed_at = session.cancelled_at = timezone.now()
    session.cancelled_by = acting_user
    session.cancel_reason = reason.strip()
    # RFC 5546: a CANCEL carries a higher SEQUENCE, for the session and its test.
    session.sequence += 1
    session.connection_test_sequence += 1
    save_audited(session, acting_user=acting_user, reason="cancelled")
    return session


@transaction.atomic
def session_mark_held(
    *,
    session_id: int,
    vendor_attendance: Mapping[int, bool],
    city_attendance: Mapping[int, bool],
    bma_attendance: Mapping[int, bool],
    acting_user: User,
) -> Session:
    """Record that the session took place, and who attended (keys are row ids)."""
    session = _lock(session_id)
    _refuse_if_closed(session)
    if not session.connection_test_cleared:
        raise ValidationError(
            _("Record the connection test, or waive it with a reason, before the session is held.")
        )
    if not session.starts_at or session.starts_at > timezone.now():
        raise ValidationError(_("The session has not started yet."))
    for rows, attendance in (
        (session.shortlist.all(), vendor_attendance),
        (session.city_participants.all(), city_attendance),
        (session.bma_participants.all(), bma_attendance),
    ):
        for row in rows:
            if row.pk in attendance:
                row.attended = bool(attendance[row.pk])
                save_audited(row, acting_user=acting_user, update_fields=["attended"])
    _move_status(session, Status.HELD, acting_user)
    workplan_tick_automatically(session=session, number=7, acting_user=acting_user, note="held")
    return session


@transaction.atomic
def session_mark_reported(*, session_id: int, acting_user: User) -> Session:
    session = _lock(session_id)
    if session.status != Status.HELD:
        raise ValidationError(_("Only a session that was held can be reported."))
    _move_status(session, Status.REPORTED, acting_user)
    workplan_tick_automatically(session=session, number=8, acting_user=acting_user, note="reported")
    return session
