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
