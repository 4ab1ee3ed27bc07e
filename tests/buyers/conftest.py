"""A showcase link with one vendor presenting one product, and a buyer's request."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from buyers.models import Lead, ShowcaseLink
from tests.factories import (
    ProductFactory,
    SessionFactory,
    ShortlistEntryFactory,
    SisterCityFactory,
    VendorFactory,
)
from tests.outcomes.conftest import fukuoka, seoul, year  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def showcase(db):
    city = SisterCityFactory(name_en="Seoul", name_th="โซล", country="KR")
    session = SessionFactory()
    session.cities.add(city)
    vendor = VendorFactory(
        business_name_en="Siam Silk", business_name_th="ผ้าไหมสยาม", email="silk@example.org"
    )
    product = ProductFactory(vendor=vendor, name_en="Silk scarf", name_th="ผ้าพันคอไหม")
    entry = ShortlistEntryFactory(session=session, vendor=vendor)
    entry.products.add(product)
    link = ShowcaseLink.objects.create(
        session=session,
        city=city,
        enabled=True,
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    return link, vendor, product


REQUEST = {
    "name": "Kim Minji",
    "company": "Hanbit Trading",
    "country": "Korea",
    "buyer_city": "Seoul",
    "email": "minji@hanbit.example",
    "phone": "+82 10 1234 5678",
    "messenger": "kakaotalk",
    "messenger_handle": "minji.k",
    "interest": "Silk scarves for our shops",
    "quantity": "200 pieces",
    "consent": "on",
    "website": "",
}


def make_lead(link, vendor, **kwargs) -> Lead:
    now = timezone.now()
    defaults = {
        "link": link,
        "session": link.session,
        "city": link.city,
        "vendor": vendor,
        "name": "Kim Minji",
        "company": "Hanbit Trading",
        "country": "Korea",
        "buyer_city": "Seoul",
        "email": "minji@hanbit.example",
        "interest": "Silk",
        "language": "ko",
        "consented_at": now,
        "received_on": timezone.localdate(),
        "idempotency_key": f"test-{Lead.objects.count()}-{now.timestamp()}",
    }
    return Lead.objects.create(**{**defaults, **kwargs})
