"""Container health probes of docker-compose.yml (the image has no curl).

    python deploy/healthcheck.py http URL          200 expected (TLS not verified: the
                                                   first-run certificate is self-signed)
    python deploy/healthcheck.py worker [NODE]     the Celery worker NODE answers a ping
                                                   (default: celery@<this host>)
    python deploy/healthcheck.py beat FILE [MAX]   beat wrote its schedule FILE in the last
                                                   MAX seconds (default 1200)

Exit 0 when healthy, 1 with a one-line reason otherwise.
"""

from __future__ import annotations

import glob
import os
import socket
import ssl
import sys
import time
import urllib.request


def probe_host() -> str | None:
    """A name Django accepts: the probe's own 127.0.0.1 is usually not in ALLOWED_HOSTS."""
    first = os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")[0].strip().lstrip(".")
    return first if first and first != "*" else None


def check_http(url: str) -> str | None:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    host = probe_host()
    request = urllib.request.Request(url, headers={"Host": host} if host else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5, context=context) as response:  # noqa: S310
            status = response.status
    except OSError as exc:
        return f"{url}: {exc}"
    return None if status == 200 else f"{url}: answered {status}"


def check_worker(node: str | None = None) -> str | None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bbportal.settings.production")
    # Run as a script, Python puts deploy/ on the path, not the project.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from bbportal.celery import app

    node = node or f"celery@{socket.gethostname()}"
    replies = app.control.ping(destination=[node], timeout=5, limit=1)
    return None if any(node in reply for reply in replies) else f"{node} did not answer a ping"


def check_beat(path: str, max_age: str = "1200") -> str | None:
    # Beat saves its schedule each time it sends a task, at least every 3 minutes while
    # the 5-minute sweep is due; a file older than MAX means beat is stuck or gone.
    # The shelve's file name depends on the dbm module: FILE, FILE.db, FILE.dat ...
    files = glob.glob(glob.escape(path)) + glob.glob(glob.escape(path) + ".*")
    if not files:
        return f"{path}: no schedule file"
    age = time.time() - max(os.stat(f).st_mtime for f in files)
    return None if age <= float(max_age) else f"{path} not written for {age:.0f} s"


CHECKS = {"http": check_http, "worker": check_worker, "beat": check_beat}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in CHECKS:
        sys.exit(__doc__)
    problem = CHECKS[sys.argv[1]](*sys.argv[2:])
    if problem:
        print(problem)
        sys.exit(1)
    print("ok")
