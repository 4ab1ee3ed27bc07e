"""The outbox's one task. Attempts, waits and errors are counted on the row (the admin
shows them) under notifications.services.retry_policy; Celery only waits. In-process
(no broker) a retry cannot wait: the row stays waiting and the sweep picks it up."""

from __future__ import annotations

from core.queue import portal_task

from .services import outbox_deliver


@portal_task(bind=True, retry_on=())
def deliver_message(self, message_id: int) -> str:
    retry_in = outbox_deliver(message_id=message_id)
    if retry_in is not None:
        self.wait_and_retry(retry_in)
    return "retry" if retry_in is not None else "done"


@portal_task
def send_staff_digests() -> int:
    """Each morning: the daily digest of every user who chose it (once per user and day)."""
    from django.utils import timezone

    from .staff import staff_digests_send

    return staff_digests_send(today=timezone.localdate())
