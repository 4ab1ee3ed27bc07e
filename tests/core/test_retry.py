"""Retry-After as Graph and LINE send it (core.retry, shared by both clients)."""

import email.utils
import time

import pytest

from core.retry import parse_retry_after


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        ("0.5", 0.5),
        ("-3", 0.0),
        ("soon", None),
        ("", None),
    ],
)
def test_retry_after_in_seconds(header, seconds):
    assert parse_retry_after(header) == seconds


def test_retry_after_as_an_http_date():
    header = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 28 <= parse_retry_after(header) <= 30
