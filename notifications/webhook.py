"""LINE's webhook: link a vendor when it sends its code, unlink it when it unfollows.

LINE signs the raw body (X-Line-Signature: base64 of HMAC-SHA256 with the channel
secret); anything not signed so is refused before it is parsed. LINE may deliver an
event again (isRedelivery), so each webhookEventId is handled once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import LineLink, LineLinkCode, LineWebhookEvent
from .services import CODE_ALPHABET, CODE_LENGTH, message_enqueue
from .services import Recipient as _Recipient

logger = logging.getLogger(__name__)

CODE_RE = re.compile(rf"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")
WORD_RE = re.compile(r"[A-Za-z0-9-]+")
# Wrong codes a LINE user may send per hour before the webhook stops looking.
CODE_TRIES_PER_HOUR = 10


class BadSignature(Exception):
    pass


def signature_valid(body: bytes, signature: str, secret: str) -> bool:
    if not secret or not signature:
        return False
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest).decode(), signature.strip())


@dataclass
class WebhookReport:
    handled: int = 0
    duplicates: int = 0
    linked: list[int] = field(default_factory=list)
    unlinked: list[int] = field(default_factory=list)


def line_webhook_handle(*, body: bytes, signature: str) -> WebhookReport:
    if not signature_valid(body, signature, settings.LINE_CHANNEL_SECRET):
        raise BadSignature
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise BadSignature from exc
    report = WebhookReport()
    for event in payload.get("events") or []:
        if not isinstance(event, dict):
            continue
        event_id = str(event.get("webhookEventId") or "")
        try:
            with transaction.atomic():
                if event_id:
                    LineWebhookEvent.objects.create(
                        event_id=event_id, event_type=str(event.get("type", ""))[:32]
                    )
                _handle_event(event, report)
        except IntegrityError:
            report.duplicates += 1
            continue
        report.handled += 1
    return report


def _user_id(event: dict[str, Any]) -> str:
    source = event.get("source") or {}
    return str(source.get("userId") or "") if source.get("type") == "user" else ""


def _handle_event(event: dict[str, Any], report: WebhookReport) -> None:
    user_id = _user_id(event)
    if not user_id:
        return
    kind = event.get("type")
    if kind == "unfollow":
        count = LineLink.objects.filter(
            line_user_id=user_id, status__in=[LineLink.Status.LINKED, LineLink.Status.BROKEN]
        ).update(status=LineLink.Status.UNLINKED, changed_at=timezone.now())
        if count:
            report.unlinked.append(count)
        return
    if kind != "message" or (event.get("message") or {}).get("type") != "text":
        return
    code = _code_in(str(event["message"].get("text", "")))
    if code is None:
        return
    throttle_key = f"line-code-tries:{user_id}"
    cache.add(throttle_key, 0, 3600)
    if cache.incr(throttle_key) > CODE_TRIES_PER_HOUR:
        logger.warning("LINE user sent too many codes; ignored")
        return
    vendor_id = line_link_bind(code=code, line_user_id=user_id)
    if vendor_id is not None:
        report.linked.append(vendor_id)


def _code_in(text: str) -> str | None:
    """The first word that is a code, however the vendor typed it (lower case, with a
    dash in the middle): "my code: abcd-2345" holds ABCD2345."""
    word: str
    for word in WORD_RE.findall(text):
        candidate = word.upper().replace("-", "")
        if CODE_RE.fullmatch(candidate):
            return candidate
    return None


def line_link_bind(*, code: str, line_user_id: str) -> int | None:
    """Bind the LINE user to the code's vendor (a valid code is used once). Returns the
    vendor's id, or None for an unknown, used or expired code."""
    now = timezone.now()
    link_code = (
        LineLinkCode.objects.select_for_update()
        .select_related("vendor")
        .filter(code=code, used_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if link_code is None:
        return None
    link_code.used_at = now
    link_code.save(update_fields=["used_at"])
    vendor = link_code.vendor
    # One LINE account speaks for one vendor: linking it elsewhere moves it.
    LineLink.objects.filter(line_user_id=line_user_id).exclude(vendor=vendor).update(
        status=LineLink.Status.UNLINKED, changed_at=now
    )
    LineLink.objects.update_or_create(
        vendor=vendor,
        defaults={
            "line_user_id": line_user_id,
            "status": LineLink.Status.LINKED,
            "linked_at": now,
            "changed_at": now,
        },
    )
    name = vendor.contact_person or vendor.owner_name or vendor.business_name_th
    message_enqueue(
        recipient=_Recipient("vendor", vendor.pk, name, line_user_id, "line", "th"),
        template="notifications.line_linked",
        context={"vendor_id": vendor.pk},
        idempotency_key=f"line-linked:{link_code.pk}",
    )
    return vendor.pk
