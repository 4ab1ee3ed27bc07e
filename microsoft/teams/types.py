"""The types of the Teams interface: what a meeting should look like, what Teams gave
back, and the protocol both backends (local.py, graph.py) implement."""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str = ""
    # Graph's attendee type: "required" unless the invitation is only for information.
    optional: bool = False


@dataclass(frozen=True)
class MeetingSpec:
    """What a Teams meeting should look like. `start`/`end` are aware datetimes shown in
    `time_zone` (an IANA name). `transaction_id` is derived from the session, so that a
    retried create returns the first event instead of making a second one."""

    subject: str
    start: dt.datetime
    end: dt.datetime
    time_zone: str
    attendees: tuple[Attendee, ...] = ()
    body_html: str = ""
    transaction_id: str = ""
    # Shown as the place in calendars: the Teams meeting, or the session's room.
    location: str = ""

    def __post_init__(self) -> None:
        # Fail where the spec is built, not deep inside a Celery task talking to Graph.
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("MeetingSpec.start and .end must be time-zone aware.")
        if self.end <= self.start:
            raise ValueError("MeetingSpec.end must be after .start.")
        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"Unknown IANA time zone {self.time_zone!r}.") from exc


def make_transaction_id(kind: str, object_id: int | str, generation: int = 0) -> str:
    """The `transactionId` of a create: the same session (or connection test) and generation
    always give the same id, so Graph answers a retried create with the first event.

    Bump `generation` only to make a deliberately new meeting (after a cancel). The portal's
    site URL is mixed in so a staging copy that shares the organiser mailbox can never pick up
    production's events.
    """
    seed = f"{settings.PORTAL_SITE_URL}|{kind}|{object_id}|{generation}"
    return f"bbportal-{hashlib.sha256(seed.encode()).hexdigest()[:32]}"


@dataclass(frozen=True)
class MeetingRef:
    event_id: str
    join_url: str
    ical_uid: str = ""
    change_key: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class AttendanceRecord:
    """One participant of a Teams meeting, over every time the meeting ran (reports merged).
    `email` is empty for some guests; `intervals` are (joined, left) aware datetimes."""

    name: str
    email: str
    role: str
    seconds: int
    intervals: tuple[tuple[dt.datetime, dt.datetime], ...]

    @property
    def minutes(self) -> int:
        return round(self.seconds / 60)

    @property
    def joined_at(self) -> dt.datetime | None:
        return min((i[0] for i in self.intervals), default=None)

    @property
    def left_at(self) -> dt.datetime | None:
        return max((i[1] for i in self.intervals), default=None)


def merge_attendance(records: list[AttendanceRecord]) -> tuple[AttendanceRecord, ...]:
    """One record per person (by e-mail, else by display name) across reports: a meeting
    run twice gives two reports of the same people."""
    merged: dict[str, AttendanceRecord] = {}
    for record in records:
        key = record.email.lower() or f"name:{record.name.strip().lower()}"
        seen = merged.get(key)
        if seen is None:
            merged[key] = record
            continue
        merged[key] = AttendanceRecord(
            name=seen.name or record.name,
            email=seen.email or record.email,
            role=seen.role,
            seconds=seen.seconds + record.seconds,
            intervals=tuple(sorted(seen.intervals + record.intervals)),
        )
    return tuple(sorted(merged.values(), key=lambda r: (r.name.lower(), r.email.lower())))


class TeamsBackend(Protocol):
    """Every call raises only TeamsError subclasses (and ValueError for a malformed spec)."""

    name: str

    def create_meeting(self, spec: MeetingSpec) -> MeetingRef:
        """Sends the invitations. A repeated `spec.transaction_id` returns the first meeting
        instead of a second one; the Graph backend requires it. `join_url` is "" when the
        organiser has no Teams licence."""
        ...

    def update_meeting(self, event_id: str, spec: MeetingSpec) -> MeetingRef:
        """Time, subject and attendees only: sending the body again is known to drop or
        replace the Teams join link. TeamsNotFoundError when the event is gone."""
        ...

    def cancel_meeting(self, event_id: str, comment: str) -> None:
        """Sends the cancellations. An event that is already gone counts as cancelled."""
        ...

    def attendance(self, join_url: str, start: dt.datetime) -> tuple[AttendanceRecord, ...]:
        """Who attended the meeting, merged over its attendance reports. TeamsAuthError
        (naming what the administrator must grant) without permission or policy."""
        ...
