"""The audit trail's Excel export, written by the worker (issue #16, item 4).

At 12,000 rows the workbook took 5–6 s inside the request. Now the request records an
`AuditExport` with the page's filters and the reader's language and announces it on
commit (core.queue); the worker writes the file, stamping its progress for the page's
progress bar; a failure is tried again under the shared retry policy (core.retry), then
marked failed with its error. The sweeper announces again what a broker outage left
waiting. The file holds personal data: retention deletes it like an uploaded workbook
(registered in CoreConfig.ready()).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .audit_log import iter_audit_entries
from .models import AuditExport
from .queue import Dispatch, enqueue_on_commit
from .retry import RetryPolicy
from .spreadsheets.xlsx import ExportSheet, write_export
from .thai import BE_OFFSET

Status = AuditExport.Status
# A worker that stamps nothing for this long has died; the sweeper hands the job on.
RUNNING_LEASE = dt.timedelta(minutes=10)
# Announced but not taken up after this long: the broker missed it.
QUEUED_GRACE = dt.timedelta(minutes=2)
EXPORT_POLICY = RetryPolicy(max_attempts=3, base_seconds=30.0, max_delay_seconds=600.0)
# Each chunk reads the history of its records once: larger chunks, fewer reads.
CHUNK = 2000


def _stored_filters(filters: dict) -> dict:
    """The form's filters as JSON (dates as ISO text)."""
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in filters.items() if v}


def _read_filters(stored: dict) -> dict:
    filters = dict(stored)
    for key in ("since", "until"):
        if filters.get(key):
            filters[key] = dt.date.fromisoformat(filters[key])
    return filters


@transaction.atomic
def audit_export_request(
    *, filters: dict, language: str, acting_user: AbstractBaseUser
) -> tuple[AuditExport, Dispatch]:
    job = AuditExport.objects.create(
        filters=_stored_filters(filters),
        language=(language or "th")[:8],
        created_by=acting_user,
    )
    from .tasks import build_audit_export

    return job, enqueue_on_commit(build_audit_export, job.pk)


def audit_export_for(*, export_id: int, user: AbstractBaseUser) -> AuditExport | None:
    """An export as its requester sees it: another officer's export (personal data) is
    not theirs to read."""
    return AuditExport.objects.filter(pk=export_id, created_by=user).first()


def audit_exports_pending(*, now: dt.datetime | None = None) -> list[tuple]:
    """For core.queue's sweeper: exports the broker never handed to a worker, and those
    whose worker stopped stamping them. The task claims under the row lock, so an
    announcement made twice writes once."""
    from .tasks import build_audit_export

    now = now or timezone.now()
    stale = AuditExport.objects.filter(
        Q(status=Status.QUEUED, updated_at__lt=now - QUEUED_GRACE)
        | Q(status=Status.RUNNING, updated_at__lt=now - RUNNING_LEASE),
        created_at__gt=now - dt.timedelta(days=2),
    ).values_list("pk", flat=True)
    return [(build_audit_export, (pk,)) for pk in stale]


@dataclass(frozen=True)
class BuildResult:
    status: str
    retry_in: float | None = None


def _claim(export_id: int) -> AuditExport | None:
    with transaction.atomic():
        job = AuditExport.objects.select_for_update().filter(pk=export_id).first()
        if job is None or job.status in (Status.DONE, Status.FAILED):
            return None
        if job.status == Status.RUNNING and job.updated_at > timezone.now() - RUNNING_LEASE:
            return None  # a worker is on it: a second announcement writes nothing
        job.status = Status.RUNNING
        job.attempts += 1
        job.progress_done = 0
        job.save(update_fields=["status", "attempts", "progress_done", "updated_at"])
        return job


def _progress(job: AuditExport):
    def report(done: int, total: int) -> None:
        # Outside any transaction, so that the page sees it at once.
        AuditExport.objects.filter(pk=job.pk).update(
            progress_done=done, progress_total=total, updated_at=timezone.now()
        )

    return report


def _changes(entry) -> str:
    return "; ".join(
        f"{c.field}: {c.old_full or c.old} → {c.new_full or c.new}" for c in entry.changes
    )


def _when(value: dt.datetime, *, buddhist_era: bool) -> str:
    """`24/11/2569 03:30`: format_date's result without its per-call translation switch,
    a fifth of the time of 12,000 rows."""
    year = value.year + BE_OFFSET if buddhist_era else value.year
    return f"{value:%d/%m}/{year} {value:%H:%M}"


def _workbook(job: AuditExport) -> bytes:
    buddhist_era = job.language.startswith("th")
    entries = iter_audit_entries(
        chunk=CHUNK, on_progress=_progress(job), **_read_filters(job.filters)
    )
    rows = (
        (
            _when(e.when, buddhist_era=buddhist_era),
            e.user,
            e.action_label,
            e.model_name,
            e.object_id,
            e.object_label,
            _changes(e),
            e.reason,
        )
        for e in entries
    )
    return write_export(
        [
            ExportSheet(
                title=_("Audit trail"),
                headers=[
                    _("When (Bangkok time)"),
                    _("Who"),
                    _("Change"),
                    _("Record type"),
                    _("Record id"),
                    _("Record"),
                    _("What changed"),
                    _("Reason"),
                ],
                rows=rows,
                widths=(18, 20, 10, 24, 10, 30, 60, 30),
            )
        ]
    )


def audit_export_build(*, export_id: int) -> BuildResult:
    """Write the export's workbook. Returns when to try again after a failure, if at all."""
    job = _claim(export_id)
    if job is None:
        return BuildResult("skipped")
    try:
        with translation.override(job.language):
            content = _workbook(job)
    except Exception as exc:  # any failure is recorded on the row, then retried or final
        job.refresh_from_db()
        job.last_error = repr(exc)[:2000]
        if EXPORT_POLICY.gives_up(job.attempts):
            job.status = Status.FAILED
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "last_error", "finished_at", "updated_at"])
            return BuildResult(job.status)
        job.status = Status.QUEUED
        job.save(update_fields=["status", "last_error", "updated_at"])
        return BuildResult(job.status, EXPORT_POLICY.delay(job.attempts))
    job.refresh_from_db()
    job.file.save("audit.xlsx", ContentFile(content), save=False)
    job.status = Status.DONE
    job.progress_done = job.progress_total
    job.last_error = ""
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "file",
            "status",
            "progress_done",
            "last_error",
            "finished_at",
            "updated_at",
        ]
    )
    return BuildResult(job.status)
