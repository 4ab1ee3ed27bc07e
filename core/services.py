from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from .models import WorkerPing
from .queue import Dispatch, enqueue_on_commit


@transaction.atomic
def worker_ping_request(*, acting_user: User | None) -> tuple[WorkerPing, Dispatch]:
    from .tasks import answer_worker_ping

    ping = WorkerPing.objects.create(requested_by=acting_user)
    return ping, enqueue_on_commit(answer_worker_ping, ping.pk)


def worker_pings_pending() -> list[tuple[Any, tuple[int]]]:
    """Pings recorded but unanswered for a while: announce them again (core.queue)."""
    from .tasks import answer_worker_ping

    now = timezone.now()
    stale = WorkerPing.objects.filter(
        answered_at__isnull=True,
        requested_at__lt=now - dt.timedelta(minutes=2),
        requested_at__gt=now - dt.timedelta(days=1),
    ).values_list("pk", flat=True)
    return [(answer_worker_ping, (pk,)) for pk in stale]


@transaction.atomic
def worker_ping_answer(*, ping_id: int, worker_hostname: str) -> WorkerPing | None:
    ping = WorkerPing.objects.select_for_update().filter(pk=ping_id).first()
    if ping is None:
        return None
    if ping.answered_at is None:  # a redelivered task answers once
        ping.answered_at = timezone.now()
        ping.worker_hostname = worker_hostname[:255]
        ping.save(update_fields=["answered_at", "worker_hostname"])
    return ping
