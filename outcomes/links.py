"""The signed, expiring link with which a vendor fills in its own submission (one vendor,
one period, no account). SDO creates it, sends it (by e-mail through the portal or by
copying it), and then submits what the vendor entered."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.mail import mail_address
from core.queue import enqueue_on_commit

from . import policy
from .models import Submission, VendorLink

SALT = "outcomes.vendor-link"
DEFAULT_DAYS = 14
MAX_DAYS = 60


class LinkError(Exception):
    """A link that does not open a submission; the message is shown to the vendor."""


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def vendor_link_token(link: VendorLink) -> str:
    """A token for the link. Its validity comes from the signature, the link's row (not
    revoked, not expired) and the submission it names."""
    submission = link.submission
    return _signer().sign_object(
        {"l": link.pk, "v": submission.vendor_id, "p": submission.period_id}, compress=False
    )


def vendor_link_url(link: VendorLink, *, absolute: bool = True) -> str:
    path = reverse("outcomes:vendor-form", kwargs={"token": vendor_link_token(link)})
    return settings.PORTAL_SITE_URL.rstrip("/") + path if absolute else path


@transaction.atomic
def vendor_link_create(
    *, submission: Submission, acting_user, email: str = "", days: int = DEFAULT_DAYS
) -> VendorLink:
    if not policy.can_edit(submission, acting_user):
        raise ValidationError(_("This submission can no longer be changed."), code="locked")
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            _("A link lasts between 1 and %(max)s days.") % {"max": MAX_DAYS}, code="days"
        )
    link = VendorLink.objects.create(
        submission=submission,
        created_by=acting_user,
        expires_at=timezone.now() + dt.timedelta(days=days),
        email=email,
        email_status=VendorLink.EmailStatus.PENDING if email else VendorLink.EmailStatus.NOT_SENT,
    )
    if email:
        from .tasks import send_vendor_link_email

        enqueue_on_commit(send_vendor_link_email, link.pk)
    from .vendor_messages import vendor_link_line_queue

    vendor_link_line_queue(link=link, acting_user=acting_user)
    return link


def vendor_link_emails_pending() -> list[tuple]:
    """E-mails recorded but not sent a few minutes later: announce them again."""
    from .tasks import send_vendor_link_email

    now = timezone.now()
    stale = VendorLink.objects.filter(
        email_status=VendorLink.EmailStatus.PENDING,
        created_at__lt=now - dt.timedelta(minutes=5),
        created_at__gt=now - dt.timedelta(days=2),
    ).values_list("pk", flat=True)
    return [(send_vendor_link_email, (pk,)) for pk in stale]


@transaction.atomic
def vendor_link_revoke(*, link: VendorLink, acting_user) -> VendorLink:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


def vendor_link_resolve(token: str) -> VendorLink:
    """The link a token names, or LinkError saying why it does not open."""
    invalid = _("This link is not valid. Ask the Social Development Office for a new one.")
    try:
        data = _signer().unsign_object(token, max_age=dt.timedelta(days=MAX_DAYS))
    except signing.SignatureExpired as exc:
        raise LinkError(
            _("This link has expired. Ask the Social Development Office for a new one.")
        ) from exc
    except signing.BadSignature as exc:
        raise LinkError(invalid) from exc
    link = (
        VendorLink.objects.select_related("submission__vendor", "submission__period")
        .filter(pk=data.get("l"))
        .first()
    )
    if (
        link is None
        or link.submission.vendor_id != data.get("v")
        or link.submission.period_id != data.get("p")
    ):
        raise LinkError(invalid)
    if link.revoked_at is not None:
        raise LinkError(
            _("This link was withdrawn. Ask the Social Development Office for a new one.")
        )
    if link.expires_at <= timezone.now():
        raise LinkError(
            _("This link has expired. Ask the Social Development Office for a new one.")
        )
    return link


@transaction.atomic
def vendor_link_touch(*, link: VendorLink) -> None:
    VendorLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())


def vendor_link_email_send(*, link_id: int) -> VendorLink | None:
    """E-mail a link to the vendor; attempts and errors stay on the row."""
    with transaction.atomic():
        link = (
            VendorLink.objects.select_for_update(of=("self",))
            .select_related("submission__vendor", "submission__period")
            .filter(pk=link_id)
            .first()
        )
        if link is None or link.email_status not in (
            VendorLink.EmailStatus.PENDING,
            VendorLink.EmailStatus.FAILED,
        ):
            return link
        link.email_attempts += 1
        context = {
            "link": link,
            "vendor": link.submission.vendor,
            "period": link.submission.period,
            "url": vendor_link_url(link),
        }
        with translation.override("th"):
            subject = render_to_string("outcomes/email/vendor_link_subject.txt", context).strip()
            body_th = render_to_string("outcomes/email/vendor_link_body.txt", context)
        with translation.override("en"):
            body_en = render_to_string("outcomes/email/vendor_link_body.txt", context)
        try:
            send_mail(subject, f"{body_th}\n\n----\n\n{body_en}", None, [mail_address(link.email)])
        except Exception as exc:  # any transport error is recorded on the row
            link.email_status = VendorLink.EmailStatus.FAILED
            link.email_last_error = f"{type(exc).__name__}: {exc}"[:2000]
        else:
            link.email_status = VendorLink.EmailStatus.SENT
            link.email_sent_at = timezone.now()
            link.email_last_error = ""
        link.save(
            update_fields=["email_attempts", "email_status", "email_last_error", "email_sent_at"]
        )
    return link
