"""The tones of a vendor's LINE link badge (core.badges)."""

from core.badges import register_badges

from .models import LineLink


def register() -> None:
    status = LineLink.Status
    register_badges(
        "notifications.line",
        {status.LINKED: "success", status.BROKEN: "warning", status.UNLINKED: "secondary"},
    )
