"""A worker killed in the middle of writing an import: the task is delivered again (late
acknowledgement) and the import is written once, every vendor and product exactly once,
and the job ends "Imported".

Where the kill lands is not left to timing: the write is one transaction of well under a
second for these rows, so a timed kill would land before, in or after it depending on
the machine, and the test could pass without testing anything. Nor is the worker
patched: it is another process, and the point is to kill the code that runs in
production. Instead the test holds a SHARE lock on the products table from a
connection of its own (tests.worker.LockHolder). The worker's write transaction takes
the import lock, reads and plans the workbook again, COPYs the 300 vendors, their
history rows and languages, and then waits for the test's lock at the COPY of the
products. The test sees it waiting there (pg_stat_activity: blocked by the test's
connection; pg_locks: it has written to the vendor tables) and only then kills it.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vendors.models import Product, Vendor, VendorImportJob
from vendors.services import vendor_import_confirm, vendor_import_upload

from ..worker import backend_alive, holds_lock, wait_until
from .workbooks import product_row, vendor_row, workbook

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]

ROWS = 300
# What Celery logs when a task returns or raises (not when it is received).
TASK_ENDED = re.compile(r"apply_vendor_import\[[\w-]+\] (succeeded|raised|retry)")
Status = VendorImportJob.Status


@pytest.fixture
def quick_redelivery(monkeypatch):
    # Read by the worker process at start: Redis hands an unacknowledged task on after
    # this many seconds (an hour in production).
    monkeypatch.setenv("CELERY_VISIBILITY_TIMEOUT", "5")
    monkeypatch.setenv("CELERY_RESTORE_INTERVAL", "1")


def test_a_worker_killed_mid_write_imports_once_after_redelivery(
    quick_redelivery, celery_worker_process, lock_holder, sdo_user
):
    data = workbook(
        vendors=[vendor_row(n) for n in range(1, ROWS + 1)],
        products=[product_row(n, f"สินค้า {n}") for n in range(1, ROWS + 1)],
    )
    job, _dispatch = vendor_import_upload(
        upload=SimpleUploadedFile("big.xlsx", data), acting_user=sdo_user
    )
    ready = wait_until(
        lambda: VendorImportJob.objects.filter(pk=job.pk, status=Status.READY).first(),
        timeout=60,
    )
    assert ready is not None, celery_worker_process.log()[-3000:]

    lock_holder.hold(f'LOCK TABLE "{Product._meta.db_table}" IN SHARE MODE')
    vendor_import_confirm(job=ready, acting_user=sdo_user)
    pid = wait_until(lambda: lock_holder.waiting_pid(f'COPY "{Product._meta.db_table}"'))
    assert pid, celery_worker_process.log()[-3000:]
    # In the middle: the vendors are written (uncommitted), the products are next.
    assert holds_lock(pid, Vendor._meta.db_table, "RowExclusiveLock")
    assert holds_lock(pid, Vendor.history.model._meta.db_table, "RowExclusiveLock")
    assert VendorImportJob.objects.get(pk=job.pk).status == Status.IMPORTING

    celery_worker_process.stop(kill=True)
    lock_holder.release()
    # The killed worker's database session wakes, finds no client and rolls back.
    assert wait_until(lambda: not backend_alive(pid), timeout=20)
    assert Vendor.objects.count() == 0 and Product.objects.count() == 0
    assert VendorImportJob.objects.get(pk=job.pk).status == Status.IMPORTING

    celery_worker_process.start()

    def settled():
        # The job has left the running states, or the task delivered again has ended. The
        # log first: a row read before the task's last commit is stale once the log says so.
        ended = TASK_ENDED.search(celery_worker_process.log())
        row = VendorImportJob.objects.get(pk=job.pk)
        return row if not row.is_running or ended else None

    done = wait_until(settled, timeout=45)
    assert done is not None, celery_worker_process.log()[-4000:]
    assert done.status == Status.DONE, (done.status, done.last_error)
    assert done.get_status_display() == "Imported"
    assert done.attempts == 3  # the check, the killed write and the write delivered again
    assert done.finished_at is not None and done.last_error == ""
    assert done.progress_done == done.progress_total == 2 * ROWS
    counts = done.report["plan"]["counts"]
    assert counts["vendor"]["create"] == ROWS and counts["product"]["create"] == ROWS

    certificates = list(Vendor.objects.values_list("certificate_number", flat=True))
    assert len(certificates) == len(set(certificates)) == ROWS
    assert set(certificates) == {f"BB-{n:04d}" for n in range(1, ROWS + 1)}
    products = list(Product.objects.values_list("vendor__certificate_number", "name_th"))
    assert sorted(products) == sorted((f"BB-{n:04d}", f"สินค้า {n}") for n in range(1, ROWS + 1))
    # One "+" history row each: the killed run's rows were rolled back with it.
    assert Vendor.history.count() == ROWS and Product.history.count() == ROWS
    assert Vendor.history.filter(history_type="+", history_user=sdo_user).count() == ROWS
    assert Vendor.languages.through.objects.count() == 2 * ROWS  # ไทย, English each
