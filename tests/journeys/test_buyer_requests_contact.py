"""Issue #17 in a browser: the session's invitation to a participant of Seoul carries the
city's showcase link; the buyer opens it, reads the showcase in Korean, asks a vendor to
contact them; the vendor's message waits in the outbox; SDO (in Thai) confirms the lead,
and the vendor counts as achieved in the KPI."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from buyers.models import Lead
from buyers.services import showcase_link_enable
from core.roles import Role
from meetings.models import Session
from meetings.services.notices import PARTICIPANT_NOTICE, session_send_invitations
from meetings.services.sessions import session_mark_held
from notifications.models import OutboxMessage
from notifications.rendering import render_message
from outcomes.kpi import kpi_compute
from tests.factories import (
    CityContactFactory,
    ProductFactory,
    ProgrammeYearFactory,
    SessionFactory,
    ShortlistEntryFactory,
    SisterCityFactory,
    VendorFactory,
)
from tests.meetings.factories import CityParticipantFactory

from ..browser_support import ARTIFACTS, choose_language, follow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SHOTS = ARTIFACTS / "journeys"


def test_a_buyer_requests_contact_in_korean_and_sdo_confirms_it(
    live_portal, live_server, settings, make_user, password
):
    page = live_portal
    SHOTS.mkdir(parents=True, exist_ok=True)
    # The links in the portal's e-mails point at this server, so the buyer's click lands here.
    settings.PORTAL_SITE_URL = live_server.url
    year = ProgrammeYearFactory(fiscal_year=2570)
    seoul = SisterCityFactory(name_en="Seoul", name_th="โซล", country="KR", time_zone="Asia/Seoul")
    starts_at = timezone.now() + dt.timedelta(days=7)
    session = SessionFactory(
        year=year, number=1, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2)
    )
    session.cities.add(seoul)
    CityParticipantFactory(
        session=session,
        contact=CityContactFactory(city=seoul, name="Park Jisoo", email="jisoo@seoul.example"),
    )
    vendor = VendorFactory(
        business_name_en="Siam Silk", business_name_th="ผ้าไหมสยาม", email="silk@example.org"
    )
    product = ProductFactory(vendor=vendor, name_en="Silk scarf", name_th="ผ้าพันคอไหม")
    entry = ShortlistEntryFactory(session=session, vendor=vendor)
    entry.products.add(product)
    fao = make_user(Role.FAO, username="fao-journey")
    sdo = make_user(Role.SDO, username="sdo-journey")

    # FAO turns the city's showcase on, then invites the participants as the portal does.
    link = showcase_link_enable(
        session=session,
        city=seoul,
        expires_on=timezone.localdate() + dt.timedelta(days=30),
        acting_user=fao,
    )
    session_send_invitations(session_id=session.pk, acting_user=fao)
    invitation = OutboxMessage.objects.get(
        template=PARTICIPANT_NOTICE, address="jisoo@seoul.example"
    )
    text = render_message(invitation).text
    found = re.search(r"Bangkok Brand products of this session \(no account needed\): (\S+)", text)
    assert found, text
    showcase_address = found.group(1)
    assert showcase_address == f"{live_server.url}/showcase/{link.token}/ko/"

    # A week on, the session took place and the vendor attended.
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=1),
        ends_at=timezone.now() - dt.timedelta(days=1) + dt.timedelta(hours=2),
        connection_test_waived_reason="Tested with Seoul on the previous session.",
    )
    session_mark_held(
        session_id=session.pk,
        vendor_attendance={entry.pk: True},
        city_attendance={},
        bma_attendance={},
        acting_user=fao,
    )
    assert kpi_compute(year=year).achieved == 0

    # The buyer: no account, the link of the invitation is the key; Seoul reads Korean.
    page.goto(showcase_address)
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("h1").inner_text() == "Seoul의 방콕 브랜드 상품"
    vendor_contact = page.locator(f"#vendor-{vendor.pk} > p a.contact")
    assert vendor_contact.inner_text() == "연락 요청"
    page.screenshot(path=str(SHOTS / "buyer-0-showcase-ko.png"), full_page=True)
    vendor_contact.click()
    page.wait_for_load_state("networkidle")
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
    follow(page, "#id_consent")
    follow(page, "#lead-send")
    page.wait_for_load_state("networkidle")
    assert page.locator("#lead-thanks").inner_text() == (
        "감사합니다. 요청이 판매자에게 전달되었습니다. 곧 연락을 받으실 것입니다."
    )
    page.screenshot(path=str(SHOTS / "buyer-2-thanks-ko.png"), full_page=True)

    lead = Lead.objects.get()
    # The vendor's own link, not a product's: the request names no product.
    assert (lead.vendor, lead.product, lead.language, lead.link) == (vendor, None, "ko", link)
    to_vendor = OutboxMessage.objects.get(template="buyers.lead_vendor")
    assert (to_vendor.address, to_vendor.language) == ("silk@example.org", "th")
    assert OutboxMessage.objects.get(template="buyers.lead_buyer").language == "ko"

    # SDO, in Thai, finds it on the to-do list and confirms it.
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, "th")
    log_in(page, sdo.username, password)
    follow(page, "a:has-text('ผู้สนใจซื้อที่ต้องติดตาม')")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / "buyer-3-leads-th.png"), full_page=True)
    follow(page, "a:has-text('한빛무역')")
    page.wait_for_load_state("networkidle")
    follow(page, "#lead-confirm")
    page.wait_for_load_state("networkidle")
    assert "ยืนยันแล้วว่าเป็นการติดต่อซื้อจริง" in page.locator("main").inner_text()
    assert page.locator("#lead-verification").inner_text() == "ยืนยันว่าจริง"
    page.screenshot(path=str(SHOTS / "buyer-4-confirmed-th.png"), full_page=True)

    result = kpi_compute(year=year)
    assert (result.participants, result.achieved) == (1, 1)
