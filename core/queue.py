"""Handing work to the Celery worker without losing it.

Work is always recorded in a database row first (a Teams request, a report generation,
an import job) and only then announced to the worker, after the transaction commits.
If the broker is down at that moment the announcement fails quietly: the row stays
pending, the user is told the work is waiting, and `sweep_pending_work` (Celery beat,
every minute) announces it again once the broker is back. Tasks are idempotent, so
an announcement made twice does the work once.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from celery import Task, shared_task
from celery.exceptions import Ignore, Retry
from django.db import transaction

from .retry import RetryPolicy

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


# --- The tasks' one retry policy -------------------------------------------------------------

# An unexpected error (the database restarting, a full disk) is tried again a few times,
# a little later each time, and then given up, so that a broken job ends in a few minutes
# with its reason on its row instead of coming back for hours. The attempt counts as in
# core.retry: 4 tries, waits of about 15 s, 30 s, 60 s, never more than 5 minutes.
TASK_RETRY_POLICY = RetryPolicy(max_attempts=4, base_seconds=15.0, max_delay_seconds=300.0)


class PortalTask(Task):
    """The base of every portal task (`portal_task` makes them).

    acks_late and reject_on_worker_lost are not set here: they come from the settings
    (CELERY_TASK_ACKS_LATE, CELERY_TASK_REJECT_ON_WORKER_LOST) for every task alike.
    Celery's own retry count is unbounded because the policy does the counting."""

    retry_policy: RetryPolicy = TASK_RETRY_POLICY
    max_retries = None

    @property
    def in_process(self) -> bool:
        """Run in the web process (no broker) or called directly: a retry cannot wait."""
        return bool(self.request.is_eager or self.request.called_directly)

    def wait_and_retry(self, seconds: float) -> None:
        """For a task whose row counts its own tries (the outbox, Teams requests): the row
        chose the wait, Celery only waits. In-process the row stays waiting with its next
        attempt time and the sweeper (or staff's "retry") picks it up."""
        if not self.in_process:
            raise self.retry(countdown=seconds)


def portal_task(
    fn: Callable | None = None,
    *,
    retry_on: tuple[type[BaseException], ...] = (Exception,),
    on_retry: Callable[..., Any] | None = None,
    on_give_up: Callable[..., Any] | None = None,
    bind: bool = False,
    **options: Any,
):
    """Register a portal task under TASK_RETRY_POLICY. A task takes ids, loads its row,
    checks its state and calls a service; it declares only what differs:

    - `retry_on`: the errors tried again (every Exception; `()` for a task whose row
      counts its own tries and which calls `self.wait_and_retry`);
    - `on_retry(exc, attempt, *args, **kwargs)`: note on the row that a retry is coming;
    - `on_give_up(exc, *args, **kwargs)`: record the failure on the row; what it returns
      is the task's result. Without it the error is raised, as Celery records it.

    In-process (no broker) a retry cannot wait, so the first failure is the last.
    `bind=True` passes the task as the first argument, as Celery's own option does."""

    def decorate(fn: Callable) -> Task:
        @functools.wraps(fn)
        def run(self: PortalTask, *args, **kwargs):
            try:
                return fn(self, *args, **kwargs) if bind else fn(*args, **kwargs)
            except (Retry, Ignore):
                raise
            except retry_on as exc:
                attempt = self.request.retries + 1
                policy = self.retry_policy
                if not self.in_process and not policy.gives_up(attempt):
                    if on_retry is not None:
                        on_retry(exc, attempt, *args, **kwargs)
                    raise self.retry(exc=exc, countdown=policy.delay(attempt)) from exc
                if on_give_up is None:
                    raise
                logger.exception("%s%r gave up after %s tries", self.name, args, attempt)
                return on_give_up(exc, *args, **kwargs)

        # Celery checks a call's arguments against the signature of `run`: keep fn's.
        signature = inspect.signature(fn)
        if not bind:
            first = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
            signature = signature.replace(parameters=[first, *signature.parameters.values()])
        run.__signature__ = signature  # type: ignore[attr-defined]
        return shared_task(bind=True, base=PortalTask, **options)(run)

    return decorate(fn) if fn is not None else decorate
