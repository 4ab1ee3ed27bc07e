"""The recipient's language, and the one retry policy (core/retry.py)."""

from __future__ import annotations

import pytest
from django.core import mail

from core.retry import RetryPolicy, parse_retry_after
from notifications.rendering import message_language
from notifications.services import Recipient, message_enqueue

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("preferred", "template", "expected"),
    [
        ("th", "tests.hello", "th"),
        ("en", "tests.hello", "en"),
        # tests.hello's text has a Korean, Japanese and Chinese translation (Django's).
        ("ko", "tests.hello", "ko"),
        ("ja", "tests.hello", "ja"),
        ("zh", "tests.hello", "zh-hans"),
        ("zh-hans", "tests.hello", "zh-hans"),
        # The vendor invitation has none: English.
        ("ko", "meetings.vendor_invitation", "en"),
        ("fr", "tests.hello", "en"),
        ("", "tests.hello", "en"),
    ],
)
def test_the_recipients_language_where_a_translation_exists_else_english(
    preferred, template, expected
):
    assert message_language(preferred, template) == expected


def test_a_message_is_rendered_in_its_recipients_language(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message, created = message_enqueue(
            recipient=Recipient("address", None, "Kim", "kim@seoul.example.kr", "email", "ko"),
            template="tests.hello",
            context={"n": "1"},
            idempotency_key="lang:1",
        )
    assert created and message.language == "ko"
    assert message.context == {"n": "1"}  # parameters only, never the finished text
    assert [m.to for m in mail.outbox] == [["Kim <kim@seoul.example.kr>"]]


def test_the_delay_grows_with_jitter_within_bounds_and_is_capped():
    policy = RetryPolicy(max_attempts=4, base_seconds=10, max_delay_seconds=35, jitter=1.0)
    assert [policy.delay(n, rng=lambda: 0.0) for n in (1, 2, 3, 4)] == [10, 20, 35, 35]
    assert [policy.delay(n, rng=lambda: 1.0) for n in (1, 2, 3)] == [5, 10, 17.5]
    assert not policy.gives_up(3) and policy.gives_up(4)


def test_the_delay_never_comes_before_retry_after_but_is_capped():
    policy = RetryPolicy(base_seconds=1, max_delay_seconds=60, jitter=0)
    assert policy.delay(1, retry_after=30) == 30
    assert policy.delay(1, retry_after=3600) == 60
    assert policy.delay(1, retry_after=0.5) == 1


@pytest.mark.parametrize(
    ("header", "seconds"), [("5", 5.0), ("0.5", 0.5), ("", None), ("soon", None), ("-3", 0.0)]
)
def test_retry_after_is_read_as_seconds(header, seconds):
    assert parse_retry_after(header) == seconds


def test_retry_after_as_an_http_date_in_the_past_is_zero():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
