"""The `local` Teams backend (TEAMS_BACKEND=local, the default): no network, a clearly
labelled local join link, so the portal runs without a Microsoft tenant."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from .types import AttendanceRecord, MeetingRef, MeetingSpec, merge_attendance


class LocalTeamsBackend:
    """No network: the meeting exists only in the portal, with a labelled local link."""

    name = "local"
    JOIN_URL_PREFIX = "https://teams.invalid/local-meeting/"

    def create_meeting(self, spec: MeetingSpec) -> MeetingRef:
        # Deterministic from the transaction id: a retried create gives the same meeting.
        digest = hashlib.sha256((spec.transaction_id or spec.subject).encode()).hexdigest()[:24]
        event_id = f"local-{digest}"
        return MeetingRef(
            event_id=event_id,
            join_url=f"{self.JOIN_URL_PREFIX}{digest}",
            ical_uid=f"{event_id}@bbportal.local",
            change_key="1",
        )

    def update_meeting(self, event_id: str, spec: MeetingSpec) -> MeetingRef:
        digest = event_id.removeprefix("local-")
        return MeetingRef(
            event_id=event_id,
            join_url=f"{self.JOIN_URL_PREFIX}{digest}",
            ical_uid=f"{event_id}@bbportal.local",
            # Changes whenever what Graph would store changes, as Graph's changeKey does.
            change_key=hashlib.sha256(repr(_schedule(spec)).encode()).hexdigest()[:16],
        )

    def cancel_meeting(self, event_id: str, comment: str) -> None:
        return None

    def attendance(self, join_url: str, start: dt.datetime) -> tuple[AttendanceRecord, ...]:
        # A plausible report, so `make run` shows the feature: the organiser, one
        # participant who joined late and left early, and a guest without an address.
        def record(
            name: str, email: str, late: int, early: int, role: str = "Attendee"
        ) -> AttendanceRecord:
            joined = start + dt.timedelta(minutes=late)
            left = start + dt.timedelta(minutes=120 - early)
            seconds = int((left - joined).total_seconds())
            return AttendanceRecord(name, email, role, seconds, ((joined, left),))

        return merge_attendance(
            [
                record("BB Sessions", "", 0, 0, role="Organizer"),
                record("Local participant", "participant@bbportal.local", 5, 20),
                record("Guest (phone)", "", 10, 30),
            ]
        )


def _schedule(spec: MeetingSpec) -> tuple[Any, ...]:
    return (spec.subject, spec.start, spec.end, spec.time_zone, spec.attendees)
