"""A worker's sign of life on the row it is working on.

A worker killed in the middle of a job (OOM, a deploy, a lost machine) leaves its row
RENDERING or IMPORTING; Redis would give the task to another worker only after the
visibility timeout, an hour. While a job runs, a thread stamps its row every
HEARTBEAT_SECONDS; a row whose stamp is older than WORK_STALL_SECONDS has lost its
worker: the page says so and the sweep (core.queue) hands it to another worker at once.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.utils import timezone


def stall_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """A heartbeat older than this is a worker that died."""
    return (now or timezone.now()) - dt.timedelta(seconds=settings.WORK_STALL_SECONDS)


@contextmanager
def beating(stamp: Callable[[], object]) -> Iterator[None]:
    """Call `stamp()` every HEARTBEAT_SECONDS, in a thread of its own (with its own
    database connection, committed at once), until the block ends."""
    stop = threading.Event()

    def run() -> None:
        try:
            while not stop.wait(settings.HEARTBEAT_SECONDS):
                stamp()
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=run, name="heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=settings.HEARTBEAT_SECONDS)
