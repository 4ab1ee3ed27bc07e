from .queue import PortalTask, portal_task
from .services import worker_ping_answer


@portal_task(bind=True)
def answer_worker_ping(self: PortalTask, ping_id: int) -> str | None:
    ping = worker_ping_answer(ping_id=ping_id, worker_hostname=self.request.hostname or "")
    return ping.answered_at.isoformat() if ping and ping.answered_at else None


@portal_task
def sweep_pending_work() -> dict[str, dict[str, int]]:
    """Celery beat: announce again the work recorded while the broker was down."""
    from .queue import sweep_pending_work as sweep

    report = sweep()
    return {"published": report.published, "failed": report.failed}


@portal_task
def purge_source_files() -> int:
    """Celery beat: delete the uploaded workbooks kept longer than UPLOAD_RETENTION_DAYS."""
    from .retention import source_files_purge

    return source_files_purge()


@portal_task(bind=True, retry_on=())
def build_audit_export(self: PortalTask, export_id: int) -> str:
    """The audit trail's workbook; the row counts its tries under core.audit_export's
    policy, Celery only waits."""
    from .audit_export import AUDIT_EXPORTS

    result = AUDIT_EXPORTS.build(export_id=export_id)
    if result.retry_in is not None:
        self.wait_and_retry(result.retry_in)
    return result.status
