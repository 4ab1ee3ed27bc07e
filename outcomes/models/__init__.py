"""Six-monthly outcome submissions (contacts and orders per vendor and period) and the
KPI snapshots computed from the accepted ones."""

from .delivery import OutcomeUpload, ReminderNotice, VendorLink, outcome_upload_path
from .exports import LinesExport
from .kpi import KpiSnapshot, OutcomeTally, RecomputeRequest
from .submissions import (
    DUE_DAYS_AFTER_PERIOD,
    LOCK_DAYS_AFTER_DUE,
    Contact,
    OrderLine,
    ReportingPeriod,
    Submission,
)

__all__ = [
    "DUE_DAYS_AFTER_PERIOD",
    "LOCK_DAYS_AFTER_DUE",
    "Contact",
    "KpiSnapshot",
    "LinesExport",
    "OrderLine",
    "OutcomeTally",
    "OutcomeUpload",
    "RecomputeRequest",
    "ReminderNotice",
    "ReportingPeriod",
    "Submission",
    "VendorLink",
    "outcome_upload_path",
]
