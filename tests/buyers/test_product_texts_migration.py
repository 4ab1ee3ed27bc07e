"""The product texts of buyers.ProductText reach django-parler's table
(vendors.ProductTranslation) when the migration runs, and come back when it is reversed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("buyers", "0004_follow_up_meetings"), ("vendors", "0008_vendor_list_order_index")]
AFTER = [("buyers", "0005_product_texts_to_parler")]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.long
def test_the_texts_move_to_parler_and_back():
    try:
        old = _migrate(BEFORE)
        District = old.get_model("vendors", "District")
        Vendor = old.get_model("vendors", "Vendor")
        Category = old.get_model("vendors", "ProductCategory")
        Product = old.get_model("vendors", "Product")
        ProductText = old.get_model("buyers", "ProductText")
        vendor = Vendor.objects.create(
            business_name_th="ร้านมะม่วง",
            owner_name="สมศรี",
            certificate_number="BKK-MIG-1",
            district=District.objects.first(),
        )
        product = Product.objects.create(
            vendor=vendor, category=Category.objects.first(), name_th="มะม่วงอบแห้ง"
        )
        ProductText.objects.create(
            product=product, language="ko", name="말린 망고", description="달콤한 망고."
        )
        ProductText.objects.create(product=product, language="ja", name="ドライマンゴー")

        new = _migrate(AFTER)
        rows = new.get_model("vendors", "ProductTranslation").objects.order_by("language_code")
        assert [
            (r.master_id, r.language_code, r.buyer_name, r.buyer_description) for r in rows
        ] == [
            (product.pk, "ja", "ドライマンゴー", ""),
            (product.pk, "ko", "말린 망고", "달콤한 망고."),
        ]

        back = _migrate(BEFORE)
        texts = back.get_model("buyers", "ProductText").objects.order_by("language")
        assert [(t.language, t.name) for t in texts] == [
            ("ja", "ドライマンゴー"),
            ("ko", "말린 망고"),
        ]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
