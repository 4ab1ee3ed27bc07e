"""Writing to the outbox and delivering from it.

Delivery happens in three steps, so no database lock is held across a network call:
1. claim: lock the row (of=("self",)), check it is due, mark it "sending", commit;
2. send: render and hand it to the channel, outside any transaction;
3. record: lock the row again and store the outcome.

A row stays "sending" only when a worker died between 1 and 3. The sweep then decides
(`outbox_recover_stale`): a LINE message is tried again with the same X-Line-Retry-Key,
which LINE answers with 409 if the first try got through; an e-mail becomes "uncertain",
because SMTP cannot tell, and staff choose whether to retry it.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.queue import Dispatch, enqueue_on_commit
from core.retry import RetryPolicy

from .channels import Delivery, Verdict, channel_for, line_enabled
from .models import Channel, LineLink, LineLinkCode, OutboxMessage, RecipientKind
from .rendering import SkipMessage, message_language, registered_templates, render_message

if TYPE_CHECKING:
    from vendors.models import Vendor

logger = logging.getLogger(__name__)

Status = OutboxMessage.Status


def retry_policy(template: str = "") -> RetryPolicy:
    """The template's own policy where it keeps an older sender's promise, else the
    outbox's (settings)."""
    spec = registered_templates().get(template)
    if spec is not None and spec.policy is not None:
        return spec.policy
    return RetryPolicy(
        max_attempts=settings.NOTIFICATIONS_MAX_ATTEMPTS,
        base_seconds=settings.NOTIFICATIONS_RETRY_BASE_SECONDS,
        max_delay_seconds=6 * 3600,
    )


def _changed(message: OutboxMessage) -> None:
    spec = registered_templates().get(message.template)
    if spec is not None and spec.on_change is not None:
        spec.on_change(message)


@dataclass(frozen=True)
class Recipient:
    kind: str
    id: int | None
    name: str
    address: str
    channel: str
    language: str


def _enqueue(message: OutboxMessage) -> Dispatch:
    from .tasks import deliver_message

    return enqueue_on_commit(deliver_message, message.pk)


def message_enqueue(
    *,
    recipient: Recipient,
    template: str,
    context: dict[str, Any],
    idempotency_key: str,
    acting_user: User | None = None,
    fallback_for: OutboxMessage | None = None,
) -> tuple[OutboxMessage, bool]:
    """The message for `idempotency_key`, created and announced on commit the first time;
    a second call with the same key returns the first row and sends nothing."""
    existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                recipient_kind=recipient.kind,
                recipient_id=recipient.id,
                recipient_name=recipient.name[:255],
                address=recipient.address,
                channel=recipient.channel,
                template=template,
                language=message_language(recipient.language, template),
                context=context,
                idempotency_key=idempotency_key,
                requested_by=acting_user,
                fallback_for=fallback_for,
            )
    except IntegrityError:  # a concurrent call with the same key won
        return OutboxMessage.objects.get(idempotency_key=idempotency_key), False
    _enqueue(message)
    return message, True


def vendor_recipient(vendor: Vendor, *, prefer_line: bool = True) -> Recipient | None:
    """How a vendor is reached: by LINE when linked (and LINE is on), else by e-mail.
    Vendors read Thai."""
    link = getattr(vendor, "line_link", None) if prefer_line else None
    name = vendor.contact_person or vendor.owner_name or vendor.business_name_th
    if link is not None and link.is_usable and line_enabled():
        return Recipient(
            RecipientKind.VENDOR, vendor.pk, name, link.line_user_id, Channel.LINE, "th"
        )
    if vendor.email:
        return Recipient(RecipientKind.VENDOR, vendor.pk, name, vendor.email, Channel.EMAIL, "th")
    return None


def vendor_message_enqueue(
    *,
    vendor: Vendor,
    template: str,
    context: dict[str, Any],
    idempotency_key: str,
    acting_user: User | None = None,
) -> OutboxMessage | None:
    recipient = vendor_recipient(vendor)
    if recipient is None:
        return None
    message, _created = message_enqueue(
        recipient=recipient,
        template=template,
        context=context,
        idempotency_key=idempotency_key,
        acting_user=acting_user,
    )
    return message


# --- delivery ------------------------------------------------------------------------------


