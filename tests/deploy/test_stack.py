"""The docker-compose stack, run natively: no Docker engine here, so this starts the very
commands docker-compose.yml gives its services, with the environment compose would give
them (.env.example's values, the file's `environment`), on free ports of 127.0.0.1:

    migrate (must exit 0) -> web (gunicorn), worker, beat -> proxy (Debian's nginx with
    deploy/nginx.conf.template, through deploy/proxy-entrypoint.sh)

and then talks to the proxy over HTTPS as a browser would. Only the addresses differ from
the containers: PostgreSQL and Redis of the test run, a database of its own, temporary
directories for static files, media and the certificate.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import yaml

from tests.support import skip_or_fail

from .test_compose_file import readme_variables

# One pytest-xdist worker runs the whole module: its fixture starts processes once.
pytestmark = [pytest.mark.worker, pytest.mark.long, pytest.mark.xdist_group("deploy-stack")]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
UPLOAD_MAX_BYTES = 1024 * 1024  # small, so the oversized request stays cheap
PASSWORD = "Stack-test-" + secrets.token_urlsafe(8)
USERNAME = "stack.fao"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_dotenv(path: Path) -> dict[str, str]:
    """An env_file as compose reads it: KEY=VALUE lines, the value taken as written."""
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value
    return values


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?error}, from the .env file."""

    def one(match: re.Match) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3)
        current = variables.get(name, "")
        if op == ":?" and not current:
            raise AssertionError(f"compose would refuse to start: {arg}")
        return current or (arg if op == ":-" else "")

    return re.sub(r"\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}", one, value)


