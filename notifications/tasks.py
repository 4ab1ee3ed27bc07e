"""The outbox's one task. Attempts, waits and errors are counted on the row (the admin
shows them) under notifications.services.retry_policy; Celery only waits. In-process
(no broker) a retry cannot wait: the row stays waiting and the sweep picks it up."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from .services import outbox_deliver


@shared_task(bind=True, max_retries=None)
def deliver_message(self: Task[Any, Any], message_id: int) -> str:
    retry_in = outbox_deliver(message_id=message_id)
    if retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=retry_in)
    return "retry" if retry_in is not None else "done"
