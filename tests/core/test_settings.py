"""Production settings: refuse to start without secrets, and pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "bbportal.settings.production", **env},
        timeout=120,
    )


@pytest.mark.slow  # a manage.py process: run once
def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_ALLOWED_HOSTS="portal.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production." in result.stderr


@pytest.mark.slow  # a manage.py process: run once
def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", DJANGO_SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set in production." in result.stderr


@pytest.mark.slow  # a manage.py process: run once
def test_check_deploy_reports_no_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="k3y-" + "Zq8vX2pL0mN5tR7wY1aB4cD6eF9gH3jK" * 2,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("module", ["local", "test", "production"])
def test_time_zone_is_bangkok(module):
    from django.conf import settings

    assert settings.TIME_ZONE == "Asia/Bangkok" and settings.USE_TZ is True


@pytest.mark.slow  # a manage.py process: run once
def test_collectstatic_succeeds_with_the_production_storage(tmp_path):
    # The manifest storage fails on a reference to a missing file (a source map, a
    # font): the Docker build runs exactly this.
    result = run_manage(
        "collectstatic",
        "--noinput",
        "-v0",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()


@pytest.mark.slow  # a manage.py process: run once
def test_production_keeps_database_connections_and_checks_them():
    """#19: a connection per request forked a PostgreSQL process for every page."""
    printed = (
        "from django.db import connection as c; "
        "print(c.settings_dict['CONN_MAX_AGE'], c.settings_dict['CONN_HEALTH_CHECKS'])"
    )
    secrets = {"DJANGO_SECRET_KEY": "x" * 60, "DJANGO_ALLOWED_HOSTS": "portal.example.org"}
    kept = run_manage("shell", "--no-imports", "-c", printed, **secrets)
    assert kept.stdout.split() == ["60", "True"], kept.stderr[-2000:]
    told = run_manage("shell", "--no-imports", "-c", printed, CONN_MAX_AGE="0", **secrets)
    assert told.stdout.split() == ["0", "True"]
