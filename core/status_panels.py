"""Panels of the system status page that belong to an app (the outbox's LINE quota):
registered in the app's AppConfig.ready(), so core imports no app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StatusPanel:
    key: str
    template: str
    context: Callable[[], dict[str, Any]]


_PANELS: dict[str, StatusPanel] = {}


def register_status_panel(panel: StatusPanel) -> None:
    _PANELS[panel.key] = panel


def status_panels() -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of each panel, in the order they were registered."""
    return [(panel.template, panel.context()) for panel in _PANELS.values()]
