"""The portal's one interface to Microsoft Teams meetings, with two backends.

`TEAMS_BACKEND=local` (the default) needs no network and records a clearly labelled
local join link, so the portal runs without a Microsoft tenant; `graph` creates calendar
events with a Teams meeting through Microsoft Graph (meetings/graph_client.py).
Callers (the Celery tasks in meetings/tasks.py) see only the types below.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext_lazy, override


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


# What staff read about a Teams call, stored as an id and its parameters (never as text) and
# rendered in the reader's language: the worker that stores it has no reader.
MESSAGES = {
    "graph_busy": gettext_lazy("Microsoft Graph is busy or failing (%(detail)s); try again later."),
    "graph_token_rejected": gettext_lazy(
        "Microsoft Graph rejected the portal's access token (%(detail)s). Check "
        "GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET."
    ),
    "graph_consent": gettext_lazy(
        "Microsoft Graph refused access to the organiser's calendar (%(detail)s). An "
        "administrator must grant the application permission Calendars.ReadWrite (admin "
        'consent in Entra ID, or the Exchange role "Application Calendars.ReadWrite") with a '
        "mailbox scope that includes the organiser mailbox %(organizer)s."
    ),
    "graph_mailbox": gettext_lazy(
        "Microsoft Graph has no usable mailbox %(organizer)s (%(detail)s). Check "
        "GRAPH_ORGANIZER: it must be a licensed Exchange Online work mailbox."
    ),
    "graph_not_found": gettext_lazy("Microsoft Graph found no such event or mailbox (%(detail)s)."),
    "graph_refused": gettext_lazy("Microsoft Graph refused the request (%(detail)s)."),
    "graph_timeout": gettext_lazy(
        "Microsoft Graph did not answer %(method)s %(url)s within %(seconds)s s."
    ),
    "graph_connection": gettext_lazy(
        "Microsoft Graph connection failed on %(method)s %(url)s: %(error)s."
    ),
    "teams_never_created": gettext_lazy("The Teams meeting was never created."),
    "teams_replaced": gettext_lazy("A newer Teams meeting replaced this one."),
    "teams_cancelled": gettext_lazy("The Teams meeting was cancelled."),
    "teams_deleted_again": gettext_lazy(
        "The Teams meeting was deleted in Outlook again, after it had been made anew once. "
        "Schedule it again if it is still wanted."
    ),
    "teams_gave_up": gettext_lazy("Gave up after %(count)s attempts: %(error)s"),
    "teams_unexpected": gettext_lazy("Unexpected error: %(error)s"),
}


@dataclass(frozen=True)
class Message:
    """A message id of MESSAGES and its parameters; a parameter may itself be a message
    (as JSON). An empty id carries untranslated text (a ValidationError's, Entra ID's)."""

    id: str
    params: dict = field(default_factory=dict)

    @classmethod
    def text(cls, text: str) -> Message:
        return cls("", {"text": text})

    @classmethod
    def from_json(cls, data: dict) -> Message:
        return cls(data.get("id", ""), data.get("params") or {})

    def as_json(self) -> dict:
        return {"id": self.id, "params": self.params}

    def render(self) -> str:
        """In the active language."""
        template = MESSAGES.get(self.id)
        if template is None:
            return str(self.params.get("text", ""))
        values = {
            key: Message.from_json(value).render() if isinstance(value, dict) else value
            for key, value in self.params.items()
        }
        return str(template) % values

    def english(self) -> str:
        with override("en"):
            return self.render()


@dataclass(frozen=True)
class MeetingRef:
    event_id: str
    join_url: str
    ical_uid: str = ""
    change_key: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)


class TeamsError(Exception):
    """A Teams call failed. `user_message` is safe to show staff. `status` is the HTTP status
    and `code` Graph's (or Entra ID's) error code, when there was one."""

    def __init__(self, message: str | Message, *, status: int | None = None, code: str = ""):
        self.message = message if isinstance(message, Message) else Message.text(message)
        super().__init__(self.message.english())
        self.status = status
        self.code = code

    @property
    def user_message(self) -> str:
        return str(self)


class TeamsTransientError(TeamsError):
    """Worth retrying later (429, 503, timeouts, connection errors)."""

    def __init__(
        self,
        message: str | Message,
        *,
        status: int | None = None,
        code: str = "",
        retry_after: float | None = None,
    ):
        super().__init__(message, status=status, code=code)
        # Seconds the server asked us to wait (Retry-After), or None: then back off yourself.
        self.retry_after = retry_after


class TeamsAuthError(TeamsError):
    """Credentials or admin consent are wrong (401/403): retrying will not help."""


class TeamsPermanentError(TeamsError):
    """The request itself is wrong (other 4xx): retrying will not help."""


class TeamsConfigurationError(TeamsPermanentError):
    """A setting is wrong, e.g. GRAPH_ORGANIZER names no usable mailbox: retrying, or
    re-creating the meeting, will not help until an administrator fixes it."""


class TeamsNotFoundError(TeamsPermanentError):
    """The event no longer exists (deleted in Outlook, or a stale id): re-create it, with a
    new transaction id generation, if the meeting is still wanted."""


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


def _schedule(spec: MeetingSpec) -> tuple:
    return (spec.subject, spec.start, spec.end, spec.time_zone, spec.attendees)


def get_backend() -> TeamsBackend:
    """The backend TEAMS_BACKEND names. For `graph`, raises TeamsAuthError when a GRAPH_*
    setting it needs is empty, so call it inside the task's error handling."""
    if settings.TEAMS_BACKEND == "local":
        return LocalTeamsBackend()
    if settings.TEAMS_BACKEND == "graph":
        from .graph_client import GraphTeamsBackend  # written with the Graph integration

        return GraphTeamsBackend.from_settings()
    raise ValueError(f"Unknown TEAMS_BACKEND {settings.TEAMS_BACKEND!r}: use 'local' or 'graph'.")
