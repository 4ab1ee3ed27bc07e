"""One retry policy for every Celery task of the portal (issue #14, item 2): core.queue's
portal_task and TASK_RETRY_POLICY. A task declares only what differs from it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core.queue import TASK_RETRY_POLICY, PortalTask, portal_task

ROOT = Path(__file__).resolve().parents[2]
PORTAL_PACKAGES = sorted(p.parent.name for p in ROOT.glob("*/__init__.py"))

# Celery options that would make one task retry, wait or acknowledge its own way.
OWN_POLICY = {
    "acks_late",
    "reject_on_worker_lost",
    "autoretry_for",
    "dont_autoretry_for",
    "retry_backoff",
    "retry_backoff_max",
    "retry_jitter",
    "retry_kwargs",
    "max_retries",
    "default_retry_delay",
}


calls: list[int] = []
retried: list[int] = []
given_up: list[tuple[str, int]] = []


def _note_retry(exc, attempt, item_id):
    retried.append(attempt)


def _note_give_up(exc, item_id):
    given_up.append((str(exc), item_id))
    return "failed"


@portal_task(on_retry=_note_retry, on_give_up=_note_give_up)
def always_broken(item_id: int) -> str:
    calls.append(item_id)
    raise OSError("No space left on device")


@pytest.fixture
def with_a_worker(monkeypatch):
    """Run the task as a worker would retry it: Celery's apply() runs each retry at once,
    so the test sees every try and the wait the policy asked for before it."""
    calls.clear(), retried.clear(), given_up.clear()
    monkeypatch.setattr(PortalTask, "in_process", property(lambda self: False))
    # A retry comes back from the tracer as a result, not raised as in the embedded mode.
    monkeypatch.setitem(always_broken.app.conf, "task_eager_propagates", False)
    countdowns: list[float] = []
    retry = PortalTask.retry

    def spy(self, *args, countdown=None, **kwargs):
        countdowns.append(countdown)
        return retry(self, *args, countdown=countdown, **kwargs)

    monkeypatch.setattr(PortalTask, "retry", spy)
    return countdowns


def test_the_policy_tries_four_times_and_never_waits_more_than_five_minutes():
    assert TASK_RETRY_POLICY.max_attempts == 4
    assert [TASK_RETRY_POLICY.gives_up(n) for n in range(1, 6)] == [False] * 3 + [True] * 2
    for attempts in range(1, 50):
        for rng in (lambda: 0.0, lambda: 0.999):
            assert 7.5 <= TASK_RETRY_POLICY.delay(attempts, rng=rng) <= 300


def test_a_failing_task_is_tried_four_times_with_growing_capped_waits_then_given_up(
    with_a_worker,
):
    countdowns = with_a_worker
    assert always_broken.apply(args=[7]).get() == "failed"
    assert calls == [7, 7, 7, 7]
    assert retried == [1, 2, 3]
    assert given_up == [("No space left on device", 7)]
    assert len(countdowns) == 3
    assert all(countdown <= 300 for countdown in countdowns)
    # Full jitter keeps each wait between half the step and the step: 15, 30, 60 s.
    low, middle, high = countdowns
    assert 7.5 <= low <= 15 and 15 <= middle <= 30 and 30 <= high <= 60


def test_in_process_a_retry_cannot_wait_so_the_first_failure_is_the_last():
    calls.clear(), retried.clear(), given_up.clear()
    assert always_broken.apply(args=[3]).get() == "failed"
    assert calls == [3] and retried == [] and given_up == [("No space left on device", 3)]


def test_without_a_give_up_hook_the_error_is_raised_after_the_last_try(with_a_worker):
    @portal_task(name="tests.core.broken_without_hook")
    def broken_without_hook() -> None:
        calls.append(0)
        raise ValueError("broken")

    with pytest.raises(ValueError, match="broken"):
        broken_without_hook.apply().get()
    assert calls == [0, 0, 0, 0]


def test_every_registered_portal_task_is_a_portal_task_under_the_one_policy():
    from bbportal.celery import app

    app.loader.import_default_modules()
    tasks = {
        name: task
        for name, task in app.tasks.items()
        if name.split(".")[0] in PORTAL_PACKAGES and not name.startswith("tests.")
    }
    assert {"reports.tasks.render_report", "notifications.tasks.deliver_message"} <= set(tasks)
    assert [name for name, task in tasks.items() if not isinstance(task, PortalTask)] == []
    assert [n for n, t in tasks.items() if t.retry_policy is not TASK_RETRY_POLICY] == []
    assert [n for n, t in tasks.items() if t.max_retries is not None] == []
    # acks_late comes from the settings alone (Celery copies it onto each task class).
    assert {t.acks_late for t in tasks.values()} == {app.conf.task_acks_late}


def _declarations(path: Path, root: Path = ROOT) -> list[str]:
    """Every way `path` declares its own acknowledgement or retry behaviour."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in OWN_POLICY:
                    found.append(f"{path.relative_to(root)}:{node.lineno} {keyword.arg}=")
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in {"shared_task", "task"}:
                found.append(f"{path.relative_to(root)}:{node.lineno} {name}()")
            if name == "retry" and isinstance(func.value, ast.Name) and func.value.id == "self":
                found.append(f"{path.relative_to(root)}:{node.lineno} self.retry()")
        elif isinstance(node, ast.Name) and node.id in {"shared_task", "MAX_RETRIES", "RETRY"}:
            found.append(f"{path.relative_to(root)}:{node.lineno} {node.id}")
        elif isinstance(node, ast.FunctionDef) and "backoff" in node.name:
            found.append(f"{path.relative_to(root)}:{node.lineno} def {node.name}")
    return found


def test_no_task_module_declares_its_own_retries_backoff_or_acks_late():
    modules = sorted(ROOT.glob("*/tasks.py"))
    assert len(modules) >= 6
    assert [found for path in modules for found in _declarations(path)] == []


def test_the_check_sees_a_task_with_its_own_policy(tmp_path):
    own = tmp_path / "tasks.py"
    own.write_text(
        "from celery import shared_task\n"
        "def backoff_seconds(n):\n    return 2 ** n\n"
        "@shared_task(bind=True, acks_late=True, max_retries=3)\n"
        "def work(self, pk):\n    raise self.retry(countdown=backoff_seconds(1))\n"
    )
    found = {entry.split(" ", 1)[1] for entry in _declarations(own, tmp_path)}
    expected = {"acks_late=", "max_retries=", "shared_task()", "self.retry()"}
    expected.add("def backoff_seconds")
    assert expected <= found
