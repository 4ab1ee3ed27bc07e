"""Issue #16 item 5: SDO keeps vendors and products in the portal (the admin stays for
FAO's exceptional corrections): create and edit, photos checked as every photo is, the
history of who changed what and when, clear refusals in Thai and English."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from vendors.models import District, Product, ProductCategory, ProductPhoto, Vendor

from ..factories import ProductFactory, VendorFactory

pytestmark = pytest.mark.django_db

EXPIRY_ORDER = {
    "en": "The certificate must expire after the date it was issued.",
    "th": "วันหมดอายุของใบรับรองต้องอยู่หลังวันที่ออกใบรับรอง",
}
GIF_REFUSED = {
    "en": "The photo must be a JPEG, PNG or WebP image; this file is an image in GIF format.",
    "th": "รูปภาพต้องเป็นไฟล์ภาพ JPEG, PNG หรือ WebP แต่ไฟล์นี้เป็นภาพรูปแบบ GIF",
}


def image(fmt: str, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 30)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def once(client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="form_once" value="([^"]+)"', html).group(1)


def vendor_data(**changes) -> dict:
    district = District.objects.order_by("code").first()
    return {
        "business_name_th": "ร้านขนมบ้านสวน",
        "business_name_en": "Baan Suan Sweets",
        "owner_name": "สมศรี ใจดี",
        "district": district.pk,
        "certificate_number": "BB-2569-0001",
        "certified_on": "01/02/2569",
        "certificate_expires_on": "31/01/2572",
        "is_active": "on",
        **changes,
    }


def errors_of(response) -> list[str]:
    return [m for errors in response.context["form"].errors.values() for m in errors]


def test_sdo_adds_a_vendor_with_be_dates_and_a_repeat_changes_nothing(sdo_user, client_for):
    client = client_for(sdo_user, "th")
    url = reverse("vendors:create")
    data = {**vendor_data(), "form_once": once(client, url)}
    first = client.post(url, data)
    vendor = Vendor.objects.get()
    assert first.headers["Location"] == reverse("vendors:detail", args=[vendor.pk])
    assert client.post(url, data).status_code == 302
    assert Vendor.objects.count() == 1
    assert vendor.certified_on == dt.date(2026, 2, 1)
    assert vendor.history.get().history_user == sdo_user


@pytest.mark.parametrize("language", ["en", "th"])
def test_the_certificate_must_expire_after_it_was_issued(language, sdo_user, client_for):
    response = client_for(sdo_user, language).post(
        reverse("vendors:create"), vendor_data(certificate_expires_on="01/01/2569")
    )
    assert response.status_code == 200
    assert errors_of(response) == [EXPIRY_ORDER[language]]
    assert not Vendor.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Another vendor already has the certificate number “bb-t-dup”."),
        ("th", "มีผู้ประกอบการรายอื่นใช้เลขที่ใบรับรอง “bb-t-dup” แล้ว"),
    ],
)
def test_a_certificate_number_belongs_to_one_vendor(language, message, sdo_user, client_for):
    VendorFactory(certificate_number="BB-T-DUP")
    response = client_for(sdo_user, language).post(
        reverse("vendors:create"), vendor_data(certificate_number="bb-t-dup")
    )
    assert errors_of(response) == [message]


def test_an_edit_is_kept_in_the_history_in_the_readers_language(sdo_user, client_for, settings):
    vendor = VendorFactory(phone="", certified_on=dt.date(2024, 1, 1))
    client = client_for(sdo_user)
    url = reverse("vendors:edit", args=[vendor.pk])
    initial = client.get(url).context["form"].initial
    data = {
        **{k: v for k, v in initial.items() if v not in (None, "") and k != "languages"},
        "district": vendor.district_id,
        "certified_on": "15/03/2567",
        "certificate_expires_on": "31/12/2570",
        "phone": "02 123 4567",
        "is_active": "on",
    }
    assert client.post(url, data).status_code == 302
    # Saving again unchanged writes no history row.
    assert client.post(url, data).status_code == 302
    assert vendor.history.count() == 2

    history = reverse("vendors:history", args=[vendor.pk])
    english = client.get(history).content.decode()
    assert "<strong>Phone</strong>: – → 02 123 4567" in english
    assert "<strong>Certified on</strong>: 01/01/2024 → 15/03/2024" in english
    assert (sdo_user.get_full_name() or sdo_user.username) in english
    changed_at = vendor.history.first().history_date.astimezone(ZoneInfo("Asia/Bangkok"))
    assert changed_at.strftime("%H:%M") in english
    thai = client_for(sdo_user, "th").get(history).content.decode()
    assert "<strong>โทรศัพท์</strong>: – → 02 123 4567" in thai
    assert "15 มี.ค. 2567" in thai


def test_sdo_adds_a_product_with_a_photo_and_a_gif_is_refused(
    sdo_user, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    vendor = VendorFactory()
    client = client_for(sdo_user)
    url = reverse("vendors:product-create", args=[vendor.pk])
    data = {
        "category": ProductCategory.objects.get(code=1).pk,
        "name_th": "ทองม้วน",
        "name_en": "Crispy rolls",
        "price_thb": "120",
        "unit": "box",
        "photo_caption": "กล่องละ 20 ชิ้น",
    }
    refused = client.post(url, {**data, "photo": image("GIF", "IMG_1.jpg")})
    assert errors_of(refused) == [GIF_REFUSED["en"]]
    assert not Product.objects.exists()
    thai = client_for(sdo_user, "th").post(url, {**data, "photo": image("GIF", "IMG_1.jpg")})
    assert errors_of(thai) == [GIF_REFUSED["th"]]

    saved = client.post(url, {**data, "photo": image("JPEG", "IMG_2.JPG")})
    product = Product.objects.get()
    assert saved.headers["Location"] == reverse("vendors:product-edit", args=[product.pk])
    photo = product.photos.get()
    assert photo.caption == "กล่องละ 20 ชิ้น" and photo.image.name.endswith(".jpg")
    page = client.get(saved.headers["Location"]).content.decode()
    assert reverse("vendors:photo", args=[photo.pk]) in page

    # Removing the photo is kept in the history too.
    edit = reverse("vendors:product-edit", args=[product.pk])
    client.post(edit, {**data, "photo_caption": "", "remove_photos": [photo.pk]})
    assert not ProductPhoto.objects.exists()
    assert "Product photo “กล่องละ 20 ชิ้น” deleted" in client.get(edit).content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "This vendor already has a product named “ทองม้วน”."),
        ("th", "ผู้ประกอบการรายนี้มีสินค้าชื่อ “ทองม้วน” แล้ว"),
    ],
)
def test_a_vendor_has_one_product_of_a_name(language, message, sdo_user, client_for):
    product = ProductFactory(name_th="ทองม้วน")
    response = client_for(sdo_user, language).post(
        reverse("vendors:product-create", args=[product.vendor_id]),
        {"category": product.category_id, "name_th": "ทองม้วน"},
    )
    assert errors_of(response) == [message]


def test_other_offices_read_the_history_but_do_not_edit(executive_user, seo_user, client_for):
    product = ProductFactory()
    for user in (executive_user, seo_user):
        client = client_for(user)
        assert client.get(reverse("vendors:history", args=[product.vendor_id])).status_code == 200
        assert client.get(reverse("vendors:edit", args=[product.vendor_id])).status_code == 403
        assert client.get(reverse("vendors:product-edit", args=[product.pk])).status_code == 403
        detail = client.get(reverse("vendors:detail", args=[product.vendor_id])).content.decode()
        assert 'id="vendor-edit"' not in detail and "product-edit" not in detail


def test_the_history_page_reads_a_fixed_number_of_queries(sdo_user, client_for):
    from vendors.services import product_save, vendor_save

    vendor = VendorFactory()
    client = client_for(sdo_user)
    url = reverse("vendors:history", args=[vendor.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    product = ProductFactory(vendor=vendor)
    one = count()
    for n in range(5):
        vendor_save(vendor=vendor, fields={"phone": f"0{n}"}, languages=[], acting_user=sdo_user)
        product_save(
            vendor=vendor,
            product=product,
            fields={"unit": f"box {n}"},
            acting_user=sdo_user,
        )
        ProductFactory(vendor=vendor)
    assert count() == one
