"""Sections that apps built on meetings add to a session's page.

The reports app shows there what the previous session's evaluation carries into this one.
It registers a panel in its AppConfig.ready(), so that meetings, which reports builds
on, never imports reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .models import Session


@dataclass(frozen=True)
class SessionPanel:
    key: str
    template_name: str
    # The template's context for this session, or None when the panel is not shown.
    context: Callable[[Session], dict | None]
    order: int = 100


_PANELS: dict[str, SessionPanel] = {}


def register_session_panel(panel: SessionPanel) -> None:
    _PANELS[panel.key] = panel


def session_panels(session: Session, request: HttpRequest) -> list[SafeString]:
    """The registered panels shown for this session, rendered in order."""
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(session)
        if context is not None:
            rendered.append(render_to_string(panel.template_name, context, request=request))
    return rendered
