"""A task through Redis to a real Celery worker process, and back to the database."""

import pytest

from core.models import WorkerPing
from core.services import worker_ping_request

from ..worker import wait_until


@pytest.mark.worker
def test_a_real_worker_answers_a_ping_through_redis(celery_worker_process, fao_user):
    ping, dispatch = worker_ping_request(acting_user=fao_user)
    assert dispatch.published is True

    answered = wait_until(
        lambda: WorkerPing.objects.filter(pk=ping.pk, answered_at__isnull=False).first(),
        timeout=60,
    )
    assert answered is not None, celery_worker_process.log()[-3000:]
    assert answered.worker_hostname.startswith(f"test-{celery_worker_process.queue}@")


PORTAL_APPS = (
    "core.",
    "cities.",
    "vendors.",
    "meetings.",
    "outcomes.",
    "reports.",
    "notifications.",
)


def test_every_portal_task_is_acknowledged_late_and_handed_back_if_its_process_dies():
    """The kill tests (tests/*/test_worker_killed.py) show it for a report, an import and
    a Teams request; this keeps any task, present or future, from opting out."""
    from bbportal.celery import app

    app.loader.import_default_modules()
    tasks = {name: task for name, task in app.tasks.items() if name.startswith(PORTAL_APPS)}
    assert {"reports.tasks.render_report", "vendors.tasks.apply_vendor_import"} <= set(tasks)
    assert [name for name, task in tasks.items() if not task.acks_late] == []
    assert [name for name, task in tasks.items() if not task.reject_on_worker_lost] == []
