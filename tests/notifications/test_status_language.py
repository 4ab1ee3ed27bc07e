"""The outbox page counts messages under their status's label in the reader's language,
not under the stored code (issue #16 item 11)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.services import Recipient, message_enqueue

pytestmark = pytest.mark.django_db


def test_outbox_counts_are_labelled_in_each_language(fao_user, client_for, fake_line):
    message_enqueue(
        recipient=Recipient("address", None, "Somchai", "somchai@example.org", "email", "th"),
        template="tests.hello",
        context={"n": "1"},
        idempotency_key="status-language:1",
    )
    english = client_for(fao_user).get(reverse("notifications:status")).content.decode()
    assert "<li>Waiting: 1</li>" in english
    assert "pending" not in english
    thai = client_for(fao_user, "th").get(reverse("notifications:status")).content.decode()
    assert "<li>รอดำเนินการ: 1</li>" in thai
