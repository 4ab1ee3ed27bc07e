"""docker-compose.yml as shipped: valid Compose, and the stack an operator can run.

No Docker engine here, so the file is checked against the Compose specification's JSON
schema (compose-spec.json: a copy of schema/compose-spec.json of the compose-spec
repository, Apache-2.0) and for the properties the deployment relies on.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PORTAL = ("migrate", "web", "worker", "beat")
LONG_RUNNING = ("web", "worker", "beat", "proxy", "db", "redis")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def readme_variables() -> set[str]:
    """The variables of the README's configuration table."""
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names = set()
    for row in table.splitlines():
        if row.startswith("| `"):
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1]))
    return names - {"TEST_CELERY_BROKER_URL"}  # tests only


def compose_validator() -> jsonschema.Draft7Validator:
    # The schema names draft-07 in a form jsonschema does not recognise by itself.
    schema = json.loads((ROOT / "tests" / "deploy" / "compose-spec.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_the_file_is_valid_compose(compose):
    compose_validator().validate(compose)


def test_the_schema_check_catches_a_mistake(compose):
    """The schema really constrains services (not a schema that accepts anything)."""
    broken = json.loads(json.dumps(compose))
    broken["services"]["web"]["restart"] = ["always"]
    broken["services"]["web"]["depends_on"]["migrate"]["condition"] = "service_done"
    errors = list(compose_validator().iter_errors(broken))
    assert len(errors) == 2


def test_one_image_is_built_once_for_every_portal_process(services):
    built = [name for name, service in services.items() if "build" in service]
    assert built == ["web"]
    image = services["web"]["image"]
    for name in (*PORTAL, "proxy"):
        assert services[name]["image"] == image
    assert (ROOT / services["web"]["build"]["dockerfile"]).exists()


def test_migrations_run_once_before_the_portal_starts(services):
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}
        assert depends["db"] == {"condition": "service_healthy"}
        assert depends["redis"] == {"condition": "service_healthy"}
    assert services["proxy"]["depends_on"]["web"] == {"condition": "service_healthy"}


def test_every_long_running_process_restarts_and_has_a_healthcheck(services):
    assert set(services) == {*LONG_RUNNING, "migrate"}
    for name in LONG_RUNNING:
        assert services[name]["restart"] == "unless-stopped", name
        check = services[name]["healthcheck"]
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert "disable" not in check
    # The one-shot's health is its exit status.
    assert services["migrate"]["healthcheck"] == {"disable": True}


def test_web_is_probed_over_plain_http_and_only_the_proxy_is_published(services):
    assert services["web"]["healthcheck"]["test"][-1] == "http://127.0.0.1:8000/healthz"
    published = [name for name, service in services.items() if service.get("ports")]
    assert published == ["proxy"]
    assert services["proxy"]["command"] == ["/app/deploy/proxy-entrypoint.sh"]


def test_every_configuration_variable_reaches_the_portal_from_env(services):
    """env_file passes everything in .env; .env.example names every variable of the README
    (commented out where the stack sets it)."""
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.M))
    variables = readme_variables()
    assert len(variables) > 40
    assert not variables - listed, f".env.example lacks {sorted(variables - listed)}"
    for name in PORTAL:
        assert services[name]["env_file"] == [".env"]
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "bbportal.settings.production"
    # The stack's own values win over .env only for what the stack provides.
    assert set(services["web"]["environment"]) == {
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "STATIC_ROOT",
        "MEDIA_ROOT",
    }


def test_secrets_and_local_state_stay_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", ".venv/", "db.sqlite3", "var/", ".git/", "test-artifacts/"):
        assert entry in ignored
    assert "!.env.example" in ignored


def test_the_image_runs_as_an_unprivileged_user_and_installs_the_lock():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --require-hashes -r requirements.lock" in dockerfile
    user_lines = [line for line in dockerfile.splitlines() if line.startswith("USER ")]
    assert user_lines == ["USER bbportal"]
    # USER comes before the command, so every service's process runs as bbportal.
    assert dockerfile.index("USER bbportal") < dockerfile.index("CMD ")
