"""A product's name and description in the buyers' languages (issue #17): django-parler's
rows, written on SDO's product page and in the admin, read by the showcase."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vendors.models import Product, ProductTranslation

from ..factories import ProductFactory

pytestmark = pytest.mark.django_db


def _page_data(product: Product, **texts: str) -> dict[str, str]:
    return {
        "category": str(product.category_id),
        "name_th": product.name_th,
        "name_en": product.name_en,
        **texts,
    }


def _errors(response) -> list[str]:
    return [m for errors in response.context["form"].errors.values() for m in errors]


def test_sdo_writes_changes_and_removes_the_korean_text(sdo_user, client_for):
    product = ProductFactory(name_th="มะม่วงอบแห้ง", name_en="Dried mango")
    client = client_for(sdo_user)
    edit = reverse("vendors:product-edit", args=[product.pk])
    page = client.get(edit).content.decode()
    assert "Name (한국어)" in page and "Description (日本語)" in page

    data = _page_data(
        product,
        buyer_name_ko="말린 망고",
        buyer_description_ko="달콤해요.",
        buyer_name_ja="ドライマンゴー",
    )
    assert client.post(edit, data).status_code == 302
    product.refresh_from_db()
    # Read back through parler's own API.
    assert product.safe_translation_getter("buyer_name", language_code="ko") == "말린 망고"
    assert product.safe_translation_getter("buyer_description", language_code="ko") == "달콤해요."
    assert product.safe_translation_getter("buyer_name", language_code="ja") == "ドライマンゴー"
    assert not product.has_translation("zh-hans")
    korean = ProductTranslation.objects.get(master=product, language_code="ko")
    assert korean.history.get().history_user == sdo_user

    # The same page sent again writes nothing.
    assert client.post(edit, data).status_code == 302
    assert korean.history.count() == 1

    # The form shows what is stored; an empty name removes the language.
    assert 'value="말린 망고"' in client.get(edit).content.decode()
    client.post(edit, {**data, "buyer_name_ko": "", "buyer_description_ko": ""})
    assert list(
        ProductTranslation.objects.filter(master=product).values_list("language_code", flat=True)
    ) == ["ja"]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Give the name (简体中文) too, or leave the description empty."),
        ("th", "กรุณากรอกชื่อ (简体中文) ด้วย หรือเว้นรายละเอียดให้ว่าง"),
    ],
)
def test_a_description_without_its_name_is_refused(language, message, sdo_user, client_for):
    product = ProductFactory()
    response = client_for(sdo_user, language).post(
        reverse("vendors:product-edit", args=[product.pk]),
        _page_data(product, **{"buyer_description_zh-hans": "甜"}),
    )
    assert response.status_code == 200
    assert _errors(response) == [message]
    assert message in response.content.decode()
    assert not ProductTranslation.objects.exists()


def test_the_form_field_names_follow_the_language_codes(sdo_user, client_for):
    """zh-hans becomes buyer_name_zh-hans in the form: a dash is fine in a field name."""
    product = ProductFactory()
    client = client_for(sdo_user)
    edit = reverse("vendors:product-edit", args=[product.pk])
    client.post(edit, _page_data(product, **{"buyer_name_zh-hans": "芒果干"}))
    assert ProductTranslation.objects.get(master=product).buyer_name == "芒果干"


def test_fao_adds_a_japanese_text_in_the_admin(fao_user, client_for):
    product = ProductFactory()
    client = client_for(fao_user)
    url = reverse("admin:vendors_product_change", args=[product.pk])
    assert "Product texts in buyers" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "vendor": product.vendor_id,
            "category": product.category_id,
            "name_th": product.name_th,
            "name_en": product.name_en,
            "translations-TOTAL_FORMS": "1",
            "translations-INITIAL_FORMS": "0",
            "translations-0-language_code": "ja",
            "translations-0-buyer_name": "ドライマンゴー",
            "translations-0-buyer_description": "",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    row = ProductTranslation.objects.get(master=product)
    assert (row.language_code, row.buyer_name) == ("ja", "ドライマンゴー")


def test_seo_reads_the_texts_and_cannot_change_them(seo_user, client_for):
    product = ProductFactory()
    product.create_translation("ko", buyer_name="말린 망고")
    client = client_for(seo_user)
    assert client.get(reverse("admin:vendors_producttranslation_changelist")).status_code == 200
    row = ProductTranslation.objects.get()
    change = reverse("admin:vendors_producttranslation_change", args=[row.pk])
    client.post(change, {"master": product.pk, "language_code": "ko", "buyer_name": "x"})
    assert ProductTranslation.objects.get().buyer_name == "말린 망고"
    assert client.get(reverse("vendors:product-edit", args=[product.pk])).status_code == 403
