"""The retry cases through Redis and a real Celery worker process, against the fake LINE.

Celery waits between the outbox's attempts (countdown from the retry policy); each case
states the ceiling of pushes LINE sees and that the vendor's phone shows one message."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from notifications.models import LineLink, OutboxMessage
from notifications.services import vendor_message_enqueue
from tests.factories import VendorFactory

from ..worker import wait_until

pytestmark = pytest.mark.worker


@pytest.fixture
def line_for_worker(fake_line, monkeypatch, settings):
    """Short waits in the worker: one push per attempt, half a second's base backoff."""
    for name, value in {
        "LINE_MAX_TRIES": "1",
        "NOTIFICATIONS_RETRY_BASE_SECONDS": "0.5",
        "NOTIFICATIONS_MAX_ATTEMPTS": "6",
    }.items():
        monkeypatch.setenv(name, value)
        setattr(settings, name, type(getattr(settings, name))(value))
    return fake_line


def _linked_vendor(fake_line):
    vendor = VendorFactory(email="shop@example.com")
    LineLink.objects.create(vendor=vendor, line_user_id=fake_line.new_user())
    return vendor


def _send(vendor) -> OutboxMessage:
    vendor = type(vendor).objects.select_related("line_link").get(pk=vendor.pk)
    with transaction.atomic():
        message = vendor_message_enqueue(
            vendor=vendor,
            template="notifications.line_linked",
            context={"vendor_id": vendor.pk},
            idempotency_key=f"worker-test:{vendor.pk}:{timezone.now().timestamp()}",
        )
    return message


def _sent(message, worker):
    done = wait_until(
        lambda: OutboxMessage.objects.filter(pk=message.pk, status__in=["sent", "failed"]).first(),
        timeout=60,
    )
    assert done is not None, worker.log()[-3000:]
    return done


def test_5xx_answers_are_retried_by_the_worker_until_line_takes_it(
    line_for_worker, celery_worker_process, db
):
    fake_line = line_for_worker
    vendor = _linked_vendor(fake_line)
    fake_line.fail_next(503, times=3, path="/push")
    message = _sent(_send(vendor), celery_worker_process)
    assert message.status == "sent" and message.attempts == 4
    assert len(fake_line.pushes()) == 4
    assert len(fake_line.delivered[vendor.line_link.line_user_id]) == 1


def test_a_lost_answer_is_retried_by_the_worker_and_delivered_once(
    line_for_worker, celery_worker_process, db
):
    fake_line = line_for_worker
    vendor = _linked_vendor(fake_line)
    fake_line.drop_next(path="/push")
    message = _sent(_send(vendor), celery_worker_process)
    assert message.status == "sent" and message.attempts == 2
    first, second = fake_line.pushes()
    assert second.header("X-Line-Retry-Key") == first.header("X-Line-Retry-Key")
    assert len(fake_line.delivered[vendor.line_link.line_user_id]) == 1


def test_a_429_is_retried_by_the_worker_after_its_retry_after(
    line_for_worker, celery_worker_process, db
):
    fake_line = line_for_worker
    vendor = _linked_vendor(fake_line)
    fake_line.fail_next(429, retry_after=2, path="/push")
    message = _sent(_send(vendor), celery_worker_process)
    assert message.status == "sent" and message.attempts == 2
    first, second = fake_line.pushes()
    assert second.at - first.at >= 2
    assert len(fake_line.delivered[vendor.line_link.line_user_id]) == 1


@pytest.fixture
def quick_redelivery(monkeypatch):
    # Read by the worker process at start: Redis hands an unacknowledged task on after
    # this many seconds (an hour in production), and a claim this old is a dead worker's.
    monkeypatch.setenv("CELERY_VISIBILITY_TIMEOUT", "5")
    monkeypatch.setenv("CELERY_RESTORE_INTERVAL", "1")
    monkeypatch.setenv("NOTIFICATIONS_STALE_SECONDS", "3")
    monkeypatch.setenv("LINE_TIMEOUT_SECONDS", "30")


def test_a_worker_killed_after_line_accepted_never_sends_twice(
    line_for_worker, quick_redelivery, celery_worker_process, db
):
    """LINE delivers at once but answers 20 s later; the worker is killed while it waits.
    The task comes back (late acknowledgement) to a restarted worker, which pushes again
    with the same retry key: LINE answers 409 and the vendor's phone shows it once."""
    fake_line = line_for_worker
    vendor = _linked_vendor(fake_line)
    fake_line.delay_next(20, path="/push")
    message = _send(vendor)
    assert wait_until(lambda: fake_line.pushes(), timeout=60), celery_worker_process.log()[-3000:]
    celery_worker_process.stop(kill=True)
    assert OutboxMessage.objects.get(pk=message.pk).status == "sending"
    assert len(fake_line.delivered[vendor.line_link.line_user_id]) == 1

    celery_worker_process.start()
    done = _sent(message, celery_worker_process)
    assert done.status == "sent" and done.attempts == 2
    first, second = fake_line.pushes()  # ceiling: 2
    assert first.header("X-Line-Retry-Key") == second.header("X-Line-Retry-Key")
    assert len(fake_line.delivered[vendor.line_link.line_user_id]) == 1
