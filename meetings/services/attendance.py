"""Attendance read back from Teams (#13): the portal proposes who attended, staff confirm.

The import reads the session meeting's attendance reports through the Teams interface,
matches each person to a participant of the session (by e-mail, else by display name, as
a suggestion) and stores the proposal as `TeamsAttendance` rows, replacing the last
import, so pressing the button again is harmless. The call to Graph runs outside any
transaction: no lock is held across the network (#13 defect 7).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microsoft import teams

from ..models import Session, TeamsAttendance, TeamsMeeting

Match = TeamsAttendance.Match


@dataclass(frozen=True)
class AttendanceImport:
    matched: int
    suggested: int
    unmatched: int

    @property
    def total(self) -> int:
        return self.matched + self.suggested + self.unmatched


@dataclass(frozen=True)
class _Candidate:
    field: str  # the TeamsAttendance foreign key that names it
    row: object
    email: str
    names: tuple[str, ...]  # normalised; a vendor is known by its Thai and English names


def _normal_name(name: str) -> str:
    return re.sub(r"\s+", " ", name or "").strip().casefold()


def _names(*names: str) -> tuple[str, ...]:
    return tuple(n for n in (_normal_name(name) for name in names) if n)


def _candidates(session: Session) -> list[_Candidate]:
    found = [
        _Candidate(
            "shortlist_entry",
            e,
            e.vendor.email,
            _names(e.vendor.business_name_th, e.vendor.business_name_en),
        )
        for e in session.shortlist.select_related("vendor")
    ]
    found += [
        _Candidate("city_participant", p, p.display_email, _names(p.display_name))
        for p in session.city_participants.select_related("contact", "city")
    ]
    found += [
        _Candidate("bma_participant", p, p.email, _names(p.display_name))
        for p in session.bma_participants.select_related("user")
    ]
    return found


def match_attendance(
    records: tuple[teams.AttendanceRecord, ...], candidates: list[_Candidate]
) -> list[tuple[teams.AttendanceRecord, str, _Candidate | None]]:
    """(record, match kind, participant) for every record: e-mail first, for everyone,
    so that a name can never take a participant an address would have matched; then the
    display name, only when exactly one participant still free bears it."""
    by_email: dict[str, _Candidate] = {}
    for candidate in candidates:
        if candidate.email:
            by_email.setdefault(candidate.email.strip().lower(), candidate)
    taken: set[int] = set()
    result: dict[int, tuple[str, _Candidate | None]] = {}
    for index, record in enumerate(records):
        found = by_email.get(record.email.strip().lower()) if record.email else None
        if found is not None and id(found) not in taken:
            taken.add(id(found))
            result[index] = (Match.EMAIL, found)
    for index, record in enumerate(records):
        if index in result:
            continue
        name = _normal_name(record.name)
        free = [c for c in candidates if id(c) not in taken and name and name in c.names]
        if len(free) == 1:
            taken.add(id(free[0]))
            result[index] = (Match.NAME, free[0])
        else:
            result[index] = (Match.NONE, None)
    return [(record, *result[index]) for index, record in enumerate(records)]


def session_attendance_import(*, session_id: int, acting_user: User) -> AttendanceImport:
    """Read the session meeting's attendance from Teams and store it as the proposal.
    Refuses (ValidationError, in the reader's language) when Teams cannot give it; the
    attendance can then still be entered by hand."""
    session = Session.objects.get(pk=session_id)
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled."))
    if not session.starts_at or session.starts_at > timezone.now():
        raise ValidationError(_("The session has not started yet."))
    meeting = TeamsMeeting.objects.filter(
        session=session, purpose=TeamsMeeting.Purpose.SESSION
    ).first()
    if meeting is None or not meeting.join_url:
        raise ValidationError(
            _(
                "This session has no Teams meeting to read the attendance from. Enter the "
                "attendance by hand."
            )
        )
    try:
        records = teams.get_backend().attendance(meeting.join_url, session.starts_at)
    except teams.TeamsError as exc:
        # Rendered now, in the language of the staff member who pressed the button.
        raise ValidationError(exc.message.render()) from exc

    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).get(pk=session_id)
        pairs = match_attendance(records, _candidates(session))
        TeamsAttendance.objects.filter(session=session).delete()
        TeamsAttendance.objects.bulk_create(
            TeamsAttendance(
                session=session,
                name=record.name[:255],
                email=record.email[:320],
                role=record.role[:32],
                minutes=record.minutes,
                joined_at=record.joined_at,
                left_at=record.left_at,
                match=kind,
                imported_by=acting_user,
                **({candidate.field: candidate.row} if candidate else {}),
            )
            for record, kind, candidate in pairs
        )
    kinds = [kind for _record, kind, _candidate in pairs]
    return AttendanceImport(
        matched=kinds.count(Match.EMAIL),
        suggested=kinds.count(Match.NAME),
        unmatched=kinds.count(Match.NONE),
    )
