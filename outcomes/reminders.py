"""Reminders to SDO before each due date and the overdue flag after it (run nightly by
Celery beat through outcomes.tasks.send_outcome_reminders)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from core.audit import save_audited
from core.fiscal import half_of
from core.mail import mail_address
from core.retry import RetryPolicy
from core.roles import GROUP_NAMES, Role
from notifications.errors import error_detail
from notifications.models import Channel, OutboxMessage, RecipientKind
from notifications.rendering import MessageTemplate, Rendered, SkipMessage, register_template
from notifications.services import (
    Recipient,
    message_enqueue,
    outbox_deliver,
    outbox_send_now,
    without_message,
)

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
            reminder_message_ensure(notice)
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
                reminder_message_ensure(notice)
                notices.append(notice.pk)
    return flagged, notices


SDO_REMINDER = "outcomes.sdo_reminder"
# As the notice's own task did (Celery: 6 retries, backoff from a minute).
REMINDER_POLICY = RetryPolicy(max_attempts=7, base_seconds=60.0)


def _message_key(notice_id: int) -> str:
    return f"{SDO_REMINDER}:{notice_id}"


def reminder_message_ensure(notice: ReminderNotice) -> OutboxMessage:
    """The notice's message in the outbox (one e-mail to every SDO address), created and
    announced on commit the first time."""
    message, _created = message_enqueue(
        recipient=Recipient(RecipientKind.GROUP, None, "", notice.recipients, Channel.EMAIL, "th"),
        template=SDO_REMINDER,
        context={"notice_id": notice.pk},
        idempotency_key=_message_key(notice.pk),
    )
    return message


def _sendable(notice_id: int) -> ReminderNotice | None:
    return (
        ReminderNotice.objects.filter(
            pk=notice_id,
            status__in=[ReminderNotice.Status.PENDING, ReminderNotice.Status.FAILED],
        )
        .exclude(recipients="")
        .first()
    )


def reminder_send(*, notice_id: int) -> ReminderNotice | None:
    """Send one notice now, through the outbox. The attempt and its outcome show on the
    notice, as they did before the outbox."""
    notice = _sendable(notice_id)
    if notice is not None:
        outbox_send_now(message=reminder_message_ensure(notice))
    return ReminderNotice.objects.filter(pk=notice_id).first()


def reminder_deliver(*, notice_id: int) -> None:
    """The task's way: the outbox sends it when due (its own retries, no double send)."""
    notice = _sendable(notice_id)
    if notice is not None:
        outbox_deliver(message_id=reminder_message_ensure(notice).pk)


def _render_reminder(message) -> Rendered:
    notice = (
        ReminderNotice.objects.select_related("period")
        .filter(pk=message.context.get("notice_id"))
        .first()
    )
    if notice is None:
        raise SkipMessage("gone")
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
    return Rendered(subject=f"{subject_th} / {subject_en}", text=f"{body_th}\n\n----\n\n{body_en}")


def _mirror(message: OutboxMessage) -> None:
    """The notice keeps telling FAO what happened, in its own terms."""
    fields: dict[str, Any] = {"attempts": message.attempts}
    if message.status == OutboxMessage.Status.SENT:
        fields.update(status=ReminderNotice.Status.SENT, sent_at=message.sent_at, last_error="")
    elif message.last_error_code and message.status != OutboxMessage.Status.SENDING:
        fields.update(
            status=ReminderNotice.Status.FAILED,
            last_error=error_detail(message.last_error_code, message.last_error_params),
        )
    ReminderNotice.objects.filter(pk=message.context.get("notice_id")).update(**fields)


def register() -> None:
    register_template(
        MessageTemplate(
            SDO_REMINDER,
            _render_reminder,
            description="SDO: vendors still missing before and after a due date",
            policy=REMINDER_POLICY,
            on_change=_mirror,
        )
    )


def reminder_notices_pending() -> list[tuple]:
    """Notices recorded before the outbox took over and never sent: announce them again
    (the outbox's own sweep looks after the others)."""
    from .tasks import send_reminder

    now = timezone.now()
    stale = ReminderNotice.objects.filter(
        status=ReminderNotice.Status.PENDING,
        created_at__lt=now - dt.timedelta(minutes=5),
        created_at__gt=now - dt.timedelta(days=2),
    ).values_list("pk", flat=True)
    keys = {pk: _message_key(pk) for pk in stale}
    return [(send_reminder, (pk,)) for pk in without_message(keys)]
