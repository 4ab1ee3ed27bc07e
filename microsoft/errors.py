"""Typed errors of the Microsoft clients, and the messages staff read about them.

Messages are stored as an id and its parameters (never as text) and rendered in the
reader's language: the worker that stores one has no reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy, override

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
    "graph_attendance_forbidden": gettext_lazy(
        "Microsoft Graph refused the meeting's attendance reports (%(detail)s). An "
        "administrator must grant the application permission OnlineMeetingArtifact.Read.All "
        "and a Teams application access policy for the organiser %(organizer)s "
        "(New-CsApplicationAccessPolicy, Grant-CsApplicationAccessPolicy). Attendance can "
        "still be entered by hand."
    ),
    "graph_meeting_not_found": gettext_lazy(
        "Microsoft Graph knows no Teams meeting with this join link."
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
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def text(cls, text: str) -> Message:
        return cls("", {"text": text})

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Message:
        return cls(data.get("id", ""), data.get("params") or {})

    def as_json(self) -> dict[str, Any]:
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
