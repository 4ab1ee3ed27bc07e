"""Report rendering in the Celery worker. The task takes the generation's id; the row
records status, progress, attempts and the reason of a failure."""

from __future__ import annotations

from core.queue import portal_task

from .services import (
    report_generation_give_up,
    report_generation_retry_later,
    report_generation_run,
)


def _retrying(exc: Exception, attempt: int, generation_id: int) -> None:
    report_generation_retry_later(generation_id=generation_id, attempt=attempt, error=str(exc))


def _give_up(exc: Exception, generation_id: int) -> str:
    report_generation_give_up(generation_id=generation_id, error=str(exc))
    return "failed"


@portal_task(on_retry=_retrying, on_give_up=_give_up)
def render_report(generation_id: int) -> str:
    generation = report_generation_run(generation_id=generation_id)
    return generation.status if generation else "missing"
