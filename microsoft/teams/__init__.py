"""The portal's one interface to Microsoft Teams meetings, with two backends.

`TEAMS_BACKEND=local` (the default, local.py) needs no network; `graph` (graph.py) creates
calendar events with a Teams meeting through Microsoft Graph. Callers (meetings/services/
teams.py) see only the names exported here.
"""

from __future__ import annotations

from django.conf import settings

from ..errors import (
    MESSAGES,
    Message,
    TeamsAuthError,
    TeamsConfigurationError,
    TeamsError,
    TeamsNotFoundError,
    TeamsPermanentError,
    TeamsTransientError,
)
from .local import LocalTeamsBackend
from .types import (
    AttendanceRecord,
    Attendee,
    MeetingRef,
    MeetingSpec,
    TeamsBackend,
    make_transaction_id,
)

__all__ = [
    "MESSAGES",
    "AttendanceRecord",
    "Attendee",
    "LocalTeamsBackend",
    "MeetingRef",
    "MeetingSpec",
    "Message",
    "TeamsAuthError",
    "TeamsBackend",
    "TeamsConfigurationError",
    "TeamsError",
    "TeamsNotFoundError",
    "TeamsPermanentError",
    "TeamsTransientError",
    "get_backend",
    "make_transaction_id",
]


def get_backend() -> TeamsBackend:
    """The backend TEAMS_BACKEND names. For `graph`, raises TeamsAuthError when a GRAPH_*
    setting it needs is empty, so call it inside the task's error handling."""
    if settings.TEAMS_BACKEND == "local":
        return LocalTeamsBackend()
    if settings.TEAMS_BACKEND == "graph":
        from .graph import GraphTeamsBackend  # requests and msal only when configured

        return GraphTeamsBackend.from_settings()
    raise ValueError(f"Unknown TEAMS_BACKEND {settings.TEAMS_BACKEND!r}: use 'local' or 'graph'.")
