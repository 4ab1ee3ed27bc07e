from core.queue import portal_task

from . import services


def _give_up(exc: Exception, job_id: int) -> str:
    services.vendor_import_failed(job_id=job_id, error=repr(exc))
    return "failed"


@portal_task(on_give_up=_give_up)
def check_vendor_import(job_id: int) -> str | None:
    job = services.vendor_import_check(job_id=job_id)
    return job.status if job else None


@portal_task(on_give_up=_give_up)
def apply_vendor_import(job_id: int) -> str | None:
    job = services.vendor_import_apply(job_id=job_id)
    return job.status if job else None
