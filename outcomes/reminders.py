"""Reminders to SDO before each due date and the overdue flag after it (run nightly by
Celery beat through outcomes.tasks.send_outcome_reminders)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from core.audit import save_audited
from core.fiscal import half_of
from core.mail import mail_address, mail_addresses
from core.roles import GROUP_NAMES, Role

from .models import ReminderNotice, ReportingPeriod, Submission
from .selectors import vendors_still_missing
from .services import reporting_period_ensure

# Days before the due date on which SDO gets the list of vendors still missing.
REMINDER_DAYS = {7: ReminderNotice.Kind.DUE_IN_7_DAYS, 1: ReminderNotice.Kind.DUE_TOMORROW}


def sdo_recipients() -> list[str]:
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=GROUP_NAMES[Role.SDO])
        .exclude(email="")
    )
    return [mail_address(email) for email in sorted(set(users.values_list("email", flat=True)))]


def _missing_rows(vendors) -> list[dict]:
    """The vendors still missing as a notice keeps them: what the e-mail lists, as they
    were on the day it was prepared."""
    return [
        {"id": v.pk, "name": v.business_name_th, "certificate": v.certificate_number}
        for v in vendors
    ]


@transaction.atomic
def reporting_periods_ensure_current(*, today: dt.date) -> list[ReportingPeriod]:
    """The period under way and the one before it (whose form is due soon) exist."""
    current = half_of(today)
    previous = half_of(current.first_day - dt.timedelta(days=1))
    return [reporting_period_ensure(half=h, acting_user=None) for h in (previous, current)]


@transaction.atomic
def reminders_prepare(*, today: dt.date) -> list[int]:
    """Create today's reminder notices (once per period and kind) and return the ids of
    those to send."""
    reporting_periods_ensure_current(today=today)
    due_dates = {today + dt.timedelta(days=days): kind for days, kind in REMINDER_DAYS.items()}
    periods = ReportingPeriod.objects.filter(due_on__in=list(due_dates))
    to_send = []
    recipients = None
    for period in periods:
        kind = due_dates[period.due_on]
        notice, created = ReminderNotice.objects.get_or_create(period=period, kind=kind)
        if not created:
            continue
        if recipients is None:
            recipients = sdo_recipients()
        missing = vendors_still_missing(period=period)
        notice.missing_vendors = _missing_rows(missing)
        notice.recipients = ", ".join(recipients)
        if not missing or not recipients:
            notice.status = ReminderNotice.Status.NOTHING_TO_SEND
        notice.save()
        if notice.status == ReminderNotice.Status.PENDING:
            to_send.append(notice.pk)
    return to_send


@transaction.atomic
def submissions_flag_overdue(*, today: dt.date) -> tuple[int, list[int]]:
    """After a due date: every vendor still missing gets a draft (so SDO sees it in the
    list) and every unreported submission is marked overdue. Returns how many were
    flagged and the overdue notices to send."""
    flagged = 0
    notices = []
    for period in ReportingPeriod.objects.filter(due_on__lt=today):
        overdue_from = period.due_on + dt.timedelta(days=1)
        missing = vendors_still_missing(period=period)
        if not missing:
            continue
        existing = {
            s.vendor_id: s
            for s in Submission.objects.select_for_update().filter(
                period=period, vendor__in=missing
            )
        }
        for vendor in missing:
            submission = existing.get(vendor.pk)
            if submission is None:
                submission = Submission(
                    vendor=vendor,
                    period=period,
                    entered_via=Submission.EnteredVia.REMINDER,
                    overdue_since=overdue_from,
                )
                save_audited(
                    submission, acting_user=None, reason=gettext_noop("overdue: opened for SDO")
                )
                flagged += 1
            elif submission.overdue_since is None:
                submission.overdue_since = overdue_from
                save_audited(submission, acting_user=None, reason=gettext_noop("overdue"))
                flagged += 1
        notice, created = ReminderNotice.objects.get_or_create(
            period=period, kind=ReminderNotice.Kind.OVERDUE
        )
        if created:
            recipients = sdo_recipients()
            notice.recipients = ", ".join(recipients)
            notice.missing_vendors = _missing_rows(missing)
            if not recipients:
                notice.status = ReminderNotice.Status.NOTHING_TO_SEND
            notice.save()
            if notice.status == ReminderNotice.Status.PENDING:
                notices.append(notice.pk)
    return flagged, notices


def reminder_send(*, notice_id: int) -> ReminderNotice | None:
    """Send one notice. The attempt and its outcome are committed even when sending fails,
    so the row tells FAO what happened; the task retries a failed notice."""
    with transaction.atomic():
        notice = (
            # of=: lock the notice only, not the reporting period with it.
            ReminderNotice.objects.select_for_update(of=("self",))
            .select_related("period")
            .filter(pk=notice_id)
            .first()
        )
        if notice is None or notice.status not in (
            ReminderNotice.Status.PENDING,
            ReminderNotice.Status.FAILED,
        ):
            return notice
        notice.attempts += 1
        # SDO staff read Thai; the English follows in the same message.
        context = {
            "notice": notice,
            "period": notice.period,
            "list_url": settings.PORTAL_SITE_URL.rstrip("/")
            + reverse("outcomes:submission-list")
            + f"?period={notice.period.pk}",
        }
        with translation.override("th"):
            subject_th = render_to_string("outcomes/email/reminder_subject.txt", context).strip()
            body_th = render_to_string("outcomes/email/reminder_body.txt", context)
        with translation.override("en"):
            subject_en = render_to_string("outcomes/email/reminder_subject.txt", context).strip()
            body_en = render_to_string("outcomes/email/reminder_body.txt", context)
        try:
            send_mail(
                f"{subject_th} / {subject_en}",
                f"{body_th}\n\n----\n\n{body_en}",
                None,
                mail_addresses(notice.recipients),
            )
        except Exception as exc:  # any transport error is recorded on the row
            notice.status = ReminderNotice.Status.FAILED
            notice.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        else:
            notice.status = ReminderNotice.Status.SENT
            notice.sent_at = timezone.now()
            notice.last_error = ""
        notice.save(update_fields=["attempts", "status", "last_error", "sent_at"])
    return notice


def reminder_notices_pending() -> list[tuple]:
    """Notices recorded but not sent a few minutes later: announce them again."""
    from .tasks import send_reminder

    now = timezone.now()
    stale = ReminderNotice.objects.filter(
        status=ReminderNotice.Status.PENDING,
        created_at__lt=now - dt.timedelta(minutes=5),
        created_at__gt=now - dt.timedelta(days=2),
    ).values_list("pk", flat=True)
    return [(send_reminder, (pk,)) for pk in stale]
