"""The audit trail's Excel export, written by the worker (issue #16, item 4).

At 12,000 rows the workbook took 5–6 s inside the request. Now the request records an
`AuditExport` with the page's filters and the reader's language, and the worker writes
it under core.export_jobs (progress, retries, the sweeper, retention). The file holds
personal data: only the officer who asked may read it, and retention deletes it like an
uploaded workbook (registered in CoreConfig.ready()).
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from celery import Task
from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from .audit_log import AuditEntry, iter_audit_entries
from .export_jobs import ExportJobs, Progress
from .models import AuditExport
from .queue import Dispatch
from .spreadsheets.xlsx import ExportSheet, write_export_into
from .thai import BE_OFFSET

Status = AuditExport.Status
# Each chunk reads the history of its records once: larger chunks, fewer reads.
CHUNK = 2000


def _read_filters(stored: dict[str, Any]) -> dict[str, Any]:
    filters = dict(stored)
    for key in ("since", "until"):
        if filters.get(key):
            filters[key] = dt.date.fromisoformat(filters[key])
    return filters


def _changes(entry: AuditEntry) -> str:
    return "; ".join(
        f"{c.field}: {c.old_full or c.old} → {c.new_full or c.new}" for c in entry.changes
    )


def _when(value: dt.datetime, *, buddhist_era: bool) -> str:
    """`24/11/2569 03:30`: format_date's result without its per-call translation switch,
    a fifth of the time of 12,000 rows."""
    year = value.year + BE_OFFSET if buddhist_era else value.year
    return f"{value:%d/%m}/{year} {value:%H:%M}"


def _workbook(job: AuditExport, target: IO[bytes], on_progress: Progress) -> None:
    buddhist_era = job.language.startswith("th")
    entries = iter_audit_entries(chunk=CHUNK, on_progress=on_progress, **_read_filters(job.filters))
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
    write_export_into(
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
        ],
        target,
    )


class AuditExports(ExportJobs[AuditExport]):
    model = AuditExport
    file_name = "audit.xlsx"

    def task(self) -> Task[Any, Any]:
        from .tasks import build_audit_export

        return build_audit_export

    def write(self, job: AuditExport, target: IO[bytes], on_progress: Progress) -> None:
        _workbook(job, target, on_progress)


AUDIT_EXPORTS = AuditExports()


def audit_export_request(
    *, filters: dict[str, Any], language: str, acting_user: User
) -> tuple[AuditExport, Dispatch | None]:
    return AUDIT_EXPORTS.request(filters=filters, language=language, acting_user=acting_user)
