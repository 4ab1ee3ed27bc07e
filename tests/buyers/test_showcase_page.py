"""The public showcase: a token, no account; the city's language by default, five in all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buyers.models import ShowcaseVisit
from buyers.selectors import showcase_content
from buyers.services import showcase_link_revoke

pytestmark = pytest.mark.django_db


def _page(link, lang):
    return reverse("showcase:page", args=[link.token, lang])


def test_the_bare_link_opens_in_the_citys_language(showroom):
    response = Client().get(reverse("showcase:start", args=[showroom.link.token]))
    assert response.status_code == 302
    assert response["Location"] == _page(showroom.link, "ko")


def test_the_korean_page_shows_vendors_products_prices_and_the_korean_texts(showroom):
    response = Client().get(_page(showroom.link, "ko"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ko">' in html
    assert "Seoul의 방콕 브랜드 상품" in html
    assert "말린 망고" in html
    assert "달콤하고 쫄깃해요." in html
    # The second product has no Korean text: English, and the page says so.
    assert "Dried mango 0.1" in html
    assert "일부 상품 설명은 아직 한국어로 제공되지 않아 영어로 표시됩니다." in html
    assert "120.00 THB / pack" in html
    assert "≈ 4,800.00 KRW" in html
    assert "KRW 가격은 참고용이며, 2026-12-01 환율 기준입니다." in html
    assert "방콕 브랜드 인증서 BB-T-" in html
    assert "최소 주문" in html and "180일" in html
    assert 'loading="lazy"' in html and "srcset=" in html
    assert "<script" not in html
    assert response["Cache-Control"] == "private, no-store"
    assert not response.cookies


def test_the_thai_and_english_pages(showroom):
    thai = Client().get(_page(showroom.link, "th")).content.decode()
    assert "สินค้าบางกอกแบรนด์สำหรับ โซล" in thai
    assert "มะม่วงอบแห้ง 0.0" in thai
    assert "ราคาเป็น KRW เป็นราคาโดยประมาณ ตามอัตราแลกเปลี่ยนวันที่ 2569-12-01" in thai  # Buddhist Era
    english = Client().get(_page(showroom.link, "en")).content.decode()
    assert "Bangkok Brand products for Seoul" in english
    assert "Prices in KRW are indicative, at the rate of 2026-12-01." in english
    assert "not yet available in this language" not in english


def test_japanese_and_chinese_pages_render(showroom):
    assert "ソウル" not in Client().get(_page(showroom.link, "ja")).content.decode()
    japanese = Client().get(_page(showroom.link, "ja")).content.decode()
    assert "Seoul向けバンコクブランド製品" in japanese
    chinese = Client().get(_page(showroom.link, "zh-hans")).content.decode()
    assert "面向Seoul的曼谷品牌产品" in chinese


def test_the_staff_portal_stays_thai_and_english(showroom, client_for, fao_user, settings):
    """Korean is the showcase's, not the staff's: a Korean browser gets the staff pages in
    the portal's default language."""
    assert [code for code, _name in settings.LANGUAGES] == ["th", "en"]
    Client().get(_page(showroom.link, "ko"))
    html = client_for(fao_user, language="ko").get(reverse("home")).content.decode()
    assert 'lang="ko"' not in html


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "This showcase link is no longer open."),
        ("th", "ลิงก์หน้าแสดงสินค้านี้ปิดแล้ว"),
        ("ko", "이 쇼케이스 링크는 더 이상 열려 있지 않습니다."),
    ],
)
def test_a_revoked_link_is_gone_in_the_visitors_language(showroom, lang, message):
    showcase_link_revoke(link=showroom.link, acting_user=None)
    response = Client().get(_page(showroom.link, lang))
    assert response.status_code == 410
    assert message in response.content.decode()


def test_an_expired_link_is_gone(showroom):
    showroom.link.expires_on = timezone.localdate() - dt.timedelta(days=1)
    showroom.link.save()
    assert Client().get(_page(showroom.link, "en")).status_code == 410


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "This showcase link is not valid. Check the address in your invitation."),
        ("th", "ลิงก์หน้าแสดงสินค้านี้ไม่ถูกต้อง"),
        ("ko", "이 쇼케이스 링크는 유효하지 않습니다."),
    ],
)
def test_an_unknown_token_is_not_found_in_the_visitors_language(db, lang, message):
    response = Client().get(reverse("showcase:page", args=["x" * 43, lang]))
    assert response.status_code == 404
    assert message in response.content.decode()


def test_the_visitors_browser_language_names_the_refusal_without_a_language_in_the_url(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9").get(
        reverse("showcase:start", args=["y" * 43])
    )
    assert response.status_code == 404
    assert "이 쇼케이스 링크는 유효하지 않습니다." in response.content.decode()


def test_a_language_the_showcase_does_not_have_sends_to_the_citys(showroom):
    response = Client().get(_page(showroom.link, "fr"))
    assert response.status_code == 302
    assert response["Location"] == _page(showroom.link, "ko")


def test_visits_are_counted_per_link_and_day_without_cookies(showroom):
    client = Client()
    for _ in range(3):
        response = client.get(_page(showroom.link, "ko"))
        assert not response.cookies
    visit = ShowcaseVisit.objects.get(link=showroom.link)
    assert (visit.day, visit.count) == (timezone.localdate(), 3)


def test_too_many_requests_with_one_token_are_refused(showroom, settings):
    settings.SHOWCASE_REQUESTS_PER_MINUTE = 2
    client = Client()
    assert client.get(_page(showroom.link, "en")).status_code == 200
    assert client.get(_page(showroom.link, "en")).status_code == 200
    response = client.get(_page(showroom.link, "en"))
    assert response.status_code == 429
    assert "Too many requests with this link. Wait a minute and try again." in (
        response.content.decode()
    )


def test_the_content_is_read_in_a_fixed_number_of_queries(showroom, django_assert_num_queries):
    from tests.buyers.conftest import build_showroom

    big = build_showroom(vendors=5, products=10, photos=False, city_name="Busan")
    with django_assert_num_queries(5):
        content = showcase_content(big.link, "ko")
    assert sum(len(v.products) for v in content.vendors) == 50


def test_a_photo_is_served_through_the_token_in_the_widths_offered(showroom):
    photo = showroom.photos[0]
    url = reverse("showcase:photo", args=[showroom.link.token, photo.pk, 320])
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    import io

    from PIL import Image

    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).size[0] == 320
    assert (
        Client()
        .get(reverse("showcase:photo", args=[showroom.link.token, photo.pk, 321]))
        .status_code
        == 404
    )


def test_a_photo_of_a_product_the_session_does_not_present_does_not_open(showroom):
    from tests.buyers.conftest import build_showroom

    other = build_showroom(vendors=1, products=1, city_name="Busan")
    url = reverse("showcase:photo", args=[showroom.link.token, other.photos[0].pk, 320])
    assert Client().get(url).status_code == 404


def test_the_product_sheet_is_a_pdf(showroom):
    url = reverse("showcase:sheet", args=[showroom.link.token, "ko", showroom.vendors[0].pk])
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_product_sheet_of_a_vendor_of_another_session_does_not_open(showroom):
    from tests.factories import VendorFactory

    url = reverse("showcase:sheet", args=[showroom.link.token, "ko", VendorFactory().pk])
    assert Client().get(url).status_code == 404
