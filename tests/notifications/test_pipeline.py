"""The outbox delivering to LINE over real HTTPS (tests/fakes/line.py), in-process.

Each fault case states the ceiling of requests LINE sees for one message, and that the
vendor's phone shows the message exactly once (or not at all when LINE refused it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Channel, LineLink, OutboxMessage
from notifications.services import (
    outbox_deliver,
    outbox_pending,
    outbox_recover_stale,
    outbox_retry,
    vendor_message_enqueue,
)
from vendors.models import Vendor

pytestmark = pytest.mark.django_db(transaction=False)

Status = OutboxMessage.Status


def _send(vendor, key="k1", n="1"):
    return vendor_message_enqueue(
        vendor=vendor, template="tests.hello", context={"n": n}, idempotency_key=key
    )


def _due_again(message):
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())


def test_a_message_to_a_linked_vendor_is_pushed_once_with_its_retry_key(
    linked_vendor, fake_line, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(linked_vendor)
    message.refresh_from_db()
    (push,) = fake_line.pushes()
    assert push.header("X-Line-Retry-Key") == str(message.retry_key)
    assert push.json == {"to": message.address, "messages": [{"type": "text", "text": "Hello 1"}]}
    assert message.channel == Channel.LINE and message.status == Status.SENT
    assert message.attempts == 1 and message.channel_message_id
    assert fake_line.delivered[message.address] == ["Hello 1"]


def test_the_same_idempotency_key_sends_nothing_the_second_time(
    linked_vendor, fake_line, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _send(linked_vendor)
        second = _send(linked_vendor)
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1 and len(fake_line.pushes()) == 1


def test_a_lost_answer_is_retried_with_the_same_key_and_delivered_once(
    linked_vendor, fake_line, django_capture_on_commit_callbacks
):
    fake_line.drop_next(path="/push")
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(linked_vendor)
    message.refresh_from_db()
    first, second = fake_line.pushes()  # ceiling: 2 requests
    assert first.header("X-Line-Retry-Key") == second.header("X-Line-Retry-Key")
    assert message.status == Status.SENT and message.attempts == 1
    assert fake_line.delivered[message.address] == ["Hello 1"]


def test_a_lost_answer_across_outbox_attempts_gets_409_and_counts_as_sent(
    linked_vendor, fake_line, settings, django_capture_on_commit_callbacks
):
    settings.LINE_MAX_TRIES = 1
    fake_line.drop_next(path="/push")
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(linked_vendor)
    message.refresh_from_db()
    assert message.status == Status.PENDING and message.last_error_code == "line_transient"
    _due_again(message)
    assert outbox_deliver(message_id=message.pk) is None
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 2
    keys = [p.header("X-Line-Retry-Key") for p in fake_line.pushes()]
    assert keys == [str(message.retry_key)] * 2
    assert fake_line.delivered[message.address] == ["Hello 1"]


def test_429_is_retried_after_its_retry_after(
    linked_vendor, fake_line, django_capture_on_commit_callbacks
):
    fake_line.fail_next(429, retry_after=0.5, path="/push")
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(linked_vendor)
    first, second = fake_line.pushes()  # ceiling: 2
    assert second.at - first.at >= 0.5
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert fake_line.delivered[message.address] == ["Hello 1"]


def test_a_long_retry_after_goes_back_to_the_outbox_without_holding_the_worker(
    linked_vendor, fake_line, django_capture_on_commit_callbacks
):
    fake_line.fail_next(429, retry_after=120, path="/push")
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(linked_vendor)
    message.refresh_from_db()
    assert len(fake_line.pushes()) == 1
    assert message.status == Status.PENDING
    assert message.next_attempt_at >= before + dt.timedelta(seconds=120)
    assert message.last_error_params["status"] == 429
    # Not due yet: a second announcement (the sweep, a duplicate) sends nothing.
    assert outbox_deliver(message_id=message.pk) is None
    assert len(fake_line.pushes()) == 1


def test_5xx_is_retried_until_the_policy_gives_up_then_e_mail_takes_over(
    linked_vendor, fake_line, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    fake_line.fail_next(503, times=100, path="/push")
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(linked_vendor)
    for _ in range(2):
        _due_again(message)
        with django_capture_on_commit_callbacks(execute=True):
            outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    # ceiling: attempts × tries per attempt
    assert len(fake_line.pushes()) == 3 * settings.LINE_MAX_TRIES
    assert message.status == Status.FAILED and message.attempts == 3
    assert fake_line.delivered == {}
    (fallback,) = message.fallbacks.all()
    assert fallback.channel == Channel.EMAIL and fallback.status == Status.SENT
    assert [m.to[0].endswith("<shop@example.com>") for m in mail.outbox] == [True]
    assert LineLink.objects.get(vendor=linked_vendor).status == LineLink.Status.LINKED


def test_400_for_a_blocked_account_breaks_the_link_and_falls_back_to_e_mail(
    linked_vendor, fake_line, django_capture_on_commit_callbacks
):
    fake_line.block(linked_vendor.line_link.line_user_id)
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(linked_vendor)
    message.refresh_from_db()
    assert len(fake_line.pushes()) == 1  # ceiling: a 400 is never retried
    assert message.status == Status.FAILED and message.last_error_code == "line_rejected"
    assert LineLink.objects.get(vendor=linked_vendor).status == LineLink.Status.BROKEN
    assert [m.body for m in mail.outbox] == ["Hello 1"]
    # The next message goes straight to e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        later = _send(Vendor.objects.get(pk=linked_vendor.pk), key="k2", n="2")
    assert later.channel == Channel.EMAIL and len(fake_line.pushes()) == 1


def test_401_is_not_retried_and_the_vendor_gets_e_mail(
    linked_vendor, fake_line, django_capture_on_commit_callbacks
):
    fake_line.fail_next(401, path="/push")
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(linked_vendor)
    message.refresh_from_db()
    assert len(fake_line.pushes()) == 1
    assert message.status == Status.FAILED and message.last_error_code == "line_unauthorized"
    assert LineLink.objects.get(vendor=linked_vendor).status == LineLink.Status.LINKED
    assert len(mail.outbox) == 1


def test_a_line_message_a_dead_worker_left_sending_is_resent_safely(
    linked_vendor, fake_line, settings, django_capture_on_commit_callbacks
):
    """The worker pushed (LINE accepted), then died before recording it."""
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(linked_vendor)
    long_ago = timezone.now() - dt.timedelta(seconds=settings.NOTIFICATIONS_STALE_SECONDS + 5)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=Status.SENDING, claimed_at=long_ago, sent_at=None
    )
    # While the claim is fresh nobody touches it; once stale the sweep takes it back.
    assert outbox_recover_stale() == 1
    tasks = outbox_pending(now=timezone.now() + dt.timedelta(minutes=5))
    assert [args for _task, args in tasks] == [(message.pk,)]
    outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Status.SENT
    keys = [p.header("X-Line-Retry-Key") for p in fake_line.pushes()]
    assert keys == [str(message.retry_key)] * 2
    assert fake_line.delivered[message.address] == ["Hello 1"]


def test_an_e_mail_a_dead_worker_left_sending_is_never_resent_blindly(
    db, settings, django_capture_on_commit_callbacks
):
    from tests.factories import VendorFactory

    vendor = VendorFactory(email="shop@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(vendor)
    assert len(mail.outbox) == 1
    long_ago = timezone.now() - dt.timedelta(seconds=settings.NOTIFICATIONS_STALE_SECONDS + 5)
    OutboxMessage.objects.filter(pk=message.pk).update(status=Status.SENDING, claimed_at=long_ago)
    assert outbox_recover_stale() == 1
    message.refresh_from_db()
    assert message.status == Status.UNCERTAIN
    assert outbox_deliver(message_id=message.pk) is None
    assert len(mail.outbox) == 1
    # Staff decide: the retry sends it once more, on purpose.
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_retry(message=message, acting_user=None)
    assert len(mail.outbox) == 2
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert not outbox_retry(message=message, acting_user=None)


def test_a_vendor_without_line_or_e_mail_gets_nothing(db):
    from tests.factories import VendorFactory

    assert _send(VendorFactory(email="")) is None
    assert OutboxMessage.objects.count() == 0


def test_the_console_backend_writes_line_messages_to_the_log(
    db, settings, caplog, django_capture_on_commit_callbacks
):
    from notifications.models import LineLink
    from tests.factories import VendorFactory

    settings.LINE_BACKEND = "console"
    vendor = VendorFactory()
    LineLink.objects.create(vendor=vendor, line_user_id="U123")
    vendor.refresh_from_db()
    capture = django_capture_on_commit_callbacks(execute=True)
    with caplog.at_level("INFO", logger="notifications.channels"), capture:
        message = _send(vendor)
    message.refresh_from_db()
    assert message.status == Status.SENT and message.channel_message_id.startswith("console-")
    assert "Hello 1" in caplog.text


def test_a_redelivered_task_finds_its_e_mail_claimed_by_a_dead_worker_and_sends_nothing(
    db, settings, django_capture_on_commit_callbacks
):
    from tests.factories import VendorFactory

    with django_capture_on_commit_callbacks(execute=True):
        message = _send(VendorFactory(email="shop@example.com"))
    long_ago = timezone.now() - dt.timedelta(seconds=settings.NOTIFICATIONS_STALE_SECONDS + 5)
    OutboxMessage.objects.filter(pk=message.pk).update(status=Status.SENDING, claimed_at=long_ago)
    # The same task delivered again (late acknowledgement) after its worker died.
    assert outbox_deliver(message_id=message.pk) is None
    message.refresh_from_db()
    assert message.status == Status.UNCERTAIN and len(mail.outbox) == 1
    # A fresh claim is another worker's, busy sending: left alone.
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=Status.SENDING, claimed_at=timezone.now()
    )
    assert outbox_deliver(message_id=message.pk) is None
    assert OutboxMessage.objects.get(pk=message.pk).status == Status.SENDING
