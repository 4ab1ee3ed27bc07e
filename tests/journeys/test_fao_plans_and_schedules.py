"""Journey 1: FAO starts from the to-do list (a city has not answered the inquiry letter
yet), plans a year and schedules a session (local Teams backend), in Thai and in
English."""

from __future__ import annotations

import pytest

from core.roles import Role
from meetings.models import Session, TeamsMeeting

from ..factories import (
    CityContactFactory,
    InquiryLetterFactory,
    SisterCityFactory,
    VendorFactory,
)
from ..meetings.support import next_fiscal_year

pytestmark = [
    pytest.mark.browser,
    pytest.mark.long,
    pytest.mark.django_db(transaction=True),
]

TEXT = {
    "th": {
        "year": "ปีงบประมาณ พ.ศ. {year}",
        "seoul": "โซล",
        "fukuoka": "จังหวัดฟุกุโอกะ",
        "vendor": "ขนมไทยพระนคร",
        "test_scheduled": "นัดหมายการทดสอบสัญญาณแล้ว และส่งคำขอการประชุม Teams แล้ว",
        "in_teams": "นัดหมายใน Teams แล้ว",
        "join": "ลิงก์เข้าร่วม (ลิงก์ทดสอบภายใน ไม่ได้ใช้ระบบ Microsoft)",
        "status_scheduled": "นัดหมายแล้ว",
        "letters": "หนังสือทาบถามที่รอคำตอบ",
    },
    "en": {
        "year": "FY {year}",
        "seoul": "Seoul",
        "fukuoka": "Fukuoka Prefecture",
        "vendor": "Phra Nakhon Thai Desserts",
        "test_scheduled": "The connection test is scheduled; its Teams meeting is requested.",
        "in_teams": "Scheduled in Teams",
        "join": "Join link (local test link, no Microsoft tenant)",
        "status_scheduled": "Scheduled",
        "letters": "Inquiry letters awaiting a reply",
    },
}


@pytest.fixture
def registry(db):
    seoul = SisterCityFactory(name_en="Seoul", name_th="โซล", country="KR", time_zone="Asia/Seoul")
    SisterCityFactory(
        name_en="Fukuoka Prefecture", name_th="จังหวัดฟุกุโอกะ", country="JP", time_zone="Asia/Tokyo"
    )
    CityContactFactory(city=seoul, name="Kim Min-jun", email="kim@seoul.example.kr")
    InquiryLetterFactory(city=seoul)  # sent, no answer yet
    return [
        VendorFactory(
            business_name_th="ขนมไทยพระนคร", business_name_en="Phra Nakhon Thai Desserts"
        ),
        VendorFactory(business_name_th="ผ้าไหมสัมพันธวงศ์", business_name_en="Samphanthawong Silk"),
    ]


def test_fao_plans_a_year_and_schedules_a_session(walk, language, registry, make_user, password):
    text = TEXT[language]
    fao = make_user(Role.FAO, username="fao.journey", email="fao@bangkok.go.th")
    fiscal_year = next_fiscal_year()
    fao_walk = walk("1-fao")
    page = fao_walk.page
    fao_walk.log_in(fao.username, password)

    # The to-do list: Seoul has not answered the inquiry letter; counted in the menu too.
    letters = page.locator("[data-todo='meetings.letters']")
    assert letters.get_attribute("data-count") == "1"
    assert text["letters"] in letters.inner_text()
    assert text["seoul"] in letters.locator("ul").inner_text()
    assert fao_walk.text("#todo-count").startswith("1")
    fao_walk.shot("home")

    # Plan the year: three sessions, one every four months.
    fao_walk.click("[data-nav=meetings]")
    fao_walk.click("#plan-year")
    page.fill("input[name=fiscal_year]", str(fiscal_year))
    page.select_option("select[name=vendors_per_session]", "5")
    fao_walk.shot("plan-year-form")
    fao_walk.click("#year-plan-form button[type=submit]")
    assert text["year"].format(year=fiscal_year) in fao_walk.text("#year-heading")
    assert page.locator("[data-session]").count() == 3
    fao_walk.shot("year-planned")

    # Session 1: two cities, invited and confirmed; the times in each city's zone.
    fao_walk.click("[data-session='1'] h2 a")
    fao_walk.click("#details-link")
    page.get_by_label(text["seoul"], exact=False).check()
    page.get_by_label(text["fukuoka"], exact=False).check()
    fao_walk.click("#session-form button[type=submit]")
    fao_walk.click("#mark-invited")
    fao_walk.shot("confirm-invited")
    fao_walk.click("#confirm-action")
    fao_walk.click("#mark-confirmed")
    fao_walk.click("#confirm-action")
    assert page.get_attribute("#session-status", "data-status") == "city_confirmed"
    times = fao_walk.text("#session-times")
    assert "(UTC+7)" in times and "(UTC+9)" in times and text["fukuoka"] in times
    session = Session.objects.get(year__fiscal_year=fiscal_year, number=1)
    starts = session.starts_at
    shown_year = starts.year + 543 if language == "th" else starts.year
    assert str(shown_year) in times

    # Its vendors.
    fao_walk.click("#vendors-link")
    page.get_by_label(text["vendor"], exact=False).check()
    fao_walk.click("#session-form button[type=submit]")
    fao_walk.click("#session-form button[type=submit]")  # the products each presents
    assert text["vendor"] in fao_walk.text("#session-vendors")
    fao_walk.shot("session-prepared")

    # The connection test on the planner's proposal, then the session's Teams meeting.
    fao_walk.click("#connection-test-link")
    assert page.locator("#planner-proposal").is_visible()
    fao_walk.shot("connection-test-form")
    fao_walk.click("#save-test")
    assert text["test_scheduled"] in fao_walk.text("main")
    assert fao_walk.text("[data-meeting-state=connection_test]") == text["in_teams"]
    fao_walk.click("#schedule-session")
    fao_walk.click("#confirm-action")
    assert page.get_attribute("#session-status", "data-status") == "scheduled"
    assert fao_walk.text("#session-status") == text["status_scheduled"]
    join = page.locator("[data-join=session]")
    assert join.inner_text() == text["join"]
    assert join.get_attribute("href").startswith("https://teams.invalid/local-meeting/")
    fao_walk.shot("session-scheduled")

    meetings = TeamsMeeting.objects.filter(session=session)
    assert {m.state for m in meetings} == {TeamsMeeting.State.ACTIVE}
    assert meetings.count() == 2  # the connection test and the session
