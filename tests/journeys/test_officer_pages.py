"""Issue #16 items 5 and 7 seen in the browser, in Thai and in English: FAO records an
inquiry letter and its reply (the session is confirmed by it), picks a session's vendors
and the products they present; SDO edits a vendor and a product with a photo and reads
the history. Screenshots under test-artifacts/journeys/officer-*."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from PIL import Image

from core.roles import Role
from meetings.models import Session
from vendors.models import ProductCategory

from ..factories import (
    AgreementFactory,
    ProductFactory,
    ProgrammeYearFactory,
    SessionFactory,
    SisterCityFactory,
    VendorFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

YEAR = 2570
TEXT = {
    "th": {
        "sent": "ส่งหนังสือแล้ว รอคำตอบ",
        "accepted": "เมืองตอบรับแล้ว",
        "confirmed": "เมืองยืนยันแล้ว",
        "kanom": "ขนมชั้น",
        "scarf": "ผ้าพันคอไหม",
        "expiry": "วันหมดอายุของใบรับรองต้องอยู่หลังวันที่ออกใบรับรอง",
        "saved": "บันทึกข้อมูลสินค้าแล้ว",
        "phone": "โทรศัพท์",
    },
    "en": {
        "sent": "Letter sent, awaiting a reply",
        "accepted": "The city accepted",
        "confirmed": "City confirmed",
        "kanom": "Layered cake",
        "scarf": "Silk scarf",
        "expiry": "The certificate must expire after the date it was issued.",
        "saved": "The product is saved.",
        "phone": "Phone",
    },
}


def typed_date(day, language: str) -> str:
    year = day.year + 543 if language == "th" else day.year
    return f"{day.day:02d}/{day.month:02d}/{year}"


@pytest.fixture
def session(db) -> Session:
    seoul = SisterCityFactory(name_en="Seoul", name_th="โซล", country="KR", time_zone="Asia/Seoul")
    AgreementFactory(city=seoul, field_codes=["trade"])
    seoul.interested_categories.set([ProductCategory.objects.get(code=1)])
    session = SessionFactory(year=ProgrammeYearFactory(fiscal_year=YEAR), number=1)
    session.cities.set([seoul])
    return session


@pytest.fixture
def vendor(db):
    vendor = VendorFactory(
        business_name_th="ขนมไทยบ้านสวน", business_name_en="Baan Suan Desserts", phone=""
    )
    ProductFactory(
        vendor=vendor,
        category=ProductCategory.objects.get(code=1),
        name_th="ขนมชั้น",
        name_en="Layered cake",
    )
    ProductFactory(
        vendor=vendor,
        category=ProductCategory.objects.get(code=3),
        name_th="ผ้าพันคอไหม",
        name_en="Silk scarf",
    )
    return vendor


def test_fao_records_a_letter_its_reply_and_the_products_presented(
    walk, language, make_user, password, session, vendor
):
    text = TEXT[language]
    fao = make_user(Role.FAO, username="fao.letters")
    w = walk("officer-fao")
    w.log_in(fao.username, password)
    page = w.page
    today = timezone.localdate()

    w.page.goto(w.url(f"/cities/letters/{YEAR}/"))
    w.click("#letter-new")
    page.fill("#id_sent_on", typed_date(today, language))
    page.fill("#id_reference", "กท 1402/123")
    page.fill("#id_signed_by", "ผู้อำนวยการสำนักงานการต่างประเทศ")
    w.shot("letter-form")
    w.click("#letter-form button[type=submit]")
    assert w.text("#letters .letter-state").startswith(text["sent"])
    w.shot("letter-sent")

    w.click("#letters .reply-link")
    page.check("#id_reply_0")
    page.fill("#id_replied_on", typed_date(today, language))
    page.fill("#id_note", "Seoul is glad to join.")
    w.shot("reply-form")
    w.click("#letter-form button[type=submit]")
    assert w.text("#letters .letter-state").startswith(text["accepted"])
    w.shot("letter-replied")
    assert Session.objects.get(pk=session.pk).status == Session.Status.CITY_CONFIRMED

    w.page.goto(w.url(f"/cities/candidates/{YEAR}/"))
    assert w.text("#candidates .letter-state strong") == text["accepted"]
    w.shot("candidates")

    w.page.goto(w.url(f"/meetings/sessions/{session.pk}/"))
    w.click("#vendors-link")
    page.check(f"input[name=vendors][value='{vendor.pk}']")
    w.click("#session-form button[type=submit]")
    # The next page asks which products; the one in Seoul's category is ticked.
    form = page.locator("#session-form")
    assert form.get_by_label(text["kanom"], exact=False).is_checked()
    assert not form.get_by_label(text["scarf"], exact=False).is_checked()
    w.shot("products-step")
    w.click("#session-form button[type=submit]")
    assert w.text("#session-vendors .presented") == text["kanom"]
    w.shot("session-products")


def test_sdo_edits_a_vendor_and_a_product_with_a_photo(
    walk, language, make_user, password, vendor, media_root
):
    text = TEXT[language]
    sdo = make_user(Role.SDO, username="sdo.registry")
    w = walk("officer-sdo")
    w.log_in(sdo.username, password)
    page = w.page

    w.page.goto(w.url(f"/vendors/{vendor.pk}/"))
    w.click("#vendor-edit")
    page.fill("#id_phone", "02 123 4567")
    page.fill("#id_certified_on", typed_date(timezone.localdate(), language))
    page.fill("#id_certificate_expires_on", "01/01/2000")
    w.click("#vendor-form button[type=submit]")
    assert text["expiry"] in w.text("#vendor-form")
    w.shot("vendor-refused")
    page.fill("#id_certificate_expires_on", "31/12/2580" if language == "th" else "31/12/2037")
    w.click("#vendor-form button[type=submit]")

    w.click(".product-edit >> nth=0")
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 60, 30)).save(buffer, "JPEG")
    page.set_input_files(
        "#id_photo", {"name": "IMG_0001.JPG", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}
    )
    page.fill("#id_photo_caption", "กล่องละ 20 ชิ้น")
    w.click("#product-form button[type=submit]")
    assert text["saved"] in w.text("body")
    preview = page.locator("#photos img")
    preview.wait_for()
    assert preview.evaluate("img => img.complete && img.naturalWidth") == 640
    w.shot("product-with-photo")

    w.page.goto(w.url(f"/vendors/{vendor.pk}/history/"))
    assert text["phone"] in w.text("#history")
    w.shot("vendor-history")
