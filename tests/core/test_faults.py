"""Redis and the worker go away and come back: pages keep working and nothing is lost.

A private redis-server on its own port is stopped and restarted here, so the machine's
shared Redis is never disturbed.
"""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import WorkerPing
from core.queue import sweep_pending_work
from core.roles import Role
from vendors.models import VendorImportJob

from ..support import skip_or_fail
from ..worker import WorkerProcess, database_url_for_worker, publishing_to, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

QUEUED = "A ping was sent to the worker. Reload this page in a few seconds."
SAVED = (
    "The background worker cannot be reached just now. Your request is saved and will be "
    "handled automatically as soon as it is back."
)


class PrivateRedis:
    def __init__(self, directory: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis(tmp_path):
    if not shutil.which("redis-server"):
        skip_or_fail("redis-server is not installed")
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


def answered(ping_id: int) -> WorkerPing | None:
    return WorkerPing.objects.filter(pk=ping_id, answered_at__isnull=False).first()


def ping_through_the_page(client) -> tuple[WorkerPing, str]:
    response = client.post(reverse("core:system-status"), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    (message,) = [str(m) for m in response.context["messages"]]
    return WorkerPing.objects.latest("requested_at"), message


def upload_a_workbook_through_the_page(client) -> tuple[VendorImportJob, str]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ..vendors.workbooks import workbook

    response = client.post(
        reverse("vendors:import"),
        {"file": SimpleUploadedFile("vendors.xlsx", workbook())},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    (message,) = [str(m) for m in response.context["messages"]]
    return VendorImportJob.objects.latest("created_at"), message


def test_work_waits_for_the_worker_and_survives_a_redis_outage(
    private_redis, make_user, client_for, tmp_path
):
    client = client_for(make_user(Role.FAO))
    queue = f"bbfault-{uuid.uuid4().hex[:8]}"
    worker = WorkerProcess(private_redis.url, queue, database_url_for_worker(), tmp_path / "w.log")
    with publishing_to(private_redis.url, queue):
        # The worker is down, Redis is up: the work is queued and waits.
        ping, message = ping_through_the_page(client)
        assert message == QUEUED
        time.sleep(1)
        assert answered(ping.pk) is None

        worker.start()
        try:
            assert wait_until(lambda: answered(ping.pk), timeout=60), worker.log()[-2000:]

            # Redis goes down: the page still answers, says the work is saved, keeps it.
            private_redis.stop()
            started = time.monotonic()
            outage_ping, message = ping_through_the_page(client)
            assert message == SAVED
            assert time.monotonic() - started < 10, "a dead broker must not hang the page"
            assert client.get(reverse("home")).status_code == 200
            # An upload too: the workbook is kept and its check waits for the broker.
            job, message = upload_a_workbook_through_the_page(client)
            assert message == SAVED
            assert (job.status, job.attempts) == (VendorImportJob.Status.CHECKING, 0)

            # Redis comes back; the sweeper (Celery beat) announces the saved work again.
            private_redis.start()
            WorkerPing.objects.filter(pk=outage_ping.pk).update(
                requested_at=timezone.now() - dt.timedelta(minutes=5)
            )
            VendorImportJob.objects.filter(pk=job.pk).update(
                updated_at=timezone.now() - dt.timedelta(minutes=5)
            )
            report = sweep_pending_work()
            assert report.published == {
                "core.worker_ping": 1,
                "vendors.import_jobs": 1,
            }
            assert wait_until(lambda: answered(outage_ping.pk), timeout=90), worker.log()[-3000:]
            checked = wait_until(
                lambda: VendorImportJob.objects.filter(
                    pk=job.pk, status=VendorImportJob.Status.READY
                ).first(),
                timeout=90,
            )
            assert checked is not None, worker.log()[-3000:]
        finally:
            worker.stop()


@pytest.mark.parametrize("pool", ["prefork", "solo"])
def test_a_worker_holding_an_eta_task_survives_a_redis_restart(private_redis, tmp_path, pool):
    """Retries of e-mails, Teams calls and reports wait in the worker as ETA tasks; a
    Redis restart must neither kill the worker nor lose the task it holds."""
    from core.tasks import answer_worker_ping

    queue = f"bbfault-{uuid.uuid4().hex[:8]}"
    log_path = tmp_path / "w.log"
    worker = WorkerProcess(private_redis.url, queue, database_url_for_worker(), log_path, pool=pool)
    ping = WorkerPing.objects.create()
    worker.start()
    try:
        with publishing_to(private_redis.url, queue):
            answer_worker_ping.apply_async(args=(ping.pk,), countdown=12)
        assert wait_until(lambda: "received" in worker.log(), timeout=60), worker.log()[-3000:]

        private_redis.stop()
        time.sleep(3)  # the worker notices the lost connection and tries again
        private_redis.start()

        assert wait_until(lambda: answered(ping.pk), timeout=90), worker.log()[-3000:]
        assert worker.process.poll() is None, worker.log()[-3000:]
        assert "Unrecoverable error" not in worker.log()
    finally:
        worker.stop()
