"""What a vendor gets about its six-monthly outcome form, through the notifications
outbox (LINE when linked, else e-mail): the request with its signed link, and a notice
when its submission is returned for a correction. Thai first, short, the link last."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.retry import RetryPolicy
from core.thai import format_date
from notifications.errors import error_detail
from notifications.models import Channel, RecipientKind
from notifications.rendering import MessageTemplate, Rendered, SkipMessage, register_template
from notifications.services import Recipient, message_enqueue, vendor_message_enqueue

from .models import Submission, VendorLink

LINK = "outcomes.vendor_link"
RETURNED = "outcomes.submission_returned"


def _usable_link(link_id) -> VendorLink:
    link = (
        VendorLink.objects.select_related("submission__vendor", "submission__period")
        .filter(pk=link_id)
        .first()
    )
    if link is None or link.revoked_at is not None or link.expires_at <= timezone.now():
        raise SkipMessage("gone")
    return link


def _render_link(message) -> Rendered:
    from .links import vendor_link_url

    link = _usable_link(message.context.get("link_id"))
    period = link.submission.period
    url = vendor_link_url(link)
    lang = message.language
    subject = _("BB Portal: your six-monthly report for %(period)s") % {"period": period.label}
    line_text = "\n".join(
        [
            subject,
            _(
                "Please tell us whom you have been in contact with since the session. Fill "
                "in the form by %(date)s:"
            )
            % {"date": format_date(link.expires_at, "DATE_FORMAT", language=lang)},
            url,
        ]
    )
    # The e-mail keeps its long form, Thai then English, as before the pipeline.
    context = {"link": link, "vendor": link.submission.vendor, "period": period, "url": url}
    with translation.override("th"):
        mail_subject = render_to_string("outcomes/email/vendor_link_subject.txt", context).strip()
        body_th = render_to_string("outcomes/email/vendor_link_body.txt", context)
    with translation.override("en"):
        body_en = render_to_string("outcomes/email/vendor_link_body.txt", context)
    return Rendered(
        subject=mail_subject, text=f"{body_th}\n\n----\n\n{body_en}", line_text=line_text
    )


def _render_returned(message) -> Rendered:
    from .links import vendor_link_url

    submission = (
        Submission.objects.select_related("period", "vendor")
        .filter(pk=message.context.get("submission_id"))
        .first()
    )
    if submission is None:
        raise SkipMessage("gone")
    subject = _("BB Portal: your report for %(period)s needs a correction") % {
        "period": submission.period.label
    }
    now = timezone.now()
    link = (
        VendorLink.objects.filter(
            submission=submission, revoked_at__isnull=True, expires_at__gt=now
        )
        .order_by("-expires_at")
        .first()
    )
    if link is not None:
        lines = [subject, _("Please correct it with the same link:"), vendor_link_url(link)]
    else:
        lines = [subject, _("The Social Development Office will contact you.")]
    text = "\n".join(lines)
    return Rendered(subject=subject, text=text, line_text=text)


def vendor_link_line_queue(*, link: VendorLink, acting_user) -> None:
    """The request by LINE too, when the vendor linked its account."""
    vendor = link.submission.vendor
    recipient = _line_recipient(vendor)
    if recipient is not None:
        message_enqueue(
            recipient=recipient,
            template=LINK,
            context={"link_id": link.pk},
            idempotency_key=f"{LINK}:{link.pk}:line",
            acting_user=acting_user,
        )


def _line_recipient(vendor) -> Recipient | None:
    from notifications.services import vendor_recipient

    recipient = vendor_recipient(vendor)
    if recipient is None or recipient.channel != Channel.LINE:
        return None
    return recipient


def submission_returned_notify(*, submission: Submission, acting_user) -> None:
    """Only a vendor that filled in through its link hears that the form went back."""
    if not VendorLink.objects.filter(submission=submission).exists():
        return
    # Called by _return right after it stamps the review time.
    assert submission.reviewed_at is not None
    vendor_message_enqueue(
        vendor=submission.vendor,
        template=RETURNED,
        context={"submission_id": submission.pk},
        idempotency_key=f"{RETURNED}:{submission.pk}:{submission.reviewed_at.isoformat()}",
        acting_user=acting_user,
    )


def _mirror_link_email(message) -> None:
    """The link keeps showing SDO how its e-mail went, in its own terms."""
    if message.channel != Channel.EMAIL:
        return
    fields = {"email_attempts": message.attempts}
    if message.status == message.Status.SENT:
        fields.update(
            email_status=VendorLink.EmailStatus.SENT,
            email_sent_at=message.sent_at,
            email_last_error="",
        )
    elif message.last_error_code and message.status != message.Status.SENDING:
        fields.update(
            email_status=VendorLink.EmailStatus.FAILED,
            email_last_error=error_detail(message.last_error_code, message.last_error_params),
        )
    VendorLink.objects.filter(pk=message.context.get("link_id")).update(**fields)


def register() -> None:
    register_template(
        MessageTemplate(
            LINK,
            _render_link,
            probe="BB Portal: your six-monthly report for %(period)s",
            # As the link's own task did (Celery: 6 retries, backoff from a minute).
            policy=RetryPolicy(max_attempts=7, base_seconds=60.0),
            on_change=_mirror_link_email,
        )
    )
    register_template(
        MessageTemplate(
            RETURNED,
            _render_returned,
            probe="BB Portal: your report for %(period)s needs a correction",
        )
    )


__all__ = ["RecipientKind", "register", "submission_returned_notify", "vendor_link_line_queue"]
