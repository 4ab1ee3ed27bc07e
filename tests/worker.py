"""A real Celery worker process on Redis, for the tests that need one.

The worker runs the portal's code against the test database the test process made,
consuming a queue of its own so parallel test runs on one Redis never steal each
other's tasks.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import kombu.pools
import pytest
from django.conf import settings
from django.db import connection

from bbportal.celery import app as celery_app

from .support import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent


def database_url_for_worker() -> str:
    cfg = connection.settings_dict
    if connection.vendor != "postgresql":
        skip_or_fail("a worker process needs a shared PostgreSQL test database")
    user = cfg.get("USER") or "postgres"
    password = f":{cfg['PASSWORD']}" if cfg.get("PASSWORD") else ""
    host = cfg.get("HOST") or "127.0.0.1"
    port = cfg.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{cfg['NAME']}"


class WorkerProcess:
    def __init__(self, broker_url: str, queue: str, database_url: str, log_path: Path):
        self.broker_url = broker_url
        self.queue = queue
        self.database_url = database_url
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bbportal.settings.local",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_RESULT_BACKEND": "",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "DJANGO_DEBUG": "false",
        }
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "bbportal",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                self.queue,
                "-n",
                f"test-{self.queue}@%h",
                "-l",
                "info",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def stop(self, kill: bool = False) -> None:
        if self.process is None:
            return
        if kill:
            self.process.kill()
        else:
            self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@contextmanager
def publishing_to(broker_url: str, queue: str) -> Iterator[None]:
    """Make this test process send tasks to Redis instead of running them in-process."""
    saved = {
        k: celery_app.conf[k]
        for k in ("task_always_eager", "broker_url", "task_default_queue", "result_backend")
    }
    celery_app.conf.update(
        task_always_eager=False,
        broker_url=broker_url,
        task_default_queue=queue,
        result_backend=None,
    )
    _reset_connection_pools()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        _reset_connection_pools()


def _reset_connection_pools() -> None:
    """Drop pooled broker connections so the next publish uses the current broker_url."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # kombu keeps its own global producer pools, which would hand back the closed one.
    kombu.pools.reset()


def wait_until(predicate: Callable[[], object], timeout: float = 30, interval: float = 0.2):
    """Poll until predicate() is truthy; the worker runs in another process."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def redis_broker_url() -> str:
    url = getattr(settings, "TEST_CELERY_BROKER_URL", "")
    if not url:
        skip_or_fail("TEST_CELERY_BROKER_URL is not set (a Redis URL)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        skip_or_fail(f"Redis at {url} does not answer: {exc}")
    return url


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path) -> Iterator[WorkerProcess]:
    broker_url = redis_broker_url()
    queue = f"bbtest-{uuid.uuid4().hex[:10]}"
    worker = WorkerProcess(broker_url, queue, database_url_for_worker(), tmp_path / "worker.log")
    worker.start()
    with publishing_to(broker_url, queue):
        try:
            yield worker
        finally:
            worker.stop()
