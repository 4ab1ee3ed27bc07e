"""Load: gunicorn with the production settings on PostgreSQL and Redis, 50 concurrent
users for 60 s on the executive dashboard, a year's session list and a report download.

Prints requests per second, p50/p95/p99 latency and the errors (connection errors,
timeouts and non-2xx answers); the aim is zero errors. BENCH_LOAD_SECONDS and
BENCH_LOAD_CONNECTIONS shorten or change the run. Needs wrk (apt-get install wrk).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("BENCH_LOAD_CONNECTIONS", "50"))
# The session cookie is made here and read by gunicorn: both must sign with one key.
SECRET_KEY = "bench-only-" + "k" * 50

LUA = Path(__file__).with_name("load.lua")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seed() -> tuple[str, list[str]]:
    """A programme year with held sessions, outcomes, a KPI snapshot and a rendered
    report; returns an executive's session cookie and the paths to load."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import reverse

    from core.roles import GROUP_NAMES, Role
    from demo.data import load_demo_data
    from meetings.models import Session
    from outcomes.demo import load_demo_outcomes
    from reports.models import ReportGeneration
    from reports.services import report_generation_request, report_generation_run

    settings.DEMO_DATA_ALLOWED = True
    settings.SECRET_KEY = SECRET_KEY
    load_demo_data()
    load_demo_outcomes()
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench.executive")
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.EXECUTIVE]))
    held = Session.objects.filter(status__in=["held", "reported"]).select_related("year").first()
    generation = ReportGeneration.objects.filter(session=held, status="done").first()
    # Another benchmark may have rendered into a temporary media folder since removed.
    if generation is None or not generation.file.storage.exists(generation.file.name):
        generation, _ = report_generation_request(
            kind="session", language="th", session=held, acting_user=None, enqueue=False
        )
        generation = report_generation_run(generation_id=generation.pk)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    paths = [
        reverse("outcomes:dashboard"),
        reverse("meetings:year-detail", kwargs={"fiscal_year": held.year.fiscal_year}),
        reverse("reports:download", kwargs={"generation_id": generation.pk}),
    ]
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}", paths


def _request(url: str, cookie: str):
    from urllib.request import Request

    return Request(url, headers={"Cookie": cookie})


def main() -> None:
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk): skipped")
        return
    cookie, paths = seed()
    port = _free_port()
    static_root = tempfile.mkdtemp(prefix="bbportal-static-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bbportal.settings.production",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": static_root,
        "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14"),
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    workers = str(2 * (os.cpu_count() or 1) + 1)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bbportal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            workers,
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--preload",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urlopen(f"{base}/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        for path in paths:  # one user alone first: what each page costs unloaded
            timings = []
            for _ in range(3):
                started = time.perf_counter()
                with urlopen(_request(base + path, cookie), timeout=30) as answer:
                    size = len(answer.read())
                timings.append((time.perf_counter() - started) * 1000)
            print(f"alone: {path} {min(timings):.0f} ms (best of 3), {size} bytes", flush=True)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(
                LUA.read_text()
                .replace("__PATHS__", ", ".join(f'"{p}"' for p in paths))
                .replace("__COOKIE__", cookie)
            )
        print(
            f"gunicorn: {workers} workers x 4 threads; {CONNECTIONS} connections for "
            f"{SECONDS} s over {len(paths)} pages: {', '.join(paths)}",
            flush=True,
        )
        result = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(CONNECTIONS),
                "-d",
                f"{SECONDS}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT"))
        figures = dict(re.findall(r"(\w+)=([\d.]+)", line))
        seconds = int(figures["duration_us"]) / 1e6
        errors = sum(
            int(figures[k])
            for k in ("connect_errors", "read_errors", "write_errors", "timeouts", "status_errors")
        )
        print(
            f"requests: {figures['requests']} in {seconds:.1f} s = "
            f"{int(figures['requests']) / seconds:.0f} req/s"
        )
        print(
            f"latency: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
            f"p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms"
        )
        print(
            f"errors: {errors} (connect {figures['connect_errors']}, read "
            f"{figures['read_errors']}, write {figures['write_errors']}, timeouts "
            f"{figures['timeouts']}, non-2xx {figures['status_errors']})"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
