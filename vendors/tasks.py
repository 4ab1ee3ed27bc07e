from celery import shared_task

from . import services


def _give_up(job_id: int, exc: Exception) -> None:
    services.vendor_import_failed(job_id=job_id, error=repr(exc))


@shared_task(
    bind=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=120, max_retries=3
)
def check_vendor_import(self, job_id: int) -> str | None:
    try:
        job = services.vendor_import_check(job_id=job_id)
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            _give_up(job_id, exc)
        raise
    return job.status if job else None


@shared_task(
    bind=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=120, max_retries=3
)
def apply_vendor_import(self, job_id: int) -> str | None:
    try:
        job = services.vendor_import_apply(job_id=job_id)
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            _give_up(job_id, exc)
        raise
    return job.status if job else None
