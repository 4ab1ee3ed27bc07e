"""Files users run by hand: docker-compose.yml and the README's commands."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_docker_compose_defines_the_whole_stack():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "bbportal.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:6379")
        # Secrets come from the user's environment, never from the file.
        assert env["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY")
        assert set(services[name]["depends_on"]) >= {"db", "redis"}
    assert "celery" in " ".join(services["worker"]["command"])
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert (ROOT / services["web"]["build"]["dockerfile"]).exists()


def test_readme_puts_the_two_commands_at_the_top():
    head = (ROOT / "README.md").read_text().splitlines()[:25]
    assert any("make run" in line for line in head)
    assert any("make test" in line for line in head)


def test_every_environment_variable_read_by_settings_is_documented():
    import re

    readme = (ROOT / "README.md").read_text()
    settings_text = "".join(p.read_text() for p in (ROOT / "bbportal" / "settings").glob("*.py"))
    names = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_text))
    missing = sorted(n for n in names if f"`{n}`" not in readme)
    assert not missing, f"README does not document: {missing}"