def _claim(message_id: int, now: dt.datetime) -> OutboxMessage | None:
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(of=("self",)).filter(pk=message_id).first()
        )
        if message is None:
            return None
        if message.status == Status.SENDING and _stale(message, now):
            # Its worker died mid-send and the task came back (late acknowledgement).
            if message.channel != Channel.LINE:
                _mark_uncertain(message)
                return None
        elif message.status != Status.PENDING or message.next_attempt_at > now:
            return None
        message.status = Status.SENDING
        message.claimed_at = now
        message.attempts += 1
        message.save(update_fields=["status", "claimed_at", "attempts"])
        _changed(message)
    return message


def _stale(message: OutboxMessage, now: dt.datetime) -> bool:
    cutoff = now - dt.timedelta(seconds=settings.NOTIFICATIONS_STALE_SECONDS)
    return message.claimed_at is not None and message.claimed_at < cutoff


def _mark_uncertain(message: OutboxMessage) -> None:
    message.status = Status.UNCERTAIN
    message.last_error_code = "worker_lost_email"
    message.save(update_fields=["status", "last_error_code"])
    _changed(message)


def outbox_deliver(*, message_id: int) -> float | None:
    """Try one message once. Returns the seconds until its next try, or None when done
    (sent, failed for good, or not this task's to send)."""
    now = timezone.now()
    message = _claim(message_id, now)
    if message is None:
        return None
    try:
        rendered = render_message(message)
    except SkipMessage as skip:
        return _record(
            message, Delivery(Verdict.FAILED, error_code=str(skip.args[0])), skipped=True
        )
    except Exception as exc:  # a bug in a template must not leave the row "sending"
        logger.exception("Rendering outbox message %s failed", message.pk)
        return _record(
            message,
            Delivery(
                Verdict.FAILED, error_code="render_failed", error_params={"error": str(exc)[:500]}
            ),
        )
    delivery = channel_for(message.channel).send(message, rendered)
    return _record(message, delivery)


def _record(message: OutboxMessage, delivery: Delivery, skipped: bool = False) -> float | None:
    retry_in = None
    fallback = False
    policy = retry_policy(message.template)
    with transaction.atomic():
        row = OutboxMessage.objects.select_for_update(of=("self",)).get(pk=message.pk)
        if row.status != Status.SENDING or row.claimed_at != message.claimed_at:
            # The sweep gave the row to someone else meanwhile; they record it.
            return None
        row.last_error_code = delivery.error_code
        row.last_error_params = delivery.error_params
        if delivery.verdict == Verdict.SENT:
            row.status = Status.SENT
            row.sent_at = timezone.now()
            row.channel_message_id = delivery.channel_message_id[:255]
        elif delivery.verdict == Verdict.RETRY and not policy.gives_up(row.attempts):
            retry_in = policy.delay(row.attempts, retry_after=delivery.retry_after)
            row.status = Status.PENDING
            row.next_attempt_at = timezone.now() + dt.timedelta(seconds=retry_in)
        else:
            row.status = Status.CANCELLED if skipped else Status.FAILED
            fallback = row.channel == Channel.LINE and not skipped
            if (
                delivery.verdict == Verdict.REJECTED
                and row.recipient_kind == RecipientKind.VENDOR
                and row.recipient_id is not None
            ):
                LineLink.objects.filter(
                    vendor_id=row.recipient_id,
                    line_user_id=row.address,
                    status=LineLink.Status.LINKED,
                ).update(status=LineLink.Status.BROKEN, changed_at=timezone.now())
        row.save()
        _changed(row)
        if fallback:
            _fall_back_to_email(row)
    return retry_in


def _fall_back_to_email(message: OutboxMessage) -> OutboxMessage | None:
    """LINE would not take it: the vendor gets it by e-mail, if we have an address."""
    if message.recipient_kind != RecipientKind.VENDOR or message.recipient_id is None:
        return None
    from vendors.models import Vendor

    vendor = Vendor.objects.filter(pk=message.recipient_id).first()
    recipient = vendor_recipient(vendor, prefer_line=False) if vendor else None
    if recipient is None:
        return None
    fallback, _created = message_enqueue(
        recipient=recipient,
        template=message.template,
        context=message.context,
        idempotency_key=f"{message.idempotency_key}:email",
        fallback_for=message,
    )
    return fallback


