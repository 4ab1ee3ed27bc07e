"""The tones of the submission's status badge (core.badges)."""

from core.badges import register_badges

from .models import Submission


def register() -> None:
    status = Submission.Status
    register_badges(
        "outcomes.submission",
        {status.ACCEPTED: "success", status.SUBMITTED: "primary", status.RETURNED: "warning"},
    )