@dataclass
class Stack:
    tmp: Path
    env: dict[str, str]
    proxy_env: dict[str, str]
    https_port: int
    http_port: int
    web_port: int
    node: str
    schedule: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def certificate(self) -> Path:
        return self.tmp / "certs" / "tls.crt"

    def native(self, argv: list[str]) -> list[str]:
        """A container's command line on this machine: same program, local addresses."""
        programs = {"python": sys.executable, "gunicorn": str(BIN / "gunicorn")}
        programs["celery"] = str(BIN / "celery")
        programs["/app/deploy/proxy-entrypoint.sh"] = str(ROOT / "deploy/proxy-entrypoint.sh")
        replace = {
            "0.0.0.0:8000": f"127.0.0.1:{self.web_port}",
            "http://127.0.0.1:8000/healthz": f"http://127.0.0.1:{self.web_port}/healthz",
            "http://127.0.0.1:8080/proxy-healthz": (
                f"http://127.0.0.1:{self.http_port}/proxy-healthz"
            ),
            "/tmp/celerybeat-schedule": str(self.schedule),
        }
        return [programs.get(arg, replace.get(arg, arg)) for arg in argv]

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        log = (self.tmp / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            self.native(argv),
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def run(self, argv: list[str], env: dict[str, str] | None = None, timeout: float = 300):
        return subprocess.run(
            self.native(argv),
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        for name, process in reversed(self.processes.items()):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            self.processes[name] = process


def wait_for(check, what: str, stack: Stack, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, process in stack.processes.items():
            if process.poll() is not None:
                pytest.fail(f"{name} exited ({process.returncode}):\n{stack.log(name)}")
        if check():
            return
        time.sleep(1)
    logs = "\n".join(f"--- {n}\n{stack.log(n)}" for n in stack.processes)
    pytest.fail(f"{what} not ready after {timeout} s\n{logs}")


def postgres_server() -> dict:
    import environ

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        skip_or_fail("the stack runs on PostgreSQL: set DATABASE_URL to a PostgreSQL server")
    return environ.Env.db_url_config(url)


def admin_connection(server: dict):
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        user=server.get("USER") or "postgres",
        password=server.get("PASSWORD") or None,
        host=server.get("HOST") or "127.0.0.1",
        port=server.get("PORT") or 5432,
        autocommit=True,
    )


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    from tests import worker as worker_support

    if not shutil.which("nginx", path=os.environ.get("PATH", "") + ":/usr/sbin"):
        skip_or_fail("nginx is not installed (make test-setup installs nginx-light)")
    server = postgres_server()
    broker = worker_support.redis_broker_url()
    tmp = tmp_path_factory.mktemp("stack")
    # Started as root, nginx's workers drop to nobody (in the image nginx runs as bbportal,
    # which owns the files): the static files must be readable by others, as in the image,
    # outside pytest's private temporary directory.
    static_root = Path(tempfile.mkdtemp(prefix="bbstack-static-"))
    static_root.chmod(0o755)
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]

    # The operator's .env: .env.example with the blanks filled in.
    dotenv = read_dotenv(ROOT / ".env.example")
    dotenv.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="bbportal.test,127.0.0.1",
        POSTGRES_PASSWORD="not-used-here",
        UPLOAD_MAX_BYTES=str(UPLOAD_MAX_BYTES),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    # Nothing of this process's own configuration leaks into the stack.
    inherited = {
        k: v
        for k, v in os.environ.items()
        if k not in readme_variables() and not k.startswith(("DJANGO_", "CELERY_", "TEST_"))
    }
    inherited["PATH"] = inherited.get("PATH", "") + ":/usr/sbin"
    database = f"bb_stack_{uuid.uuid4().hex[:10]}"
    queue = f"bbstack-{uuid.uuid4().hex[:10]}"
    user = server.get("USER") or "postgres"
    password = f":{server['PASSWORD']}" if server.get("PASSWORD") else ""
    host, port = server.get("HOST") or "127.0.0.1", server.get("PORT") or 5432
    portal_environment = {
        k: interpolate(str(v), dotenv) for k, v in services["web"]["environment"].items()
    }
    env = {**inherited, **dotenv, **portal_environment}
    # The addresses: containers reach db, redis and volumes; here, the test's own.
    env.update(
        DATABASE_URL=f"postgres://{user}{password}@{host}:{port}/{database}",
        CELERY_BROKER_URL=broker,
        CELERY_TASK_DEFAULT_QUEUE=queue,
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(tmp / "media"),
    )
    https_port, http_port, web_port = free_port(), free_port(), free_port()
    proxy_env = {
        **inherited,
        **{k: interpolate(str(v), dotenv) for k, v in services["proxy"]["environment"].items()},
    }
    proxy_env.update(
        PROXY_UPSTREAM=f"127.0.0.1:{web_port}",
        PROXY_STATIC_ROOT=env["STATIC_ROOT"],
        PROXY_TLS_DIR=str(tmp / "certs"),
        PROXY_RUN_DIR=str(tmp / "nginx"),
        PROXY_HTTPS_PORT=str(https_port),
        PROXY_HTTP_PORT=str(http_port),
    )
    stack = Stack(
        tmp=tmp,
        env=env,
        proxy_env=proxy_env,
        https_port=https_port,
        http_port=http_port,
        web_port=web_port,
        node=f"stack-{queue}@{socket.gethostname()}",
        schedule=tmp / "celerybeat-schedule",
    )

    with admin_connection(server) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    try:
        # The image's build step, then the one-shot migrate service.
        collected = stack.run(["python", "manage.py", "collectstatic", "--noinput"])
        assert collected.returncode == 0, collected.stderr
        migrated = stack.run(services["migrate"]["command"])
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        created = stack.run(["python", "manage.py", "shell", "-c", CREATE_USER])
        assert created.returncode == 0, created.stderr

        stack.start("web", services["web"]["command"], env)
        worker_command = [*services["worker"]["command"], "-n", stack.node]
        stack.start("worker", worker_command, env)
        stack.start("beat", services["beat"]["command"], env)
        # As compose does (start_period, retries): a service counts once its check passes.
        for name in ("web", "worker", "beat"):
            wait_for(lambda n=name: healthcheck(stack, services, n).returncode == 0, name, stack)
        stack.start("proxy", services["proxy"]["command"], proxy_env)
        wait_for(lambda: healthcheck(stack, services, "proxy").returncode == 0, "proxy", stack)
        yield stack
    finally:
        stack.stop()
        with admin_connection(server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(static_root, ignore_errors=True)


CREATE_USER = f"""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from core.roles import Role
user = get_user_model().objects.create_user({USERNAME!r}, password={PASSWORD!r}, is_staff=True)
user.groups.add(Group.objects.get(name=Role.FAO.group_name))
"""


def healthcheck(stack: Stack, services: dict, name: str) -> subprocess.CompletedProcess:
    """The service's compose healthcheck, run as the container would run it."""
    kind, *argv = services[name]["healthcheck"]["test"]
    assert kind == "CMD"
    if name == "worker":
        argv = [*argv, stack.node]
    env = stack.proxy_env if name == "proxy" else stack.env
    return stack.run(argv, env=env, timeout=60)


@pytest.fixture
def services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_the_module_reaches_one_worker_whole(request):
    """Under --dist loadgroup the stack starts once, on the one worker that runs this
    module. pytest-xdist groups a test by adding its group to the node id, which pytest
    9.2 silently ignored: the stack then started once per piece (four times a CI run,
    about 300 s). requirements-dev.txt pins a pytest that works with it."""
    if not request.config.getvalue("loadgroup"):
        pytest.skip("not run under --dist loadgroup")
    assert request.node.nodeid.endswith("@deploy-stack")


def test_healthz_answers_through_the_proxy_over_https(stack):
    response = requests.get(f"{stack.base}/healthz", verify=stack.certificate, timeout=10)
    assert response.status_code == 200
    assert response.text == "ok"
    # The first-run certificate names the portal's host and this address.
    from cryptography import x509

    cert = x509.load_pem_x509_certificate(stack.certificate.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "bbportal.test" in names.get_values_for_type(x509.DNSName)
    assert cert.subject.rfc4514_string() == "CN=bbportal.test"


def test_plain_http_is_sent_to_https(stack):
    response = requests.get(
        f"http://127.0.0.1:{stack.http_port}/accounts/login/", allow_redirects=False, timeout=10
    )
    assert response.status_code == 301
    assert response.headers["Location"] == "https://127.0.0.1/accounts/login/"


def test_every_service_healthcheck_passes(stack, services):
    for name in ("web", "worker", "beat", "proxy"):
        result = healthcheck(stack, services, name)
        assert result.returncode == 0, f"{name}: {result.stdout}{result.stderr}"
        assert result.stdout.strip() == "ok"


def test_the_proxy_serves_static_files(stack):
    static = Path(stack.env["STATIC_ROOT"])
    sample = next(p for p in static.rglob("*.css") if p.stat().st_size > 0)
    url = f"{stack.base}/static/{sample.relative_to(static).as_posix()}"
    response = requests.get(url, verify=stack.certificate, timeout=10)
    assert response.status_code == 200
    assert response.content == sample.read_bytes()
    assert response.headers["Server"] == "nginx"
    assert "max-age=604800" in response.headers["Cache-Control"]
    # gunicorn never saw it.
    assert f"/static/{sample.name}" not in stack.log("web")


def test_the_proxy_refuses_an_oversized_post(stack):
    limit = UPLOAD_MAX_BYTES + 1024 * 1024
    response = requests.post(
        f"{stack.base}/accounts/login/",
        data=b"x" * (limit + 1),
        headers={"Content-Type": "application/octet-stream"},
        verify=stack.certificate,
        timeout=30,
    )
    assert response.status_code == 413
    assert response.headers["Server"] == "nginx"


def test_the_proxy_refuses_before_reading_the_body(stack):
    """A client announcing 300 MB is answered at once, from its headers alone."""
    context = ssl.create_default_context(cafile=str(stack.certificate))
    started = time.monotonic()
    with (
        socket.create_connection(("127.0.0.1", stack.https_port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        tls.sendall(
            b"POST /vendors/link/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 314572800\r\n\r\n"
        )
        answer = tls.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413 ")
    assert time.monotonic() - started < 5


def test_a_body_within_the_limit_reaches_the_portal(stack):
    response = requests.post(
        f"{stack.base}/accounts/login/",
        data={"username": "x", "padding": "y" * (UPLOAD_MAX_BYTES // 2)},
        verify=stack.certificate,
        timeout=30,
    )
    # Django's answer (no CSRF token), not the proxy's.
    assert response.status_code == 403
    assert "CSRF" in response.text


def test_a_user_signs_in_through_the_proxy(stack):
    session = requests.Session()
    # Per request: a CA bundle named in the environment would override session.verify.
    verify = stack.certificate
    login = f"{stack.base}/accounts/login/"
    page = session.get(login, verify=verify, timeout=10)
    assert page.status_code == 200
    token = session.cookies["csrftoken"]
    response = session.post(
        login,
        data={"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": login},
        allow_redirects=False,
        verify=verify,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:2000]
    assert response.headers["Location"] == "/"
    # Secure cookies: the portal knows it is behind HTTPS (X-Forwarded-Proto).
    assert "secure" in response.headers["Set-Cookie"].lower()
    home = session.get(f"{stack.base}/", verify=verify, timeout=10)
    assert home.status_code == 200
    assert "/accounts/logout/" in home.text


class FromAddress(requests.adapters.HTTPAdapter):
    """Connects from another loopback address than the proxy's own 127.0.0.1."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def test_a_failed_login_counts_against_the_client_not_the_proxy(stack):
    """The lockout (django-axes) must see the browser's address: gunicorn only ever sees the
    proxy's, so one attacker would otherwise lock everyone out. The client connects from
    127.0.0.2; the proxy talks to gunicorn from 127.0.0.1."""
    import psycopg

    session = requests.Session()
    session.mount("https://", FromAddress("127.0.0.2"))
    login = f"{stack.base}/accounts/login/"
    session.get(login, verify=stack.certificate, timeout=10)
    response = session.post(
        login,
        data={
            "username": USERNAME,
            "password": "wrong-password",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": login, "X-Forwarded-For": "198.51.100.7"},
        verify=stack.certificate,
        timeout=10,
    )
    assert response.status_code == 200  # the form again, with its error
    with psycopg.connect(stack.env["DATABASE_URL"]) as conn:
        rows = conn.execute(
            "SELECT host(ip_address) FROM axes_accessattempt WHERE username = %s", [USERNAME]
        ).fetchall()
    # Neither the proxy's address nor the one the client made up.
    assert rows == [("127.0.0.2",)]
