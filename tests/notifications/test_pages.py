"""FAO's view of the outbox: the LINE quota page and the admin's list with its retry."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from notifications.models import OutboxMessage
from notifications.services import Recipient, message_enqueue

pytestmark = pytest.mark.django_db


def _failed_email() -> OutboxMessage:
    message, _ = message_enqueue(
        recipient=Recipient("address", None, "Somchai", "somchai@example.org", "email", "th"),
        template="tests.hello",
        context={"n": "1"},
        idempotency_key="pages:1",
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        status="failed",
        attempts=6,
        last_error_code="email_transient",
        last_error_params={"error": "ConnectionRefusedError: refused"},
    )
    return message


def test_the_system_page_shows_the_line_quota(fao_user, client_for, fake_line):
    fake_line.delivered["U1"] = ["a", "b", "c"]
    page = client_for(fao_user).get(reverse("core:system-status"))
    assert reverse("notifications:status") in page.content.decode()
    assert 'Messages left this month: <span id="line-quota">497 of 500 (3 used)' in (
        page.content.decode()
    )
    page = client_for(fao_user).get(reverse("notifications:status"))
    assert "497 of 500 (3 used)" in page.content.decode()
    page = client_for(fao_user, "th").get(reverse("notifications:status"))
    assert "497 จาก 500 (ใช้ไป 3)" in page.content.decode()


def test_the_quota_page_says_when_line_is_off(fao_user, client_for, settings):
    settings.LINE_BACKEND = "console"
    page = client_for(fao_user).get(reverse("notifications:status"))
    assert "LINE is not configured: messages to vendors are written to the log." in (
        page.content.decode()
    )


def test_only_fao_sees_the_quota_page(sdo_user, client_for):
    assert client_for(sdo_user).get(reverse("notifications:status")).status_code == 403


def test_fao_lists_filters_and_retries_messages_in_the_admin(
    fao_user, client_for, django_capture_on_commit_callbacks
):
    from django.core import mail

    message = _failed_email()
    client = client_for(fao_user)
    url = reverse("admin:notifications_outboxmessage_changelist")
    page = client.get(url, {"status__exact": "failed"})
    assert page.status_code == 200
    assert "The mail server did not take it: ConnectionRefusedError: refused" in (
        page.content.decode()
    )
    with translation.override("th"):
        page = client_for(fao_user, "th").get(url)
    assert "เซิร์ฟเวอร์อีเมลไม่รับข้อความ: ConnectionRefusedError: refused" in (page.content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"action": "retry", "_selected_action": [message.pk]}, follow=True
        )
    assert "1 message will be tried again." in response.content.decode()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert len(mail.outbox) == 1
