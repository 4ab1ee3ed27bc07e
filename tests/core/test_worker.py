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
