"""Every write of the leads: a buyer's request, SDO's check, its status and follow-up."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import save_audited
from core.fiscal import BANGKOK
from meetings.models import ShortlistEntry
from notifications.models import Channel, RecipientKind
from notifications.services import Recipient, message_enqueue, vendor_message_enqueue
from vendors.models import Product, Vendor

from . import policy
from .models import ShowcaseLink
from .models_leads import Lead

VENDOR_TEMPLATE = "buyers.lead_vendor"
BUYER_TEMPLATE = "buyers.lead_buyer"
# A request sent again within this window (same link, address, vendor and product) is
# the same request.
REPEAT_WINDOW = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class LeadInput:
    name: str
    company: str
    country: str
    buyer_city: str
    email: str
    phone: str
    messenger: str
    messenger_handle: str
    interest: str
    quantity: str
    consent: bool


def _repeat_key(link: ShowcaseLink, data: LeadInput, vendor: Vendor, product, now) -> str:
    who = (data.email or data.phone or data.messenger_handle).strip().lower()
    bucket = int(now.timestamp() // REPEAT_WINDOW.total_seconds())
    raw = f"{link.pk}|{who}|{vendor.pk}|{product.pk if product else ''}|{bucket}"
    return hashlib.sha256(raw.encode()).hexdigest()


def lead_create(
    *,
    link: ShowcaseLink,
    vendor_id: int,
    product_id: int | None,
    data: LeadInput,
    language: str,
    acting_user: User | None = None,
) -> tuple[Lead, bool]:
    """The lead for a buyer's request, and whether it is new. The vendor is told at once
    (LINE when linked, else e-mail); the buyer gets a confirmation in their language."""
    if not data.consent:
        raise ValidationError(_("Please agree to the use of your data."), code="consent")
    if not (data.email or data.phone):
        raise ValidationError(_("Please give an e-mail address or a phone number."), code="reach")
    entry = (
        ShortlistEntry.objects.filter(session_id=link.session_id, vendor_id=vendor_id)
        .select_related("vendor")
        .first()
    )
    if entry is None:
        raise Vendor.DoesNotExist
    product = None
    if product_id is not None:
        product = entry.products.filter(pk=product_id).first()
        if product is None:
            raise Product.DoesNotExist
    now = timezone.now()
    key = _repeat_key(link, data, entry.vendor, product, now)
    existing = Lead.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing, False
    lead = Lead(
        link=link,
        session_id=link.session_id,
        city_id=link.city_id,
        vendor=entry.vendor,
        product=product,
        name=data.name,
        company=data.company,
        country=data.country,
        buyer_city=data.buyer_city,
        email=data.email,
        phone=data.phone,
        messenger=data.messenger if data.messenger_handle else "",
        messenger_handle=data.messenger_handle,
        interest=data.interest,
        quantity=data.quantity,
        language=language,
        consented_at=now,
        received_on=now.astimezone(BANGKOK).date(),
        idempotency_key=key,
    )
    try:
        with transaction.atomic():
            save_audited(lead, acting_user=acting_user, reason="showcase request")
    except IntegrityError:  # the same request, sent at the same moment, won
        return Lead.objects.get(idempotency_key=key), False
    _announce(lead)
    return lead, True


def _announce(lead: Lead) -> None:
    context = {"lead_id": lead.pk, "vendor_id": lead.vendor_id, "product_id": lead.product_id}
    vendor_message_enqueue(
        vendor=lead.vendor,
        template=VENDOR_TEMPLATE,
        context=context,
        idempotency_key=f"buyers.lead.{lead.pk}.vendor",
    )
    if lead.email:
        message_enqueue(
            recipient=Recipient(
                RecipientKind.ADDRESS, None, lead.name, lead.email, Channel.EMAIL, lead.language
            ),
            template=BUYER_TEMPLATE,
            context=context,
            idempotency_key=f"buyers.lead.{lead.pk}.buyer",
        )


def _locked(lead: Lead) -> Lead:
    return Lead.objects.select_for_update().get(pk=lead.pk)


@transaction.atomic
def lead_status_change(*, lead: Lead, status: str, acting_user: User) -> Lead:
    lead = _locked(lead)
    if not policy.can_change_status(lead, status):
        raise ValidationError(_("This lead cannot move to that status."), code="status")
    lead.status = status
    save_audited(lead, acting_user=acting_user, reason=f"status {status}")
    return lead


@transaction.atomic
def lead_follow_up_save(
    *, lead: Lead, notes: str, follow_up_on: dt.date | None, acting_user: User
) -> Lead:
    lead = _locked(lead)
    lead.notes = notes
    lead.follow_up_on = follow_up_on
    save_audited(lead, acting_user=acting_user, reason="follow-up")
    return lead


def _verify(lead: Lead, verification: str, acting_user: User) -> Lead:
    lead = _locked(lead)
    if not policy.can_verify(lead):
        raise ValidationError(_("This lead has already been checked."), code="checked")
    lead.verification = verification
    lead.verified_at = timezone.now()
    lead.verified_by = acting_user
    save_audited(lead, acting_user=acting_user, reason=f"verification {verification}")
    return lead


@transaction.atomic
def lead_confirm(*, lead: Lead, acting_user: User) -> Lead:
    """SDO has checked that the buyer is real: from now on it counts as a buying contact."""
    return _verify(lead, Lead.Verification.CONFIRMED, acting_user)


@transaction.atomic
def lead_reject(*, lead: Lead, acting_user: User) -> Lead:
    return _verify(lead, Lead.Verification.REJECTED, acting_user)
