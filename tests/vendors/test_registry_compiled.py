"""The registry's list (vendors.selectors.vendor_registry) compiled once per filter and
page (core.compiled, #19) lists what vendor_search lists, on every day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.utils import timezone

from core.compiled import CompiledList
from tests.factories import ProductFactory, VendorFactory
from vendors import selectors
from vendors.models import ProductCategory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_compiled")]


def _at(monkeypatch, day: dt.date) -> None:
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())
    monkeypatch.setattr(timezone, "now", lambda: noon)


def _names(listed) -> list[str]:
    return [v.business_name_en for v in Paginator(listed, 50).get_page(1).object_list]


def test_the_certificate_filter_moves_with_the_day(monkeypatch):
    VendorFactory(business_name_en="Ends 10 Jan", certificate_expires_on=dt.date(2027, 1, 10))
    _at(monkeypatch, dt.date(2027, 1, 9))
    assert _names(selectors.vendor_registry(expiring="expired")) == []
    assert _names(selectors.vendor_registry(expiring="soon")) == ["Ends 10 Jan"]
    _at(monkeypatch, dt.date(2027, 1, 11))
    assert _names(selectors.vendor_registry(expiring="expired")) == ["Ends 10 Jan"]
    assert _names(selectors.vendor_registry(expiring="soon")) == []


def test_filters_list_what_the_search_lists():
    category = ProductCategory.objects.order_by("code").first()
    other = ProductCategory.objects.order_by("code").last()
    for i in range(5):
        vendor = VendorFactory(business_name_en=f"Vendor {i}", is_active=bool(i % 2))
        ProductFactory(vendor=vendor, category=category if i < 3 else other)
        ProductFactory(vendor=vendor, category=category if i < 3 else other)
    district = vendor.district.pk
    cases = [
        {},
        {"category": category.pk},
        {"district": district},
        {"active": True},
        {"expiring": "unknown", "category": other.pk},
    ]
    for filters in cases:
        listed = selectors.vendor_registry(**filters)
        assert isinstance(listed, CompiledList)
        expected = selectors.vendor_search(**filters)
        assert listed.count() == expected.count(), filters
        assert _names(listed) == [v.business_name_en for v in expected], filters
    # A search is built each time: its free text rarely comes again.
    assert not isinstance(selectors.vendor_registry(q="Vendor"), CompiledList)
