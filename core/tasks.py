from typing import Any

from celery import shared_task
from celery.app.task import Task

from .services import worker_ping_answer


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def answer_worker_ping(self: Task[Any, Any], ping_id: int) -> str | None:
    ping = worker_ping_answer(ping_id=ping_id, worker_hostname=self.request.hostname or "")
    return ping.answered_at.isoformat() if ping and ping.answered_at else None


@shared_task
def sweep_pending_work() -> dict[str, dict[str, int]]:
    """Celery beat: announce again the work recorded while the broker was down."""
    from .queue import sweep_pending_work as sweep

    report = sweep()
    return {"published": report.published, "failed": report.failed}


@shared_task
def purge_source_files() -> int:
    """Celery beat: delete the uploaded workbooks kept longer than UPLOAD_RETENTION_DAYS."""
    from .retention import source_files_purge

    return source_files_purge()
