"""The production settings as the proxy and the health probes meet them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]

# Each module run starts a Django process with the production settings.
# One pytest-xdist worker runs the whole module: its fixture starts processes once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("production-settings")]


def production_settings(*names: str) -> dict:
    """The named settings as bbportal.settings.production computes them (in a child process:
    this one runs the test settings)."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bbportal.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def production():
    return production_settings(
        "SECURE_SSL_REDIRECT", "SECURE_REDIRECT_EXEMPT", "SECURE_PROXY_SSL_HEADER"
    )


def test_healthz_answers_over_plain_http_inside_the_network(client, db, production):
    """A container health probe speaks plain HTTP to gunicorn; a 301 to HTTPS would never
    reach the database check."""
    with override_settings(
        SECURE_SSL_REDIRECT=production["SECURE_SSL_REDIRECT"],
        SECURE_REDIRECT_EXEMPT=production["SECURE_REDIRECT_EXEMPT"],
    ):
        assert client.get("/healthz").status_code == 200
        # Everything else still goes to HTTPS.
        login = client.get("/accounts/login/")
        assert login.status_code == 301
        assert login["Location"] == "https://testserver/accounts/login/"


def test_the_proxy_forwarded_scheme_is_trusted(client, db, production):
    """Behind the proxy, X-Forwarded-Proto: https is what makes a request secure; without
    it every page would redirect to itself."""
    assert production["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    with override_settings(
        SECURE_SSL_REDIRECT=True,
        SECURE_PROXY_SSL_HEADER=tuple(production["SECURE_PROXY_SSL_HEADER"]),
    ):
        response = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
        assert response.status_code == 200
