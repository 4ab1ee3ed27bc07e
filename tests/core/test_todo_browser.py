"""Each role's to-do home page and the notification settings, in headless Chromium, in
Thai and English; the screenshots are kept under test-artifacts/todo/ (issue #16 item 1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.fiscal import BANGKOK
from core.roles import Role
from reports.models import ReportGeneration
from tests.browser_support import ARTIFACTS, choose_language, follow, log_in
from tests.factories import (
    InquiryLetterFactory,
    ProgrammeYearFactory,
    ReportingPeriodFactory,
    SessionFactory,
    SisterCityFactory,
    SubmissionFactory,
    VendorFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = ARTIFACTS / "todo"

HEADING = {"th": "รอคุณดำเนินการ", "en": "Waiting for you"}
EXPECTED = {
    Role.FAO: {
        "meetings.letters": 1,
        "outcomes.to_review": 1,
        "reports.to_evaluate": 1,
        "reports.to_report": 1,
    },
    Role.SDO: {"outcomes.to_fix": 1, "outcomes.overdue": 1},
    Role.SEO: {"meetings.connection_test": 1, "meetings.attendance": 1},
    Role.EXECUTIVE: {"reports.delivered": 1},
}


@pytest.fixture
def world(db):
    now = timezone.now()
    seoul = SisterCityFactory(name_en="Seoul", name_th="โซล", country="KR", time_zone="Asia/Seoul")
    InquiryLetterFactory(city=seoul, sent_on=dt.date(2026, 11, 10))
    year = ProgrammeYearFactory(fiscal_year=2570)
    reported = SessionFactory(year=year, number=1, status="reported", starts_at=now)
    ReportGeneration.objects.create(
        kind="session",
        programme_year=year,
        session=reported,
        version=1,
        language="th",
        status="done",
        sha256="0" * 64,
        delivered_at=now - dt.timedelta(days=2),
    )
    held = SessionFactory(year=year, number=2, status="held", starts_at=now - dt.timedelta(days=1))
    held.cities.set([seoul])
    SessionFactory(
        year=year,
        number=3,
        status="city_confirmed",
        starts_at=dt.datetime(2027, 5, 19, 10, tzinfo=BANGKOK),
    )
    SessionFactory(
        year=year,
        number=4,
        status="scheduled",
        starts_at=now - dt.timedelta(hours=2),
        connection_test_done_at=now - dt.timedelta(days=7),
    )
    period = ReportingPeriodFactory(fiscal_year=2570, half=1)
    names = [
        ("ขนมไทยพระนคร", "Phra Nakhon Thai Desserts"),
        ("ผ้าไหมบ้านครัว", "Ban Khrua Silk"),
        ("น้ำพริกแม่สำราญ", "Mae Samran Chilli Paste"),
    ]
    vendors = [VendorFactory(business_name_th=th, business_name_en=en) for th, en in names]
    SubmissionFactory(vendor=vendors[0], period=period, status="submitted")
    SubmissionFactory(vendor=vendors[1], period=period, status="returned", return_reason="x")
    SubmissionFactory(
        vendor=vendors[2], period=period, status="draft", overdue_since=dt.date(2027, 4, 16)
    )


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("role", list(EXPECTED), ids=[r.value for r in EXPECTED])
def test_each_role_starts_from_its_to_do_list(
    live_portal, world, role, language, make_user, password
):
    user = make_user(role, username=f"todo.{role.value}")
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, language)
    log_in(page, user.username, password)
    assert page.inner_text("#todo-heading") == HEADING[language]
    waiting = {
        item.get_attribute("data-todo"): int(item.get_attribute("data-count"))
        for item in page.locator("[data-todo]").all()
    }
    assert {k: v for k, v in waiting.items() if v} == EXPECTED[role]
    assert page.inner_text("#todo-count").startswith(str(sum(EXPECTED[role].values())))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"home-{role.value}-{language}.png"), full_page=True)
    if role == Role.SDO:  # the badge's link is the to-do list, from any page
        follow(page, "[data-todo='outcomes.overdue'] a")
        assert page.locator("[data-submission]").count() == 1
        follow(page, "[data-nav=todo]")
        assert page.inner_text("#todo-heading") == HEADING[language]


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_notification_settings_page(live_portal, language, make_user, password):
    user = make_user(Role.FAO, username="todo.settings")
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, language)
    log_in(page, user.username, password)
    follow(page, "#user-menu")
    follow(page, "[data-nav=notification-preferences]")
    page.check("input[name=delivery][value=daily]")
    follow(page, "#save-preferences")
    page.wait_for_load_state("networkidle")
    saved = {
        "th": "บันทึกการตั้งค่าการแจ้งเตือนแล้ว",
        "en": "Your notification settings are saved.",
    }
    assert saved[language] in page.inner_text("main")
    assert page.is_checked("input[name=delivery][value=daily]")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"settings-{language}.png"), full_page=True)
