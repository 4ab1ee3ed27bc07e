"""A worker killed in the middle of a report: the task is delivered again (late
acknowledgement) and the generation ends with one version, one file and one checksum.

Where the kill lands is not left to timing: a timed kill lands before, in or after the
render depending on the machine's speed, and the test could pass without testing
anything. Nor is the worker patched: it is another process, and the point is to kill
the code that runs in production. Instead the test takes an ordinary database lock from
a connection of its own (tests.worker.LockHolder) on a row or table the worker must
write next, sees the worker wait for it (pg_stat_activity: blocked by the test's
connection, at a given statement), and only then kills it.

- Mid-render: the worker writes its progress to the generation's row as it goes
  (outside any transaction, for the page's progress bar). Once the row says WeasyPrint
  has started (20 %: the HTML is built), the test locks the row; the worker's next
  progress write, from inside WeasyPrint's parsing, styling, layout or PDF writing,
  waits for it. No file exists yet.
- Mid-store: the test locks the history table once the run has started; the worker
  renders, writes the PDF to disk and then waits to insert the version's history row,
  in the transaction that would mark it done. The file is on disk, the row is not.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
from pathlib import Path

import pytest
from django.db import connection

from reports.models import ReportGeneration, report_file_path
from reports.services import report_generation_request

from ..worker import backend_alive, wait_until
from .conftest import read_pdf

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]

TABLE = ReportGeneration._meta.db_table
HISTORY_TABLE = ReportGeneration.history.model._meta.db_table
# What Celery logs when a task returns or raises (not when it is received).
TASK_ENDED = re.compile(r"render_report\[[\w-]+\] (succeeded|raised|retry)")
# A progress write as pg_stat_activity shows it (Django binds values on the client).
PROGRESS_WRITE = re.compile(r"\"progress\" = \d+, \"stage\" = '(?P<stage>\w+)'")
RENDER_STAGES = ("parsing", "styling", "layout", "writing")  # reports.pdf, in WeasyPrint


@pytest.fixture
def quick_redelivery(monkeypatch):
    # Read by the worker process at start: Redis hands an unacknowledged task on after
    # this many seconds (an hour in production).
    monkeypatch.setenv("CELERY_VISIBILITY_TIMEOUT", "5")
    monkeypatch.setenv("CELERY_RESTORE_INTERVAL", "1")


def _request(held_session, executive_user) -> ReportGeneration:
    generation, dispatch = report_generation_request(
        kind="session", session=held_session.session, language="th", acting_user=executive_user
    )
    assert dispatch.published is True
    return generation


def _files(generation, media_root) -> list[Path]:
    """The files in the folder of the session's reports."""
    folder = Path(media_root, report_file_path(generation, ""))
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _row(generation) -> ReportGeneration:
    return ReportGeneration.objects.get(pk=generation.pk)


