"""Done when: an FAO user plans a year, picks cities and vendors, schedules the connection
test and the session, moves the session to another day and cancels another, in a real
browser against the local Teams backend. Then the responsible office ticks off a step on
the timeline, and an executive only reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.roles import Role
from meetings.models import Session, TeamsMeeting, TeamsMeetingRequest

from ..browser_support import ARTIFACTS, choose_language, follow, log_in
from ..factories import CityContactFactory, SisterCityFactory, VendorFactory
from .support import next_fiscal_year

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def registry(db):
    seoul = SisterCityFactory(name_en="Seoul", name_th="โซล", country="KR", time_zone="Asia/Seoul")
    fukuoka = SisterCityFactory(
        name_en="Fukuoka Prefecture",
        name_th="จังหวัดฟุกุโอกะ",
        country="JP",
        time_zone="Asia/Tokyo",
    )
    CityContactFactory(city=seoul, name="Kim Min-jun", email="kim@seoul.example.kr")
    vendors = [
        VendorFactory(business_name_en="Phra Nakhon Thai Desserts"),
        VendorFactory(business_name_en="Samphanthawong Silk"),
    ]
    return {"seoul": seoul, "fukuoka": fukuoka, "vendors": vendors}


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"meetings-{name}.png"), full_page=True)


def open_session(page, fiscal_year: int, number: int) -> None:
    page.goto(f"{page.base_url}/meetings/years/{fiscal_year}/")
    follow(page, f"[data-session='{number}'] h2 a")


def choose_and_confirm_cities(page, *names: str) -> None:
    follow(page, "#details-link")
    for name in names:
        page.get_by_label(name, exact=False).check()
    follow(page, "#session-form button[type=submit]")
    follow(page, "#mark-invited")
    follow(page, "#confirm-action")  # the confirmation page
    follow(page, "#mark-confirmed")
    follow(page, "#confirm-action")  # the confirmation page


@pytest.mark.long
def test_fao_runs_a_year_in_the_browser(live_portal, registry, make_user, password):
    fao = make_user(Role.FAO, username="fao.browser", email="fao@bangkok.go.th")
    fiscal_year = next_fiscal_year()
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, "en")
    log_in(page, fao.username, password)

    # Plan the year.
    follow(page, "[data-nav=meetings]")
    follow(page, "#plan-year")
    page.fill("input[name=fiscal_year]", str(fiscal_year))
    page.select_option("select[name=vendors_per_session]", "5")
    follow(page, "#year-plan-form button[type=submit]")
    assert f"FY {fiscal_year}" in page.inner_text("#year-heading")
    assert page.locator("[data-session]").count() == 3
    shot(page, "year-en")

    # Session 1: two cities, two vendors, invited and confirmed.
    open_session(page, fiscal_year, 1)
    choose_and_confirm_cities(page, "Seoul", "Fukuoka Prefecture")
    assert page.get_attribute("#session-status", "data-status") == "city_confirmed"
    times = page.inner_text("#session-times")
    assert "(UTC+7)" in times and "(UTC+9)" in times and "Fukuoka Prefecture" in times
    follow(page, "#vendors-link")
    for vendor in registry["vendors"]:
        page.get_by_label(vendor.business_name_en, exact=False).check()
    follow(page, "#session-form button[type=submit]")
    follow(page, "#session-form button[type=submit]")  # the products each presents
    assert "Samphanthawong Silk" in page.inner_text("#session-vendors")

    # The connection test, on the planner's proposal, then the session's Teams meeting.
    follow(page, "#connection-test-link")
    assert page.locator("#planner-proposal").is_visible()
    follow(page, "#save-test")
    assert "The connection test is scheduled" in page.inner_text("main")
    assert page.inner_text("[data-meeting-state=connection_test]") == "Scheduled in Teams"
    follow(page, "#schedule-session")
    follow(page, "#confirm-action")  # the confirmation page
    assert page.get_attribute("#session-status", "data-status") == "scheduled"
    join = page.locator("[data-join=session]")
    assert join.inner_text() == "Join link (local test link, no Microsoft tenant)"
    assert join.get_attribute("href").startswith("https://teams.invalid/local-meeting/")
    shot(page, "session-en")

    # Move the session a day later; the Teams meeting follows.
    session = Session.objects.get(year__fiscal_year=fiscal_year, number=1)
    before = timezone.localtime(session.starts_at)
    moved_day = before.date() + dt.timedelta(days=1)
    while moved_day.weekday() >= 5:
        moved_day += dt.timedelta(days=1)
    follow(page, "#reschedule-link")
    page.fill("input[name=date]", moved_day.strftime("%d/%m/%Y"))
    page.fill("input[name=start_time]", "10:00")
    page.fill("input[name=end_time]", "12:00")
    follow(page, "#save-time")
    if page.locator("#date-warnings").count():  # the next weekday is a holiday somewhere
        page.check("input[name=keep_anyway]")
        follow(page, "#save-time")
    assert "The session is moved." in page.inner_text("main")
    session.refresh_from_db()
    assert timezone.localtime(session.starts_at).date() == moved_day
    assert page.locator("#teams-requests [data-action=update][data-status=succeeded]").count()
    assert "Seoul" in page.inner_text("#session-times")

    # Session 2: scheduled, then cancelled with a reason.
    open_session(page, fiscal_year, 2)
    choose_and_confirm_cities(page, "Seoul")
    follow(page, "#schedule-session")
    follow(page, "#confirm-action")  # the confirmation page
    follow(page, "#cancel-session")
    page.fill("textarea[name=reason]", "Seoul cannot take part in May")
    follow(page, "#session-form button[type=submit]")
    assert page.get_attribute("#session-status", "data-status") == "cancelled"
    assert "Seoul cannot take part in May" in page.inner_text("#cancel-note")
    assert page.locator("#teams-requests [data-action=cancel][data-status=succeeded]").count()

    cancelled = Session.objects.get(year__fiscal_year=fiscal_year, number=2)
    assert cancelled.teams_meetings.get().state == TeamsMeeting.State.CANCELLED
    assert {r.status for r in TeamsMeetingRequest.objects.all()} == {"succeeded"}

    choose_language(page, "th")
    assert "ยกเลิก" in page.inner_text("#session-status")
    shot(page, "session-cancelled-th")
    open_session(page, fiscal_year, 1)
    assert str(moved_day.year + 543) in page.inner_text("#session-times")
    shot(page, "session-th")


def test_the_responsible_office_ticks_off_a_step_and_executives_only_read(
    live_portal, make_user, password
):
    from meetings.services.years import programme_year_plan

    fao = make_user(Role.FAO, username="fao.plan")
    year = programme_year_plan(fiscal_year=2569, acting_user=fao)  # all in the past
    sdo = make_user(Role.SDO, username="sdo.browser")
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, "en")
    log_in(page, sdo.username, password)
    page.goto(f"{page.base_url}/meetings/years/2569/timeline/")
    overdue = page.locator("[data-overdue=true]").count()
    assert overdue == 8 + 5 + 5
    # SDO may tick steps 2 and 5, not FAO's step 4.
    assert page.locator("[data-tick='1-4']").count() == 0
    follow(page, "[data-tick='1-5']")
    assert "Step 5 is ticked off." in page.inner_text("main")
    assert page.get_attribute("[data-step='1-5']", "data-done") == "true"
    assert page.locator("[data-overdue=true]").count() == overdue - 1
    shot(page, "timeline-en")
    choose_language(page, "th")
    assert "เลยกำหนด" in page.inner_text("#timeline")
    shot(page, "timeline-th")
    step = year.sessions.get(number=1).steps.get(number=5)
    assert step.done_by == sdo

    executive = make_user(Role.EXECUTIVE, username="executive.browser")
    context = page.context.browser.new_context(locale="en-GB")
    other = context.new_page()
    other.base_url = page.base_url
    other.goto(f"{other.base_url}/accounts/login/")
    choose_language(other, "en")
    log_in(other, executive.username, password)
    other.goto(f"{other.base_url}/meetings/years/2569/")
    other.click("[data-session='1'] h2 a")
    for button in ("#schedule-session", "#cancel-session", "#reschedule-link", "#mark-invited"):
        assert other.locator(button).count() == 0, button
    assert other.locator("[data-tick]").count() == 0
    context.close()