@transaction.atomic
def outbox_recover_stale(*, now: dt.datetime | None = None) -> int:
    """Rows a dead worker left "sending": LINE ones go back to waiting (the retry key
    keeps them from arriving twice), e-mails become "uncertain"."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.NOTIFICATIONS_STALE_SECONDS)
    stale = OutboxMessage.objects.select_for_update(of=("self",)).filter(
        status=Status.SENDING, claimed_at__lt=cutoff
    )
    count = 0
    for row in stale:
        if row.channel == Channel.LINE:
            row.status = Status.PENDING
            row.next_attempt_at = now
            row.last_error_code = "worker_lost"
            row.save(update_fields=["status", "next_attempt_at", "last_error_code"])
            _changed(row)
        else:
            _mark_uncertain(row)
        count += 1
    return count


def outbox_pending(*, now: dt.datetime | None = None) -> list[tuple[Any, ...]]:
    """For core.queue's sweep: messages due but not sent a while after they were due."""
    from .tasks import deliver_message

    now = now or timezone.now()
    outbox_recover_stale(now=now)
    due = OutboxMessage.objects.filter(
        status=Status.PENDING,
        next_attempt_at__lte=now - dt.timedelta(seconds=settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS),
        created_at__gte=now - dt.timedelta(days=2),
    ).values_list("pk", flat=True)
    return [(deliver_message, (pk,)) for pk in due]


@transaction.atomic
def outbox_retry(*, message: OutboxMessage, acting_user: User | None) -> bool:
    """Staff's "retry": a failed or uncertain message is tried once more (with a fresh
    count of attempts). A sent one is never sent again."""
    row = OutboxMessage.objects.select_for_update(of=("self",)).get(pk=message.pk)
    if row.status not in (Status.FAILED, Status.UNCERTAIN, Status.PENDING):
        return False
    row.status = Status.PENDING
    row.attempts = 0
    row.next_attempt_at = timezone.now()
    row.save(update_fields=["status", "attempts", "next_attempt_at"])
    _changed(row)
    _enqueue(row)
    return True


def outbox_send_now(*, message: OutboxMessage) -> float | None:
    """Try a message at once, whatever its backoff said (an older sender's explicit
    "send this notice" keeps its meaning). Never a message sent, being sent or cancelled."""
    with transaction.atomic():
        row = OutboxMessage.objects.select_for_update(of=("self",)).get(pk=message.pk)
        if row.status not in (Status.PENDING, Status.FAILED):
            return None
        row.status = Status.PENDING
        row.next_attempt_at = timezone.now()
        row.save(update_fields=["status", "next_attempt_at"])
    return outbox_deliver(message_id=message.pk)


# --- LINE linking --------------------------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed on phones
CODE_LENGTH = 8


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def line_link_code_issue(*, vendor: Vendor, acting_user: User | None = None) -> LineLinkCode:
    """The vendor's current code, or a new one when it has none still valid."""
    now = timezone.now()
    current = (
        LineLinkCode.objects.select_for_update()
        .filter(vendor=vendor, used_at__isnull=True, expires_at__gt=now)
        .order_by("-expires_at")
        .first()
    )
    if current is not None:
        return current
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return LineLinkCode.objects.create(
                    vendor=vendor,
                    code=_new_code(),
                    expires_at=now + dt.timedelta(days=settings.LINE_LINK_CODE_DAYS),
                    created_by=acting_user,
                )
        except IntegrityError:  # the same code drawn twice: draw again
            continue
    raise RuntimeError("could not draw a unique LINE link code")


def line_invite_context() -> dict[str, Any]:
    basic_id = settings.LINE_BOT_BASIC_ID
    return {
        "line_basic_id": basic_id,
        "line_add_url": f"https://line.me/R/ti/p/{basic_id}" if basic_id else "",
    }


def line_invite_for_vendor(vendor: Vendor) -> dict[str, Any]:
    """What the vendor's own page shows to link LINE: nothing when LINE is off or the
    vendor is linked already, else its one-time code and the account to add."""
    if not settings.LINE_CHANNEL_SECRET:
        return {}
    if LineLink.objects.filter(vendor=vendor, status=LineLink.Status.LINKED).exists():
        return {}
    return {"code": line_link_code_issue(vendor=vendor), **line_invite_context()}


def without_message(keys: dict[int, str]) -> list[int]:
    """Of the rows whose message would have `keys[pk]` as its idempotency key, those with
    no message yet (an older sender's rows from before the outbox)."""
    have = set(
        OutboxMessage.objects.filter(idempotency_key__in=list(keys.values())).values_list(
            "idempotency_key", flat=True
        )
    )
    return [pk for pk, key in keys.items() if key not in have]
