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
    def __init__(
        self, broker_url: str, queue: str, database_url: str, log_path: Path, pool: str = "solo"
    ):
        # solo: the task runs in the worker process itself. prefork (production's pool):
        # in a child process the worker watches, with one child here.
        self.pool = pool
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
                f"--pool={self.pool}",
                "--concurrency=1",
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

    def pool_processes(self) -> list[int]:
        """The pids of the prefork pool's child processes (none under solo)."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(child) for child in children]


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


@contextmanager
def running_worker(log_path: Path, pool: str = "solo") -> Iterator[WorkerProcess]:
    broker_url = redis_broker_url()
    queue = f"bbtest-{uuid.uuid4().hex[:10]}"
    worker = WorkerProcess(broker_url, queue, database_url_for_worker(), log_path, pool=pool)
    worker.start()
    with publishing_to(broker_url, queue):
        try:
            yield worker
        finally:
            worker.stop()


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path) -> Iterator[WorkerProcess]:
    with running_worker(tmp_path / "worker.log") as worker:
        yield worker


@pytest.fixture
def celery_prefork_worker_process(transactional_db, tmp_path) -> Iterator[WorkerProcess]:
    """A worker with production's prefork pool (one child process)."""
    with running_worker(tmp_path / "worker.log", pool="prefork") as worker:
        yield worker


class LockHolder:
    """A connection of the test's own that takes a database lock and keeps it.

    A worker reaching that lock waits there, in the middle of its task, at a point the
    test chooses and without any hook in the code under test; the test sees it waiting
    (`waiting_pid`), kills it, and `release`s the lock. The killed worker's database
    session then wakes up, finds its client gone and rolls back.
    """

    def __init__(self) -> None:
        import psycopg

        self.conn = psycopg.connect(database_url_for_worker())
        self.pid = self.conn.info.backend_pid

    def hold(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Run `sql` (LOCK TABLE, SELECT ... FOR UPDATE) in the open transaction."""
        cursor = self.conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []

    def release(self) -> None:
        self.conn.rollback()

    def close(self) -> None:
        self.conn.close()

    def waiting_pid(self, query_start: str) -> int | None:
        """The backend whose statement starts with `query_start` and waits for our lock.

        Asked on the test's own connection: pg_stat_activity is a snapshot per
        transaction, and ours stays open while it holds the lock."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid)) "
                "AND wait_event_type = 'Lock' AND starts_with(query, %s)",
                [self.pid, query_start],
            )
            row = cursor.fetchone()
        return row[0] if row else None


def backend_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


def holds_lock(pid: int, table: str, mode: str) -> bool:
    """Whether backend `pid` holds `mode` (RowExclusiveLock: it has written) on `table`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_locks WHERE pid = %s AND relation = %s::regclass "
            "AND mode = %s AND granted",
            [pid, table, mode],
        )
        return cursor.fetchone() is not None


@pytest.fixture
def lock_holder(transactional_db) -> Iterator[LockHolder]:
    """Ask for it after celery_worker_process: torn down first, it lets a worker that
    still waits for its lock go on and stop."""
    holder = LockHolder()
    try:
        yield holder
    finally:
        holder.close()  # before the database is flushed, which would wait for our lock
