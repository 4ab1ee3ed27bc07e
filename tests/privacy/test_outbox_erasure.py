"""An erased vendor leaves no name, address or LINE user id in the outbox, and nothing
still waiting goes out to it."""

from __future__ import annotations

import pytest

from notifications.models import LineLink, OutboxMessage
from notifications.services import Recipient, message_enqueue
from privacy.services import person_data_erase
from tests.factories import VendorFactory

pytestmark = pytest.mark.django_db


def test_erasing_a_vendor_scrubs_its_messages_and_its_line_link(fao_user):
    vendor = VendorFactory(owner_name="Wichai Sukjai", email="wichai@shop.example")
    LineLink.objects.create(vendor=vendor, line_user_id="U" + "a" * 32)
    for channel, address in (("line", "U" + "a" * 32), ("email", "wichai@shop.example")):
        message_enqueue(
            recipient=Recipient("vendor", vendor.pk, "Wichai Sukjai", address, channel, "th"),
            template="notifications.line_linked",
            context={"vendor_id": vendor.pk},
            idempotency_key=f"t:{channel}",
        )
    person_data_erase(subject=vendor, reason="Owner asked", acting_user=fao_user)
    rows = list(OutboxMessage.objects.values_list("recipient_name", "address", "status"))
    assert len(rows) == 2
    for name, address, status in rows:
        assert "Wichai" not in name and address == "" and status == "cancelled"
    link = LineLink.objects.get(vendor=vendor)
    assert (link.line_user_id, link.status) == ("", "unlinked")
