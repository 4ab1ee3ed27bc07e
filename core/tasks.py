from .queue import portal_task
from .services import worker_ping_answer


@portal_task(bind=True)
def answer_worker_ping(self, ping_id: int) -> str | None:
    ping = worker_ping_answer(ping_id=ping_id, worker_hostname=self.request.hostname or "")
    return ping.answered_at.isoformat() if ping else None


@portal_task
def sweep_pending_work() -> dict:
    """Celery beat: announce again the work recorded while the broker was down."""
    from .queue import sweep_pending_work as sweep

    report = sweep()
    return {"published": report.published, "failed": report.failed}


@portal_task
def purge_source_files() -> int:
    """Celery beat: delete the uploaded workbooks kept longer than UPLOAD_RETENTION_DAYS."""
    from .retention import source_files_purge

    return source_files_purge()
