"""The statistics' line-by-line workbook, written by the worker (issue #19).

Every contact and order line of a fiscal year took 6.5 s inside the request at 8,000
lines, holding a gunicorn worker, and more at 500,000 contacts. Now the request records a
`LinesExport` for the year and the reader's language, and the worker writes it under
core.export_jobs (progress, retries, the sweeper, retention), streaming the lines from
the database into the file. The same year in the same language asked again while one is
pending gives that one: a second press writes nothing twice. Every reader of the
statistics may follow and download any such export: it holds nothing the statistics
page does not already show them.
"""

from __future__ import annotations

from typing import IO, Any

from celery import Task
from django.contrib.auth.models import User
from django.db.models import QuerySet

from core.export_jobs import ExportJobs, Progress, counted
from core.queue import Dispatch
from core.spreadsheets import write_export_into
from meetings.models import ProgrammeYear

from . import figures
from .exports import statistics_lines_sheets
from .models import LinesExport

# A progress stamp is one UPDATE: every few thousand lines keeps the bar moving cheaply.
PROGRESS_EVERY = 2000


class LinesExports(ExportJobs[LinesExport]):
    model = LinesExport
    file_name = "outcome-lines.xlsx"
    reuse_pending = True

    def task(self) -> Task[Any, Any]:
        from .tasks import build_lines_export

        return build_lines_export

    def readable_by(self, user: User) -> QuerySet[LinesExport]:
        # The view's role check (the statistics' readers) is the whole rule.
        return LinesExport.objects.all()

    def serialise(self, *, filters: dict[str, Any], acting_user: User) -> None:
        # Any reader's request reuses a pending job: two readers at once lock the year.
        ProgrammeYear.objects.select_for_update().filter(fiscal_year=filters["year"]).first()

    def write(self, job: LinesExport, target: IO[bytes], on_progress: Progress) -> None:
        year = job.fiscal_year
        if year is None:
            raise ValueError(f"no fiscal year in {job.filters!r}")
        contacts_total, orders_total = figures.statistics_lines_count(year=year)
        total = contacts_total + orders_total
        on_progress(0, total)
        read = figures.statistics_lines(year=year)
        lines = figures.StatisticsLines(
            contacts=counted(
                read.contacts, report=lambda n: on_progress(n, total), every=PROGRESS_EVERY
            ),
            orders=counted(
                read.orders,
                report=lambda n: on_progress(contacts_total + n, total),
                every=PROGRESS_EVERY,
            ),
        )
        write_export_into(statistics_lines_sheets(lines, fiscal_year=year), target)


LINES_EXPORTS = LinesExports()


def lines_export_request(
    *, fiscal_year: int, language: str, acting_user: User
) -> tuple[LinesExport, Dispatch | None]:
    """The year's export in the reader's language: a new job, or the one already pending."""
    return LINES_EXPORTS.request(
        filters={"year": fiscal_year}, language=language, acting_user=acting_user
    )
