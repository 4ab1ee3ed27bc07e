from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.queue import PortalTask, portal_task, publish
from meetings.models import ProgrammeYear

from .models import KpiSnapshot, ReminderNotice, ReportingPeriod, VendorLink


@portal_task
def compute_kpi(year_id: int, trigger: str = KpiSnapshot.Trigger.NIGHTLY, user_id=None):
    from .services import kpi_snapshot_create

    year = ProgrammeYear.objects.filter(pk=year_id).first()
    if year is None:
        return None
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return kpi_snapshot_create(year=year, trigger=trigger, acting_user=user).pk


@portal_task
def refresh_outcome_tallies(fiscal_year: int) -> int:
    from .services import outcome_tallies_refresh

    return outcome_tallies_refresh(fiscal_year=fiscal_year)


@portal_task
def compute_kpi_nightly() -> dict:
    """Every programme year's KPI and every fiscal year's statistics, so that late
    attendance records and corrections show up."""
    year_ids = list(ProgrammeYear.objects.values_list("pk", flat=True))
    for year_id in year_ids:
        publish(compute_kpi, year_id, KpiSnapshot.Trigger.NIGHTLY)
    fiscal_years = sorted(set(ReportingPeriod.objects.values_list("fiscal_year", flat=True)))
    for fiscal_year in fiscal_years:
        publish(refresh_outcome_tallies, fiscal_year)
    return {"years": year_ids, "fiscal_years": fiscal_years}


@portal_task
def send_outcome_reminders() -> dict:
    from .reminders import reminders_prepare, submissions_flag_overdue

    today = timezone.localdate()
    notice_ids = reminders_prepare(today=today)
    flagged, overdue_ids = submissions_flag_overdue(today=today)
    for notice_id in [*notice_ids, *overdue_ids]:
        publish(send_reminder, notice_id)
    return {"notices": notice_ids + overdue_ids, "flagged": flagged}


@portal_task
def send_reminder(notice_id: int) -> str | None:
    """Hands the notice to the outbox, which sends and retries it (notifications)."""
    from .reminders import reminder_deliver

    reminder_deliver(notice_id=notice_id)
    notice = ReminderNotice.objects.filter(pk=notice_id).first()
    return notice.status if notice else None


@portal_task
def send_vendor_link_email(link_id: int) -> str | None:
    """Hands the link's e-mail to the outbox, which sends and retries it (notifications)."""
    from .links import vendor_link_email_deliver

    vendor_link_email_deliver(link_id=link_id)
    link = VendorLink.objects.filter(pk=link_id).first()
    return link.email_status if link else None


@portal_task(bind=True, retry_on=())
def build_lines_export(self: PortalTask, export_id: int) -> str:
    """The statistics' line-by-line workbook; the row counts its tries under
    core.export_jobs' policy, Celery only waits."""
    from .lines_export import LINES_EXPORTS

    result = LINES_EXPORTS.build(export_id=export_id)
    if result.retry_in is not None:
        self.wait_and_retry(result.retry_in)
    return result.status
