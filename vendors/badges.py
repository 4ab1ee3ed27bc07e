"""The tones of the vendor import's status badge (core.badges)."""

from core.badges import register_badges

from .models import VendorImportJob


def register() -> None:
    status = VendorImportJob.Status
    register_badges(
        "vendors.import",
        {
            status.DONE: "success",
            status.INVALID: "danger",
            status.FAILED: "danger",
            status.STALE: "danger",
            status.READY: "primary",
        },
    )
