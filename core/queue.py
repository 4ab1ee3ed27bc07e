"""Handing work to the Celery worker without losing it.

Work is always recorded in a database row first (a Teams request, a report generation,
an import job) and only then announced to the worker, after the transaction commits.
If the broker is down at that moment the announcement fails quietly: the row stays
pending, the user is told the work is waiting, and `sweep_pending_work` (Celery beat,
every minute) announces it again once the broker is back. Tasks are idempotent, so
an announcement made twice does the work once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)

# Fail fast when the broker is down: the sweeper tries again later, and a web request
# must not hang on a dead Redis.
PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}


@dataclass
class Dispatch:
    """What became of handing one piece of work to the worker."""

    task_name: str
    published: bool | None = None  # None until the transaction commits
    error: str = ""


def publish(task: Task[Any, Any], *args: Any, **kwargs: Any) -> Dispatch:
    dispatch = Dispatch(task.name)
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except Exception as exc:  # any broker failure leaves the row pending
        if task.app.conf.task_always_eager:
            raise  # in-process mode: the task itself failed, which the caller must see
        logger.warning("Could not queue %s%r: %s", task.name, args, exc)
        dispatch.published = False
        dispatch.error = str(exc)
    else:
        dispatch.published = True
    return dispatch


def enqueue_on_commit(task: Task[Any, Any], *args: Any, **kwargs: Any) -> Dispatch:
    """Announce the task once the current transaction commits (at once outside one)."""
    dispatch = Dispatch(task.name)

    def announce() -> None:
        result = publish(task, *args, **kwargs)
        dispatch.published, dispatch.error = result.published, result.error

    transaction.on_commit(announce)
    return dispatch


def all_of(name: str, dispatches: list[Dispatch]) -> Dispatch:
    """One Dispatch for several announcements: published only if every one was.

    Settled on commit after them (Django runs on_commit callbacks in order)."""
    combined = Dispatch(name)

    def settle() -> None:
        combined.published = all(d.published for d in dispatches)
        combined.error = "; ".join(d.error for d in dispatches if d.error)

    transaction.on_commit(settle)
    return combined


@dataclass(frozen=True)
class Sweeper:
    name: str
    pending: Callable[[], Iterable[tuple[Task[Any, Any], tuple[Any, ...]]]]


_SWEEPERS: dict[str, Sweeper] = {}


def register_sweeper(
    name: str, pending: Callable[[], Iterable[tuple[Task[Any, Any], tuple[Any, ...]]]]
) -> None:
    """`pending()` yields (task, args) for work recorded but not done after a while."""
    _SWEEPERS[name] = Sweeper(name, pending)


@dataclass
class SweepReport:
    published: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)


def sweep_pending_work() -> SweepReport:
    report = SweepReport()
    for sweeper in _SWEEPERS.values():
        for task, args in sweeper.pending():
            ok = publish(task, *args).published
            bucket = report.published if ok else report.failed
            bucket[sweeper.name] = bucket.get(sweeper.name, 0) + 1
    return report
