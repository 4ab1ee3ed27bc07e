from celery import shared_task

from .services import worker_ping_answer


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def answer_worker_ping(self, ping_id: int) -> str | None:
    ping = worker_ping_answer(ping_id=ping_id, worker_hostname=self.request.hostname or "")
    return ping.answered_at.isoformat() if ping else None


@shared_task
def sweep_pending_work() -> dict:
    """Celery beat: announce again the work recorded while the broker was down."""
    from .queue import sweep_pending_work as sweep

    report = sweep()
    return {"published": report.published, "failed": report.failed}


@shared_task
def purge_source_files() -> int:
    """Celery beat: delete the uploaded workbooks kept longer than UPLOAD_RETENTION_DAYS."""
    from .retention import source_files_purge

    return source_files_purge()


@shared_task(bind=True, acks_late=True, max_retries=None)
def build_audit_export(self, export_id: int) -> str:
    """The audit trail's workbook; retried as core.audit_export's policy says."""
    from .audit_export import audit_export_build

    result = audit_export_build(export_id=export_id)
    if result.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=result.retry_in)
    return result.status
