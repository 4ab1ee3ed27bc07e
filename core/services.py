from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from .models import WorkerPing


@transaction.atomic
def worker_ping_request(*, acting_user: AbstractBaseUser | None) -> WorkerPing:
    from .tasks import answer_worker_ping

    ping = WorkerPing.objects.create(requested_by=acting_user)
    transaction.on_commit(lambda: answer_worker_ping.delay(ping.pk))
    return ping


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
