"""The signed, expiring link with which a vendor fills in its own submission (one vendor,
one period, no account). SDO creates it, sends it (by e-mail through the portal or by
copying it), and then submits what the vendor entered."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Channel, OutboxMessage, RecipientKind
from notifications.services import (
    Recipient,
    message_enqueue,
    outbox_deliver,
    outbox_send_now,
    without_message,
)

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
        vendor_link_message_ensure(link)
    from .vendor_messages import vendor_link_line_queue

    vendor_link_line_queue(link=link, acting_user=acting_user)
    return link


def _message_key(link_id: int) -> str:
    return f"outcomes.vendor_link:{link_id}:email"


def vendor_link_message_ensure(link: VendorLink) -> OutboxMessage:
    """The link's e-mail in the outbox (notifications), created and announced on commit
    the first time; its outcome shows on the link (outcomes.vendor_messages)."""
    message, _created = message_enqueue(
        recipient=Recipient(
            RecipientKind.VENDOR, link.submission.vendor_id, "", link.email, Channel.EMAIL, "th"
        ),
        template="outcomes.vendor_link",
        context={"link_id": link.pk},
        idempotency_key=_message_key(link.pk),
        acting_user=link.created_by,
    )
    return message


def vendor_link_emails_pending() -> list[tuple]:
    """E-mails recorded before the outbox took over and never sent: announce them again
    (the outbox's own sweep looks after the others)."""
    from .tasks import send_vendor_link_email

    now = timezone.now()
    stale = VendorLink.objects.filter(
        email_status=VendorLink.EmailStatus.PENDING,
        created_at__lt=now - dt.timedelta(minutes=5),
        created_at__gt=now - dt.timedelta(days=2),
    ).values_list("pk", flat=True)
    keys = {pk: _message_key(pk) for pk in stale}
    return [(send_vendor_link_email, (pk,)) for pk in without_message(keys)]


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


def _emailable(link_id: int) -> VendorLink | None:
    return (
        VendorLink.objects.select_related("submission")
        .filter(
            pk=link_id,
            email_status__in=[VendorLink.EmailStatus.PENDING, VendorLink.EmailStatus.FAILED],
        )
        .exclude(email="")
        .first()
    )


def vendor_link_email_send(*, link_id: int) -> VendorLink | None:
    """E-mail a link to the vendor now, through the outbox; attempts and errors stay on
    the link, as before the outbox."""
    link = _emailable(link_id)
    if link is not None:
        outbox_send_now(message=vendor_link_message_ensure(link))
    return VendorLink.objects.filter(pk=link_id).first()


def vendor_link_email_deliver(*, link_id: int) -> None:
    """The task's way: the outbox sends it when due (its own retries, no double send)."""
    link = _emailable(link_id)
    if link is not None:
        outbox_deliver(message_id=vendor_link_message_ensure(link).pk)
