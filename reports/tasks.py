"""Report rendering in the Celery worker. The task takes the generation's id; the row
records status, progress, attempts and the reason of a failure."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import translation
from django.utils.translation import gettext as _

from .models import ReportGeneration
from .services import (
    report_generation_fail,
    report_generation_retry_later,
    report_generation_run,
)

logger = logging.getLogger(__name__)

MAX_RETRIES = 3


def backoff_seconds(retries: int) -> int:
    return min(15 * 2**retries, 300)


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def render_report(self, generation_id: int) -> str:
    try:
        generation = report_generation_run(generation_id=generation_id)
    except Exception as exc:  # not the report's fault: the database, the disk ...
        logger.exception("Report generation %s failed", generation_id)
        language = (
            ReportGeneration.objects.filter(pk=generation_id)
            .values_list("language", flat=True)
            .first()
            or "en"
        )
        with translation.override(language):
            if self.request.retries < MAX_RETRIES and not self.request.is_eager:
                reason = _("Attempt %(attempt)s failed (%(error)s); trying again shortly.") % {
                    "attempt": self.request.retries + 1,
                    "error": exc,
                }
                report_generation_retry_later(generation_id=generation_id, reason=reason)
                raise self.retry(exc=exc, countdown=backoff_seconds(self.request.retries)) from exc
            reason = _("The report could not be made: %(error)s") % {"error": exc}
        report_generation_fail(generation_id=generation_id, reason=reason)
        return "failed"
    return generation.status if generation else "missing"
