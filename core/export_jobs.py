"""Files the worker writes instead of the request: the kit shared by every export job.

A workbook of many thousand rows took seconds inside the request and held a gunicorn
worker (issues #16 and #19). An `ExportJobs` kind (one per concrete core.models.ExportJob)
records the request with the reader's filters and language and announces it on commit
(core.queue); the worker claims the row under its lock, writes the file row by row to a
temporary file (openpyxl's write-only mode: memory stays flat), stamping its progress for
the page's bar; a failure is tried again under the shared retry policy (core.retry), then
marked failed with its error. The sweeper announces again what a broker outage left
waiting, and retention deletes the file like an uploaded workbook (`source_files`).

A kind says only what differs: its task, the file's name, what it writes, who may read
a job and whether a request repeated while one is pending reuses it. Used by the audit
trail's export (core.audit_export) and the outcome lines (outcomes.lines_export).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Generic, TypeVar

from celery import Task
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.files import File
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from .models import ExportJob
from .queue import Dispatch, enqueue_on_commit
from .retention import SourceFiles
from .retry import RetryPolicy

Status = ExportJob.Status
# A worker that stamps nothing for this long has died; the sweeper hands the job on.
RUNNING_LEASE = dt.timedelta(minutes=10)
# Announced but not taken up after this long: the broker missed it.
QUEUED_GRACE = dt.timedelta(minutes=2)
EXPORT_POLICY = RetryPolicy(max_attempts=3, base_seconds=30.0, max_delay_seconds=600.0)

Progress = Callable[[int, int], None]
J = TypeVar("J", bound=ExportJob)


@dataclass(frozen=True)
class BuildResult:
    status: str
    retry_in: float | None = None


def counted(rows: Iterable[Any], *, report: Callable[[int], None], every: int) -> Iterator[Any]:
    """The rows as they are, calling `report(n)` with the rows passed after each `every`
    and at the end: a progress bar for a writer that only iterates."""
    n = 0
    for n, row in enumerate(rows, start=1):
        yield row
        if n % every == 0:
            report(n)
    report(n)


class ExportJobs(Generic[J]):
    """One kind of export job. Subclasses set `model` and `file_name` and write `task`
    and `write`."""

    model: type[J]
    file_name: str
    # A repeated request (same filters and language) while one is waiting or being
    # written returns that job rather than writing the same file twice.
    reuse_pending = False

    def task(self) -> Task[Any, Any]:
        raise NotImplementedError

    def write(self, job: J, target: IO[bytes], on_progress: Progress) -> None:
        """Write the job's workbook into `target` in the job's language (already active)."""
        raise NotImplementedError

    def readable_by(self, user: User) -> QuerySet[J]:
        """The jobs `user` may follow and download (beyond the view's role check)."""
        return self.model._default_manager.filter(created_by=user)

    def serialise(self, *, filters: dict[str, Any], acting_user: User) -> None:
        """Lock a row that every request for an equal job locks too, so that the second
        waits for the first to commit and then finds its job. The requester's own row
        serves a kind whose jobs only their requester reads."""
        get_user_model().objects.select_for_update().filter(pk=acting_user.pk).first()

    # --- requests ---------------------------------------------------------------------------

    def request(
        self, *, filters: dict[str, Any], language: str, acting_user: User
    ) -> tuple[J, Dispatch | None]:
        """The job for the request, and its announcement (None: an equal job was already
        pending and is returned, no second one is made)."""
        stored = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in filters.items()}
        stored = {k: v for k, v in stored.items() if v}
        language = (language or "th")[:8]
        with transaction.atomic():
            if self.reuse_pending:
                # Two presses at once must not both see no pending job.
                self.serialise(filters=stored, acting_user=acting_user)
                pending = (
                    self.readable_by(acting_user)
                    .filter(
                        filters=stored,
                        language=language,
                        status__in=(Status.QUEUED, Status.RUNNING),
                    )
                    .order_by("-created_at")
                    .first()
                )
                if pending is not None:
                    return pending, None
            job = self.model._default_manager.create(
                filters=stored, language=language, created_by=acting_user
            )
            return job, enqueue_on_commit(self.task(), job.pk)

    def for_user(self, *, export_id: int, user: User) -> J | None:
        return self.readable_by(user).filter(pk=export_id).first()

    def file_for(self, *, export_id: int, user: User) -> tuple[J, IO[bytes]] | None:
        """The finished job and its file, opened, if `user` may read it and it still
        exists."""
        job = self.for_user(export_id=export_id, user=user)
        if job is None or job.status != Status.DONE or not job.file:
            return None
        try:
            return job, job.file.open("rb")
        except FileNotFoundError:  # deleted by retention or an erasure
            return None

    # --- the sweeper and retention ----------------------------------------------------------

    def pending(
        self, *, now: dt.datetime | None = None
    ) -> list[tuple[Task[Any, Any], tuple[Any, ...]]]:
        """For core.queue's sweeper: jobs the broker never handed to a worker, and those
        whose worker stopped stamping them. The task claims under the row lock, so an
        announcement made twice writes once."""
        now = now or timezone.now()
        stale = self.model._default_manager.filter(
            Q(status=Status.QUEUED, updated_at__lt=now - QUEUED_GRACE)
            | Q(status=Status.RUNNING, updated_at__lt=now - RUNNING_LEASE),
            created_at__gt=now - dt.timedelta(days=2),
        ).values_list("pk", flat=True)
        task = self.task()
        return [(task, (pk,)) for pk in stale]

    def source_files(self) -> SourceFiles:
        """For core.retention: a file being written is left alone."""
        return SourceFiles(
            model=self.model,
            running=frozenset({Status.QUEUED, Status.RUNNING}),
            waiting=frozenset(),
            failed=Status.FAILED,
        )

    # --- the worker -------------------------------------------------------------------------

    def _claim(self, export_id: int) -> J | None:
        with transaction.atomic():
            job = self.model._default_manager.select_for_update().filter(pk=export_id).first()
            if job is None or job.status in (Status.DONE, Status.FAILED):
                return None
            if job.status == Status.RUNNING and job.updated_at > timezone.now() - RUNNING_LEASE:
                return None  # a worker is on it: a second announcement writes nothing
            job.status = Status.RUNNING
            job.attempts += 1
            job.progress_done = 0
            job.save(update_fields=["status", "attempts", "progress_done", "updated_at"])
            return job

    def _progress(self, job: J) -> Progress:
        manager = self.model._default_manager

        def report(done: int, total: int) -> None:
            # Outside any transaction, so that the page sees it at once.
            manager.filter(pk=job.pk).update(
                progress_done=done, progress_total=total, updated_at=timezone.now()
            )

        return report

    def build(self, *, export_id: int) -> BuildResult:
        """Write the job's file. Returns when to try again after a failure, if at all."""
        job = self._claim(export_id)
        if job is None:
            return BuildResult("skipped")
        with tempfile.TemporaryFile(suffix=".xlsx") as target:
            try:
                with translation.override(job.language):
                    self.write(job, target, self._progress(job))
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
            target.seek(0)
            # Copied to the storage in chunks, as it was written.
            job.file.save(self.file_name, File(target), save=False)
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
