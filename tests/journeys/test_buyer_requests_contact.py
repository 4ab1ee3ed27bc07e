"""Issue #17 in a browser: a buyer of Seoul opens the showcase's contact form in Korean with
the link's token, asks a vendor to contact them; the vendor's message waits in the outbox;
SDO (in Thai) confirms the lead, and the vendor counts as achieved in the KPI."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from buyers.models import Lead, ShowcaseLink
from core.roles import Role
from meetings.models import Session
from notifications.models import OutboxMessage
from outcomes.kpi import kpi_compute
from tests.factories import (
    ProductFactory,
    ProgrammeYearFactory,
    SessionFactory,
    ShortlistEntryFactory,
    SisterCityFactory,
    VendorFactory,
)

from ..browser_support import ARTIFACTS, choose_language, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SHOTS = ARTIFACTS / "journeys"


def test_a_buyer_requests_contact_in_korean_and_sdo_confirms_it(live_portal, make_user, password):
    page = live_portal
    SHOTS.mkdir(parents=True, exist_ok=True)
    year = ProgrammeYearFactory(fiscal_year=2570)
    seoul = SisterCityFactory(name_en="Seoul", name_th="โซล", country="KR")
    session = SessionFactory(
        year=year,
        number=1,
        status=Session.Status.HELD,
        starts_at=timezone.now() - dt.timedelta(days=1),
    )
    session.cities.add(seoul)
    vendor = VendorFactory(
        business_name_en="Siam Silk", business_name_th="ผ้าไหมสยาม", email="silk@example.org"
    )
    product = ProductFactory(vendor=vendor, name_en="Silk scarf", name_th="ผ้าพันคอไหม")
    entry = ShortlistEntryFactory(session=session, vendor=vendor, attended=True)
    entry.products.add(product)
    link = ShowcaseLink.objects.create(
        session=session,
        city=seoul,
        enabled=True,
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    sdo = make_user(Role.SDO, username="sdo-journey")
    assert kpi_compute(year=year).achieved == 0

    # The buyer: no account, the token is the key; Seoul's language is Korean.
    page.goto(
        f"{page.base_url}/buyers/showcase/{link.token}/contact/{vendor.pk}/?product={product.pk}"
    )
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("h1").inner_text() == "연락 요청"
    page.fill("#id_name", "김민지")
    page.fill("#id_company", "한빛무역")
    page.fill("#id_country", "대한민국")
    page.fill("#id_buyer_city", "서울")
    page.fill("#id_email", "minji@hanbit.example")
    page.select_option("#id_messenger", "kakaotalk")
    page.fill("#id_messenger_handle", "minji.k")
    page.fill("#id_interest", "매장용 실크 스카프")
    page.fill("#id_quantity", "200개")
    page.screenshot(path=str(SHOTS / "buyer-1-form-ko.png"), full_page=True)
    page.click("#id_consent")
    page.click("#lead-send")
    page.wait_for_load_state("networkidle")
    assert page.locator("#lead-thanks").inner_text() == (
        "감사합니다. 요청이 판매자에게 전달되었습니다. 곧 연락을 받으실 것입니다."
    )
    page.screenshot(path=str(SHOTS / "buyer-2-thanks-ko.png"), full_page=True)

    lead = Lead.objects.get()
    assert (lead.vendor, lead.product, lead.language) == (vendor, product, "ko")
    to_vendor = OutboxMessage.objects.get(template="buyers.lead_vendor")
    assert (to_vendor.address, to_vendor.language) == ("silk@example.org", "th")
    assert OutboxMessage.objects.get(template="buyers.lead_buyer").language == "ko"

    # SDO, in Thai, finds it on the to-do list and confirms it.
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, "th")
    log_in(page, sdo.username, password)
    page.click("a:has-text('ผู้สนใจซื้อที่ต้องติดตาม')")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / "buyer-3-leads-th.png"), full_page=True)
    page.click("a:has-text('한빛무역')")
    page.wait_for_load_state("networkidle")
    page.click("#lead-confirm")
    page.wait_for_load_state("networkidle")
    assert "ยืนยันแล้วว่าเป็นการติดต่อซื้อจริง" in page.locator("main").inner_text()
    assert page.locator("#lead-verification").inner_text() == "ยืนยันว่าจริง"
    page.screenshot(path=str(SHOTS / "buyer-4-confirmed-th.png"), full_page=True)

    result = kpi_compute(year=year)
    assert (result.participants, result.achieved) == (1, 1)
