"""The one home of the Microsoft clients: one msal app per process and authority, shared by
Entra sign-in and Graph, and modules that import in any order (no import circle)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from microsoft import identity

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "first",
    ["microsoft.teams.graph", "microsoft.graph_auth", "microsoft.teams", "microsoft.entra"],
)
@pytest.mark.slow  # a Python process each: run once
def test_each_module_imports_first_in_a_fresh_process(first):
    code = f"import django; django.setup(); import {first}; import microsoft.teams.graph"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bbportal.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_sign_in_and_graph_share_one_app_per_authority_and_client(fake_graph, settings):
    from microsoft import entra
    from microsoft.graph_auth import GraphConfig, msal_app

    settings.ENTRA_TENANT_ID = fake_graph.tenant_id
    settings.ENTRA_CLIENT_ID = fake_graph.client_id
    settings.ENTRA_CLIENT_SECRET = fake_graph.client_secret
    settings.ENTRA_AUTHORITY_HOST = fake_graph.authority_host
    settings.ENTRA_TIMEOUT_SECONDS = settings.GRAPH_TIMEOUT_SECONDS

    graph_app = msal_app(GraphConfig.from_settings())

    assert entra.application() is graph_app
    assert (
        identity.confidential_client(
            authority=f"{fake_graph.authority_host}/{fake_graph.tenant_id}",
            client_id="another-client",
            secret="x",
            timeout=5.0,
        )
        is not graph_app
    )
