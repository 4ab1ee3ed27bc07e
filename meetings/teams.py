"""The portal's one interface to Microsoft Teams meetings, with two backends.

`TEAMS_BACKEND=local` (the default) needs no network and records a clearly labelled
local join link, so the portal runs without a Microsoft tenant; `graph` creates calendar
events with a Teams meeting through Microsoft Graph (meetings/graph_client.py).
Callers (the Celery tasks in meetings/tasks.py) see only the types below.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str = ""


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


@dataclass(frozen=True)
class MeetingRef:
    event_id: str
    join_url: str
    ical_uid: str = ""
    change_key: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)


class TeamsError(Exception):
    """A Teams call failed. `user_message` is safe to show staff."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status

    @property
    def user_message(self) -> str:
        return str(self)


class TeamsTransientError(TeamsError):
    """Worth retrying later (429, 503, timeouts, connection errors)."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ):
        super().__init__(message, status=status)
        self.retry_after = retry_after


class TeamsAuthError(TeamsError):
    """Credentials or admin consent are wrong (401/403): retrying will not help."""


class TeamsPermanentError(TeamsError):
    """The request itself is wrong (other 4xx): retrying will not help."""


class TeamsBackend(Protocol):
    name: str

    def create_meeting(self, spec: MeetingSpec) -> MeetingRef: ...

    def update_meeting(self, event_id: str, spec: MeetingSpec) -> MeetingRef:
        """Time, subject and attendees only: sending the body again is known to drop or
        replace the Teams join link."""
        ...

    def cancel_meeting(self, event_id: str, comment: str) -> None: ...


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
            change_key=spec.start.isoformat(),
        )

    def cancel_meeting(self, event_id: str, comment: str) -> None:
        return None


def get_backend() -> TeamsBackend:
    if settings.TEAMS_BACKEND == "local":
        return LocalTeamsBackend()
    if settings.TEAMS_BACKEND == "graph":
        from .graph_client import GraphTeamsBackend  # written with the Graph integration

        return GraphTeamsBackend.from_settings()
    raise ValueError(f"Unknown TEAMS_BACKEND {settings.TEAMS_BACKEND!r}: use 'local' or 'graph'.")
