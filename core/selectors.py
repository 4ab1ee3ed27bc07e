from __future__ import annotations

from .models import WorkerPing


def worker_ping_latest() -> WorkerPing | None:
    return WorkerPing.objects.select_related("requested_by").first()


def worker_ping_last_answered() -> WorkerPing | None:
    return WorkerPing.objects.filter(answered_at__isnull=False).order_by("-answered_at").first()