def _statement_of(pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def _held_inside_weasyprint(generation, worker, lock_holder) -> int:
    """Once the HTML is built and WeasyPrint has started on it, lock the generation's row:
    the worker's next progress write waits there. The waiting backend's pid."""
    in_weasyprint = wait_until(
        lambda: ReportGeneration.objects.filter(
            pk=generation.pk, status="rendering", progress__gte=20
        ).exists(),
        timeout=30,
        interval=0.02,
    )
    assert in_weasyprint, worker.log()[-3000:]
    [(status,)] = lock_holder.hold(
        f'SELECT status FROM "{TABLE}" WHERE id = %s FOR UPDATE', (generation.pk,)
    )
    assert status == "rendering"
    pid = wait_until(lambda: lock_holder.waiting_pid(f'UPDATE "{TABLE}"'))
    assert pid, worker.log()[-3000:]
    return pid


def _kill_and_start_again(worker, lock_holder, pid: int) -> None:
    worker.stop(kill=True)
    lock_holder.release()
    # The killed worker's database session wakes, finds no client and ends.
    assert wait_until(lambda: not backend_alive(pid), timeout=20)
    worker.start()


def _finished(generation, worker) -> ReportGeneration:
    """The row once it is finished, or once the task delivered again has ended."""

    def finished():
        # The log first, then the row: read the other way round, a row read just before
        # the task's last commit was returned as it stood once the log said "succeeded"
        # (twice in CI: status still "rendering", no error, the log showing success).
        ended = TASK_ENDED.search(worker.log())
        row = _row(generation)
        return row if row.is_finished or ended else None

    row = wait_until(finished, timeout=45)
    assert row is not None, worker.log()[-4000:]
    return row


def _assert_one_version_one_file(finished, held_session, media_root, worker) -> None:
    # The worker's log says why a run delivered again ended without finishing the row.
    assert finished.status == "done", (finished.error, worker.log()[-4000:])
    assert finished.attempts == 2  # the killed run and the one delivered again
    assert (finished.progress, finished.stage, finished.error) == (100, "done", "")
    # No second version of the report for the session.
    versions = ReportGeneration.objects.filter(session=held_session.session)
    assert list(versions.values_list("pk", "version")) == [(finished.pk, 1)]
    # The checksum recorded once: one "rendered" history row, after two starts.
    reasons = list(
        ReportGeneration.history.filter(id=finished.pk)
        .order_by("history_id")
        .values_list("history_change_reason", flat=True)
    )
    assert reasons.count("rendered") == 1 and reasons.count("rendering") == 2, reasons
    assert reasons[-1] == "rendered"
    # One file for the generation, the one the row names, and it is the PDF recorded.
    files = _files(finished, media_root)
    assert files == [Path(finished.file.path)], files
    content = files[0].read_bytes()
    assert hashlib.sha256(content).hexdigest() == finished.sha256
    assert len(content) == finished.size_bytes
    pdf = read_pdf(content)
    assert len(pdf.pages) == finished.page_count
    assert pdf.contains("วิสาหกิจชุมชนน้ำพริกแม่สำราญ")


def test_a_worker_killed_mid_render_makes_one_version_after_redelivery(
    quick_redelivery,
    held_session,
    media_root,
    celery_worker_process,
    lock_holder,
    executive_user,
):
    generation = _request(held_session, executive_user)
    pid = _held_inside_weasyprint(generation, celery_worker_process, lock_holder)
    # Waiting to write its progress from inside the PDF render, not yet storing it.
    statement = _statement_of(pid)
    write = PROGRESS_WRITE.search(statement)
    assert write and write["stage"] in RENDER_STAGES, statement
    row = _row(generation)
    assert (row.status, row.attempts, row.sha256, row.file.name) == ("rendering", 1, "", "")
    assert _files(generation, media_root) == []

    _kill_and_start_again(celery_worker_process, lock_holder, pid)
    finished = _finished(generation, celery_worker_process)
    _assert_one_version_one_file(finished, held_session, media_root, celery_worker_process)


def test_a_worker_killed_after_writing_the_file_keeps_one_file(
    quick_redelivery,
    held_session,
    media_root,
    celery_worker_process,
    lock_holder,
    executive_user,
):
    generation = _request(held_session, executive_user)
    started = wait_until(
        lambda: ReportGeneration.objects.filter(pk=generation.pk, status="rendering").exists(),
        timeout=30,
        interval=0.02,
    )
    assert started, celery_worker_process.log()[-3000:]
    lock_holder.hold(f'LOCK TABLE "{HISTORY_TABLE}" IN SHARE MODE')
    pid = wait_until(lambda: lock_holder.waiting_pid(f'INSERT INTO "{HISTORY_TABLE}"'), timeout=30)
    assert pid, celery_worker_process.log()[-3000:]
    # The PDF is on disk; the transaction that would record it is open.
    files = _files(generation, media_root)
    assert len(files) == 1 and files[0].read_bytes().startswith(b"%PDF-"), files
    row = _row(generation)
    assert (row.status, row.sha256, row.file.name) == ("rendering", "", "")

    _kill_and_start_again(celery_worker_process, lock_holder, pid)
    finished = _finished(generation, celery_worker_process)
    _assert_one_version_one_file(finished, held_session, media_root, celery_worker_process)


def test_a_killed_pool_process_s_report_is_handed_back_at_once(
    held_session, media_root, celery_prefork_worker_process, lock_holder, executive_user
):
    """Production's prefork pool, whose child process dies mid-render (the kernel's OOM
    killer, a segfault in a C library): the worker sees its child lost and, the task
    being acknowledged late, gives the message back to Redis at once. Early
    acknowledgement would lose the task here (the solo worker above cannot show the
    difference: Redis keeps a solo worker's running task either way). Redis's
    redelivery timeout stays at its hour, so it cannot be what brings the task back."""
    worker = celery_prefork_worker_process
    generation = _request(held_session, executive_user)
    pid = _held_inside_weasyprint(generation, worker, lock_holder)
    [child] = worker.pool_processes()

    os.kill(child, signal.SIGKILL)
    lock_holder.release()
    assert wait_until(lambda: not backend_alive(pid), timeout=20)
    finished = wait_until(lambda: _row(generation).is_finished and _row(generation), timeout=60)
    assert finished, worker.log()[-4000:]
    assert "WorkerLostError" in worker.log()
    assert worker.pool_processes() != [child]  # a new child ran it
    _assert_one_version_one_file(finished, held_session, media_root, worker)
