from __future__ import annotations

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import LineLink
from notifications.rendering import MessageTemplate, Rendered, register_template
from tests.factories import VendorFactory


def _hello(message) -> Rendered:
    text = _("Hello %(n)s") % {"n": message.context.get("n", "")}
    return Rendered(subject=text, text=text, line_text=text)


register_template(MessageTemplate("tests.hello", _hello, probe="This field is required."))


@pytest.fixture
def linked_vendor(db, fake_line):
    """A vendor whose LINE account is linked and follows the portal's account."""
    vendor = VendorFactory(email="shop@example.com")
    user_id = fake_line.new_user()
    LineLink.objects.create(vendor=vendor, line_user_id=user_id, linked_at=timezone.now())
    vendor.refresh_from_db()
    return vendor


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The webhook's and codes' counters live in the cache; each test starts at zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
