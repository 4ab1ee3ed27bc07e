"""The coordination pack of each city of a session: its link, its sending, the
participants the city enters and FAO's review of them (issue #17)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cities.models import SisterCity
from core.audit import save_audited
from core.languages import FALLBACK, chosen
from notifications.models import Channel, RecipientKind
from notifications.services import Recipient, message_enqueue

from ..models import CityPack, CityParticipant, PackParticipant, Session
from ..models.packs import new_pack_token

DEFAULT_DAYS = 60
MAX_DAYS = 180
MAX_PARTICIPANTS = 30
PACK_MESSAGE = "meetings.city_pack"


class PackLinkError(Exception):
    """A token that does not open a pack; the message is shown to the city."""


@dataclass(frozen=True)
class ParticipantInput:
    name: str
    organisation: str
    email: str
    language: str


def pack_url(pack: CityPack, name: str = "pack-public") -> str:
    path = reverse(f"meetings:{name}", kwargs={"token": pack.token})
    return settings.PORTAL_SITE_URL.rstrip("/") + path


def _lock(pack: CityPack) -> CityPack:
    return CityPack.objects.select_for_update().select_related("session", "city").get(pk=pack.pk)


@transaction.atomic
def pack_create(
    *, session: Session, city: SisterCity, acting_user, days: int = DEFAULT_DAYS
) -> CityPack:
    if session.is_closed:
        raise ValidationError(_("A closed session gets no coordination pack."), code="closed")
    if not session.cities.filter(pk=city.pk).exists():
        raise ValidationError(_("This city does not take part in the session."), code="city")
    if CityPack.objects.filter(session=session, city=city).exists():
        raise ValidationError(_("This city already has a pack for the session."), code="exists")
    pack = CityPack(
        session=session,
        city=city,
        expires_at=timezone.now() + dt.timedelta(days=days),
        created_by=acting_user,
    )
    save_audited(pack, acting_user=acting_user)
    return pack


@transaction.atomic
def pack_enable(*, pack: CityPack, acting_user, days: int = DEFAULT_DAYS) -> CityPack:
    """Opens the link again for `days`; a withdrawn link gets a new token, so the old one
    never opens again."""
    pack = _lock(pack)
    if pack.revoked_at is not None:
        pack.token = new_pack_token()
        pack.revoked_at = None
    pack.enabled = True
    pack.expires_at = timezone.now() + dt.timedelta(days=min(days, MAX_DAYS))
    save_audited(pack, acting_user=acting_user)
    return pack


@transaction.atomic
def pack_revoke(*, pack: CityPack, acting_user) -> CityPack:
    pack = _lock(pack)
    if pack.revoked_at is None:
        pack.revoked_at = timezone.now()
        pack.enabled = False
        save_audited(pack, acting_user=acting_user)
    return pack


def pack_recipients(pack: CityPack) -> list[str]:
    return sorted({c.email.strip() for c in pack.city.contacts.all() if c.email.strip()})


@transaction.atomic
def pack_send(*, pack: CityPack, acting_user) -> CityPack:
    """Each sending is one e-mail to the city's contacts, through the outbox; a repeat of
    the same sending (a double click) finds its message by the key and sends nothing."""
    pack = _lock(pack)
    if pack.revoked_at is not None or not pack.enabled:
        raise ValidationError(_("Enable the link before sending the pack."), code="disabled")
    addresses = pack_recipients(pack)
    if not addresses:
        raise ValidationError(
            _("The city has no contact with an e-mail address: add one first."), code="nobody"
        )
    from core.languages import city_language

    pack.send_count += 1
    pack.sent_at = timezone.now()
    message_enqueue(
        recipient=Recipient(
            RecipientKind.GROUP,
            None,
            pack.city.name_en,
            ", ".join(addresses),
            Channel.EMAIL,
            city_language(pack.city),
        ),
        template=PACK_MESSAGE,
        context={"pack_id": pack.pk, "session_id": pack.session_id, "city_id": pack.city_id},
        idempotency_key=f"{PACK_MESSAGE}:{pack.pk}:{pack.send_count}",
        acting_user=acting_user,
    )
    save_audited(pack, acting_user=acting_user, update_fields=["send_count", "sent_at"])
    return pack


def pack_resolve(token: str) -> CityPack:
    """The pack a token opens, or PackLinkError saying why not."""
    pack = (
        CityPack.objects.select_related("session__year", "city").filter(token=token).first()
        if 20 <= len(token) <= 64
        else None
    )
    if pack is None:
        raise PackLinkError(
            _("This link is not valid. Ask the Foreign Affairs Office of Bangkok for a new one.")
        )
    if pack.revoked_at is not None or not pack.enabled:
        raise PackLinkError(
            _("This link was withdrawn. Ask the Foreign Affairs Office of Bangkok for a new one.")
        )
    if pack.expires_at <= timezone.now():
        raise PackLinkError(
            _("This link has expired. Ask the Foreign Affairs Office of Bangkok for a new one.")
        )
    return pack


def _normalised(rows: list[ParticipantInput]) -> list[ParticipantInput]:
    return [
        ParticipantInput(
            r.name.strip(), r.organisation.strip(), r.email.strip().lower(), r.language
        )
        for r in rows
    ]


@transaction.atomic
def pack_participants_submit(*, pack: CityPack, rows: list[ParticipantInput]) -> bool:
    """The city's list replaces the rows still waiting for review; rows FAO already
    reviewed stay. The same list sent again changes nothing (returns False)."""
    pack = _lock(pack)
    if pack.session.is_closed:
        raise ValidationError(_("The session is over: the list can no longer change."))
    rows = _normalised(rows)
    if not rows:
        raise ValidationError(_("Enter at least one participant."), code="empty")
    if len(rows) > MAX_PARTICIPANTS:
        raise ValidationError(
            _("Enter at most %(max)s participants.") % {"max": MAX_PARTICIPANTS}, code="many"
        )
    emails = [r.email for r in rows]
    if len(set(emails)) != len(emails):
        raise ValidationError(_("Each participant needs their own e-mail address."), code="twice")
    pending = list(pack.entries.filter(status=PackParticipant.Status.PENDING))
    current = [ParticipantInput(p.name, p.organisation, p.email, p.language) for p in pending]
    if current == rows:
        return False
    pack.entries.filter(status=PackParticipant.Status.PENDING).delete()
    PackParticipant.objects.bulk_create(
        PackParticipant(
            pack=pack,
            position=i,
            name=r.name,
            organisation=r.organisation,
            email=r.email,
            language=r.language,
        )
        for i, r in enumerate(rows)
    )
    pack.participants_submitted_at = timezone.now()
    save_audited(pack, acting_user=None, update_fields=["participants_submitted_at"])
    return True


def _e_mail_language(code: str) -> str:
    # The participant's e-mails come in any public language (a Korean reader's in Korean);
    # a row stored before a language was dropped from the list reads English.
    return chosen(code) or FALLBACK


@transaction.atomic
def pack_participants_review(
    *, pack: CityPack, accept: list[int], reject: list[int], acting_user
) -> tuple[int, int]:
    """Accepted rows become the session's city participants (an existing one with the
    same e-mail is updated); rejected rows are deleted, never invited."""
    pack = _lock(pack)
    if pack.session.is_closed:
        raise ValidationError(_("The participants of a closed session cannot change."))
    if set(accept) & set(reject):
        raise ValidationError(_("A participant cannot be both accepted and rejected."))
    pending = {
        p.pk: p
        for p in pack.entries.filter(
            status=PackParticipant.Status.PENDING, pk__in=[*accept, *reject]
        )
    }
    if not pending:
        raise ValidationError(_("Choose at least one participant waiting for review."))
    existing = {
        (p.email or "").lower(): p
        for p in CityParticipant.objects.filter(
            session=pack.session, city=pack.city, contact__isnull=True
        )
        if p.email
    }
    accepted = rejected = 0
    for pk, entry in pending.items():
        if pk in accept:
            participant = existing.get(entry.email) or CityParticipant(
                session=pack.session, city=pack.city
            )
            participant.name = entry.name
            participant.organisation = entry.organisation
            participant.email = entry.email
            participant.language = _e_mail_language(entry.language)
            save_audited(participant, acting_user=acting_user)
            entry.participant = participant
            entry.status = PackParticipant.Status.ACCEPTED
            accepted += 1
            entry.save(update_fields=["status", "participant"])
        else:
            # Nobody keeps the details of someone who is not taking part (PDPA: no purpose).
            entry.delete()
            rejected += 1
    pack.reviewed_at = timezone.now()
    pack.reviewed_by = acting_user
    save_audited(pack, acting_user=acting_user, update_fields=["reviewed_at", "reviewed_by"])
    return accepted, rejected
