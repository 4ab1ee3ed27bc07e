"""Bulk writes (core.spreadsheets.bulk): what goes in is what comes out, on both
databases, and what the database refuses inside a COPY is Django's error, as anywhere."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone

from core.spreadsheets import bulk
from tests.factories import VendorFactory
from vendors.models import Product, ProductCategory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")


def new_product(vendor, **values):
    category = ProductCategory.objects.get(code=1)
    return bulk.instance(
        Product,
        {
            "vendor_id": vendor.pk,
            "category_id": category.pk,
            "name_th": "ขนมทองม้วน",
            "name_en": "Coconut rolls",
            **values,
        },
    )


def test_created_records_read_back_exactly_with_a_history_row_each():
    vendor = VendorFactory()
    now = timezone.now()
    objs = [
        new_product(
            vendor,
            name_th=f"ข้าวแต๋น {i} ‘พิเศษ’\\t\u0e40",  # a backslash, quotes, Thai vowels
            description_en="line one\nline two",
            price_thb=Decimal("1250.50") if i else None,
            min_order_quantity=2_147_483_647 if i else 1,
            is_export_ready=bool(i),
        )
        for i in range(3)
    ]
    bulk.create(Product, objs, acting_user=None, now=now)
    stored = {p.pk: p for p in Product.objects.filter(vendor=vendor)}
    assert sorted(stored) == sorted(o.pk for o in objs)
    for obj in objs:
        got = stored[obj.pk]
        for field in Product._meta.concrete_fields:
            assert getattr(got, field.attname) == getattr(obj, field.attname), field.attname
    assert sorted(Product.history.filter(history_type="+").values_list("id", flat=True)) == sorted(
        stored
    )


@postgres_only
@pytest.mark.parametrize("quantity", [2**31, -(2**31) - 1, 2**40])
def test_an_int_out_of_range_inside_copy_is_django_s_data_error(quantity):
    vendor = VendorFactory()
    with pytest.raises(DataError, match="out of range for type integer"), transaction.atomic():
        bulk.create(
            Product,
            [new_product(vendor, min_order_quantity=quantity)],
            acting_user=None,
            now=timezone.now(),
        )
    assert not Product.objects.exists()


@postgres_only
def test_a_refusal_inside_copy_is_django_s_error():
    vendor = VendorFactory()
    refused = pytest.raises(IntegrityError, match="product_unique_name_per_vendor")
    with refused, transaction.atomic():
        bulk.create(
            Product,
            [new_product(vendor), new_product(vendor, name_th="ขนมทองม้วน".upper())],
            acting_user=None,
            now=timezone.now(),
        )
