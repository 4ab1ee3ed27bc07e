from __future__ import annotations

import logging
from dataclasses import dataclass

import requests
from django.conf import settings
from django.db.models import Count

from .line_client import LineClient, Quota
from .models import LineLink, OutboxMessage

logger = logging.getLogger(__name__)


def outbox_counts() -> dict[str, int]:
    rows = OutboxMessage.objects.values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


def outbox_counts_labelled() -> list[tuple[str, int]]:
    """The counts by status, each under its label in the reader's language."""
    labels = dict(OutboxMessage.Status.choices)
    return [(str(labels.get(status, status)), n) for status, n in outbox_counts().items()]


@dataclass(frozen=True)
class LineStatus:
    backend: str
    configured: bool
    quota: Quota | None
    error: str
    linked: int


def line_status() -> LineStatus:
    """What the system page shows about LINE; asks LINE for the quota when configured."""
    configured = settings.LINE_BACKEND == "line" and bool(settings.LINE_CHANNEL_ACCESS_TOKEN)
    quota, error = None, ""
    if configured:
        try:
            quota = LineClient.from_settings().quota()
        except (requests.RequestException, ValueError) as exc:
            logger.warning("LINE quota: %s", exc)
            error = type(exc).__name__
    linked = LineLink.objects.filter(status=LineLink.Status.LINKED).count()
    return LineStatus(settings.LINE_BACKEND, configured, quota, error, linked)


def vendor_messages(vendor_id: int, limit: int = 20) -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(recipient_kind="vendor", recipient_id=vendor_id).order_by(
            "-created_at", "-pk"
        )[:limit]
    )
