"""LINE's webhook: signed like LINE signs (tests/fakes/line.py), redelivered as LINE does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import LineLink, LineLinkCode, OutboxMessage
from notifications.services import line_link_code_issue
from tests.factories import VendorFactory

URL = reverse("notifications:line-webhook")


@pytest.fixture
def vendor(db):
    return VendorFactory(email="shop@example.com")


def _post(fake_line, events, **kwargs):
    return fake_line.webhook(Client(), events, path=URL, **kwargs)


def test_a_valid_code_links_the_vendor_once_and_confirms_on_line(
    vendor, fake_line, django_capture_on_commit_callbacks
):
    code = line_link_code_issue(vendor=vendor)
    user = fake_line.new_user()
    typed = f"{code.code[:4]}-{code.code[4:]}".lower()
    event = fake_line.message_event(user, f"Hello, my code: {typed} thanks")
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(fake_line, [event]).status_code == 200
        # LINE sends the same event again: nothing changes.
        assert _post(fake_line, [fake_line.redelivery(event)]).status_code == 200
    link = LineLink.objects.get(vendor=vendor)
    assert link.line_user_id == user and link.status == LineLink.Status.LINKED
    code.refresh_from_db()
    assert code.used_at is not None
    (confirmation,) = OutboxMessage.objects.all()
    assert confirmation.template == "notifications.line_linked"
    assert confirmation.status == OutboxMessage.Status.SENT
    assert len(fake_line.delivered[user]) == 1
    assert fake_line.delivered[user][0].startswith("BB Portal: ")


def test_a_wrong_signature_is_refused_and_changes_nothing(vendor, fake_line):
    code = line_link_code_issue(vendor=vendor)
    event = fake_line.message_event(fake_line.new_user(), code.code)
    wrong = fake_line.sign(b"another body")
    assert _post(fake_line, [event], signature=wrong).status_code == 403
    assert _post(fake_line, [event], signature="").status_code == 403
    other_secret = fake_line.sign(b"x", secret="not-the-secret")
    assert _post(fake_line, [event], signature=other_secret).status_code == 403
    assert not LineLink.objects.exists()
    code.refresh_from_db()
    assert code.used_at is None


def test_a_code_works_once_and_not_after_it_expires(vendor, fake_line):
    code = line_link_code_issue(vendor=vendor)
    first, second = fake_line.new_user(), fake_line.new_user()
    _post(fake_line, [fake_line.message_event(first, code.code)])
    _post(fake_line, [fake_line.message_event(second, code.code)])
    assert LineLink.objects.get(vendor=vendor).line_user_id == first

    other = VendorFactory()
    expired = line_link_code_issue(vendor=other)
    LineLinkCode.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    _post(fake_line, [fake_line.message_event(second, expired.code)])
    assert not LineLink.objects.filter(vendor=other).exists()


def test_issuing_a_code_again_gives_the_same_code_until_it_is_used(vendor):
    first = line_link_code_issue(vendor=vendor)
    assert line_link_code_issue(vendor=vendor).pk == first.pk
    LineLinkCode.objects.filter(pk=first.pk).update(used_at=timezone.now())
    assert line_link_code_issue(vendor=vendor).code != first.code


def test_unfollow_unlinks_the_vendor(vendor, fake_line):
    code = line_link_code_issue(vendor=vendor)
    user = fake_line.new_user()
    _post(fake_line, [fake_line.message_event(user, code.code)])
    _post(fake_line, [fake_line.unfollow_event(user)])
    assert LineLink.objects.get(vendor=vendor).status == LineLink.Status.UNLINKED


def test_too_many_wrong_codes_from_one_user_are_ignored(vendor, fake_line):
    user = fake_line.new_user()
    for _ in range(10):
        _post(fake_line, [fake_line.message_event(user, "ZZZZZZZZ")])
    code = line_link_code_issue(vendor=vendor)
    _post(fake_line, [fake_line.message_event(user, code.code)])
    assert not LineLink.objects.exists()


def test_the_webhook_is_rate_limited(vendor, fake_line, settings):
    settings.LINE_WEBHOOK_RATE_PER_MINUTE = 2
    statuses = [_post(fake_line, []).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_webhook_takes_only_post_and_is_off_without_a_secret(db, settings, fake_line):
    assert Client().get(URL).status_code == 405
    settings.LINE_CHANNEL_SECRET = ""
    assert _post(fake_line, []).status_code == 404
