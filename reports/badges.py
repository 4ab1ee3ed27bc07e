"""The tones of a report version's status badge (core.badges)."""

from core.badges import register_badges

from .models import ReportGeneration


def register() -> None:
    status = ReportGeneration.Status
    register_badges("reports.version", {status.DONE: "success", status.FAILED: "danger"})
