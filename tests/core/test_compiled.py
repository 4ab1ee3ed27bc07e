"""core.compiled: a read compiled once gives what the ORM gives, read afresh each time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, QuerySet, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core import compiled
from core.compiled import CompiledList, compiled_instances, compiled_rows, compiled_sql
from tests.factories import ProductFactory, VendorFactory
from vendors.models import District, Product, ProductCategory, Vendor

pytestmark = pytest.mark.django_db

BUILT: list[tuple[object, ...]] = []


def _prices_by_vendor(vendor_ids: tuple[int, ...]) -> QuerySet[Product]:
    BUILT.append(("prices", vendor_ids))
    return (
        Product.objects.filter(vendor_id__in=vendor_ids)
        .order_by()
        .values("vendor_id")
        .annotate(total=Sum("price_thb"), n=Count("pk"))
        .order_by("vendor_id")
        .values_list("vendor_id", "total", "n")
    )


def _vendors_named(prefix: str) -> QuerySet[Vendor]:
    BUILT.append(("vendors", prefix))
    return (
        Vendor.objects.filter(business_name_en__startswith=prefix)
        .select_related("district")
        .only("business_name_en", "certificate_expires_on", "district__name_en")
        .annotate(products_n=Count("products"))
        .order_by("business_name_en")
    )


def _names_in_language() -> QuerySet[ProductCategory]:
    field = "name_th" if translation.get_language() == "th" else "name_en"
    return ProductCategory.objects.order_by(field).values_list(field)


def _with_category(category_id: int | None) -> QuerySet[Vendor]:
    vendors = Vendor.objects.order_by("business_name_en", "pk")
    if category_id:
        # A vendor with two products of the category comes twice without distinct().
        vendors = vendors.filter(products__category_id=category_id).distinct()
    return vendors


@pytest.fixture(autouse=True)
def _fresh(fresh_compiled):
    BUILT.clear()


@pytest.fixture
def shops():
    district = District.objects.order_by("code").first()
    a = VendorFactory(
        business_name_en="Shop A", district=district, certificate_expires_on=dt.date(2027, 3, 31)
    )
    b = VendorFactory(business_name_en="Shop B", district=district, certificate_expires_on=None)
    ProductFactory(vendor=a, price_thb=Decimal("120.50"))
    ProductFactory(vendor=a, price_thb=Decimal("0.25"))
    ProductFactory(vendor=b, price_thb=Decimal("99.99"))
    return a, b


def test_rows_are_the_orms_own_values_decimals_included(shops):
    a, b = shops
    expected = list(_prices_by_vendor((a.pk, b.pk)))
    rows = compiled_rows(_prices_by_vendor, (a.pk, b.pk))
    assert rows == expected == [(a.pk, Decimal("120.75"), 2), (b.pk, Decimal("99.99"), 1)]
    # SQLite hands back a float for a sum: the ORM's converter made it a Decimal again.
    assert all(type(total) is Decimal for _pk, total, _n in rows)


def test_instances_are_the_orms_objects_with_joins_and_annotations(shops):
    expected = list(_vendors_named("Shop"))
    with CaptureQueriesContext(connection) as first:
        vendors = compiled_instances(_vendors_named, "Shop")
    assert len(first) == 1
    assert [v.pk for v in vendors] == [v.pk for v in expected]
    with CaptureQueriesContext(connection) as reading:
        seen = [
            (v.business_name_en, v.certificate_expires_on, v.district.name_en, v.products_n)
            for v in vendors
        ]
    assert len(reading) == 0  # the district came with the row, as select_related gives it
    assert seen == [
        (v.business_name_en, v.certificate_expires_on, v.district.name_en, v.products_n)
        for v in expected
    ]
    assert seen[0][1] == dt.date(2027, 3, 31) and seen[0][3] == 2
    assert vendors[0].get_deferred_fields() == expected[0].get_deferred_fields()
    assert vendors[0].get_deferred_fields()  # only() still defers the rest


def test_a_read_is_built_once_and_its_rows_read_afresh(shops):
    a, _b = shops
    first = compiled_instances(_vendors_named, "Shop")
    VendorFactory(business_name_en="Shop C", district=a.district)
    again = compiled_instances(_vendors_named, "Shop")
    assert BUILT == [("vendors", "Shop")]
    assert [v.business_name_en for v in first] == ["Shop A", "Shop B"]
    assert [v.business_name_en for v in again] == ["Shop A", "Shop B", "Shop C"]


def test_other_arguments_are_another_read(shops):
    assert [v.business_name_en for v in compiled_instances(_vendors_named, "Shop A")] == ["Shop A"]
    assert [v.business_name_en for v in compiled_instances(_vendors_named, "Shop B")] == ["Shop B"]
    assert BUILT == [("vendors", "Shop A"), ("vendors", "Shop B")]


def test_the_language_is_part_of_what_is_compiled():
    with translation.override("th"):
        thai = compiled_rows(_names_in_language)
    with translation.override("en"):
        english = compiled_rows(_names_in_language)
    assert thai == list(ProductCategory.objects.order_by("name_th").values_list("name_th"))
    assert english == list(ProductCategory.objects.order_by("name_en").values_list("name_en"))
    assert thai != english


def test_a_read_the_orm_knows_is_empty_asks_nothing():
    with CaptureQueriesContext(connection) as captured:
        assert compiled_rows(_prices_by_vendor, ()) == []
        assert compiled_instances(_vendors_named, "Nobody") == []
    assert len(captured) == 1  # the second asked the database; the first did not
    assert compiled_sql(_prices_by_vendor, ()) == ("", ())


def test_the_store_is_bounded(shops, monkeypatch):
    monkeypatch.setattr(compiled, "_COMPILED_MAX", 3)
    for prefix in ("S", "Sh", "Sho", "Shop"):
        compiled_instances(_vendors_named, prefix)
    assert len(compiled._COMPILED) == 1  # full at three: emptied, then the fourth kept


@pytest.mark.parametrize("with_category", [False, True])
def test_a_compiled_list_pages_as_the_queryset_does(with_category):
    district = District.objects.order_by("code").first()
    category = ProductCategory.objects.order_by("code").first()
    for i in range(7):
        vendor = VendorFactory(business_name_en=f"Paged {i}", district=district)
        if i % 2:
            ProductFactory(vendor=vendor, category=category)
            ProductFactory(vendor=vendor, category=category)
    category_id = category.pk if with_category else None
    listed = CompiledList(_with_category, category_id)
    queryset = _with_category(category_id)
    assert listed.count() == queryset.count() == (3 if with_category else Vendor.objects.count())
    for number in ("1", "2", "99", "x"):
        page = Paginator(listed, 2).get_page(number)
        expected = Paginator(queryset, 2).get_page(number)
        assert page.number == expected.number
        assert [v.pk for v in page.object_list] == [v.pk for v in expected.object_list]
    assert listed[0].pk == queryset[0].pk
    with pytest.raises(ValueError, match="contiguous"):
        listed[0:4:2]


def test_values_bound_into_the_sql_are_quoted_as_the_driver_quotes_them():
    """On PostgreSQL the parameters are bound in once (core.compiled._bound_sql): a name
    with a quote, a percent sign and a backslash finds itself and nothing else."""
    district = District.objects.order_by("code").first()
    tricky = "50% O'Hara \\ shop"
    VendorFactory(business_name_en=tricky, district=district)
    VendorFactory(business_name_en="50x O'Hara \\ shop", district=district)
    VendorFactory(business_name_en="50% O", district=district)
    assert [v.business_name_en for v in compiled_instances(_vendors_named, tricky)] == [tricky]
    assert [v.business_name_en for v in compiled_instances(_vendors_named, "50% O")] == [
        "50% O",
        tricky,
    ]
    sql, params = compiled_sql(_vendors_named, tricky)
    if connection.vendor == "postgresql":
        assert params is None and "O''Hara" in sql
    else:
        assert params  # SQLite takes them apart, as the ORM passes them
