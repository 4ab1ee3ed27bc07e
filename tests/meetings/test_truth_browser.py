"""Issue 16, items 2, 3, 8 and 12 as FAO sees them in a browser, in Thai and English, with
screenshots kept in test-artifacts/: the progress tracker's done, skipped and pending
steps; a confirmation page and its undo; the planner's warnings; a date field's hint and
its "does not exist" error."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.fiscal import current_fiscal_year
from core.roles import Role
from meetings.services import sessions as svc
from meetings.services.years import programme_year_plan

from ..browser_support import ARTIFACTS, choose_language, follow, log_in
from ..factories import ProgrammeYearFactory, SessionFactory, SisterCityFactory
from .support import bangkok, next_fiscal_year

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TEXT = {
    "th": {
        "skipped_by": "ข้ามโดย",
        "consequence": "สถานะจะเปลี่ยนเป็น “เชิญเมืองแล้ว”",
        "undo": "ย้อนกลับเป็น “วางแผนแล้ว”",
        "undone": "ย้อนกลับแล้ว สถานะกลับเป็น “วางแผนแล้ว”",
        "chuseok": "เทศกาลชูซอก (วันหยุดราชการในโซล)",
        "night": "เวลา 22:00–00:00 ที่วอชิงตัน อยู่นอกเวลาทำการ (09:00–16:30)",
        "passed": "ผ่านไปแล้ว",
        "hint": "วว/ดด/ปปปป (พ.ศ.) เช่น 23/11/2569",
        "bad_day": "31/02/2570",
        "no_day": "ไม่มีวันที่ 31/02/2570: เดือนกุมภาพันธ์ 2570 มี 28 วัน",
    },
    "en": {
        "skipped_by": "Skipped by",
        "consequence": "The status becomes “City invited”",
        "undo": "Undo: back to “Planned”",
        "undone": "The change is undone: the status is “Planned” again.",
        "chuseok": "Chuseok (public holiday in Seoul)",
        "night": "22:00–00:00 in Washington is outside office hours (09:00–16:30).",
        "passed": "has already passed",
        "hint": "dd/mm/yyyy, for example 23/11/2026",
        "bad_day": "31/02/2027",
        "no_day": "31/02/2027 does not exist: February 2027 has 28 days.",
    },
}


def shot(page, language: str, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"truth-{name}-{language}.png"), full_page=True)


@pytest.fixture
def world(make_user):
    fao = make_user(Role.FAO, username="fao.truth", first_name="Malee", last_name="Suk")
    seoul = SisterCityFactory(name_en="Seoul", name_th="โซล", country="KR", time_zone="Asia/Seoul")
    washington = SisterCityFactory(
        name_en="Washington", name_th="วอชิงตัน", country="US", time_zone="America/New_York"
    )
    year = programme_year_plan(fiscal_year=next_fiscal_year(), acting_user=fao)
    # Session 1: invited and confirmed, the Teams meeting skipped, the test still to do.
    tracked = year.sessions.get(number=1)
    svc.session_update_details(
        session_id=tracked.pk, cities=[seoul], organizer_mailbox="", acting_user=fao
    )
    svc.session_mark_city_invited(session_id=tracked.pk, acting_user=fao)
    svc.session_mark_city_confirmed(session_id=tracked.pk, acting_user=fao)
    svc.session_step_skip(
        session_id=tracked.pk,
        step="teams_meeting",
        reason="Seoul hosts the call on its own platform",
        acting_user=fao,
    )
    # Session 2: a city chosen, to be invited through the confirmation page.
    to_invite = year.sessions.get(number=2)
    svc.session_update_details(
        session_id=to_invite.pk, cities=[seoul], organizer_mailbox="", acting_user=fao
    )
    # A session on Chuseok 2027, at 22:00 in Washington.
    start = bangkok(2027, 9, 15, 9)
    on_holiday = SessionFactory(
        year=ProgrammeYearFactory(fiscal_year=2570),
        number=1,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    on_holiday.cities.set([seoul, washington])
    return {"fao": fao, "tracked": tracked, "to_invite": to_invite, "on_holiday": on_holiday}


@pytest.mark.parametrize("language", ["th", "en"])
def test_truthful_tracker_confirmation_warnings_and_dates(live_portal, world, password, language):
    text = TEXT[language]
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, language)
    log_in(page, world["fao"].username, password)

    # Item 2: done, skipped (by whom and why) and pending.
    page.goto(f"{page.base_url}/meetings/sessions/{world['tracked'].pk}/")
    steps = page.locator("#status-steps")
    assert steps.locator("[data-step=city_confirmed][data-state=done]").count() == 1
    assert steps.locator("[data-step=connection_test][data-state=pending]").count() == 1
    skipped = steps.locator("[data-step=teams_meeting][data-state=skipped]")
    assert text["skipped_by"] in skipped.inner_text()
    assert "Malee Suk" in skipped.inner_text()
    assert "Seoul hosts the call on its own platform" in skipped.inner_text()
    steps.scroll_into_view_if_needed()
    shot(page, language, "tracker")

    # Item 3: the status button asks first, then offers the undo.
    page.goto(f"{page.base_url}/meetings/sessions/{world['to_invite'].pk}/")
    follow(page, "#mark-invited")
    page.wait_for_load_state("networkidle")
    assert text["consequence"] in page.inner_text("#consequence")
    shot(page, language, "confirmation")
    follow(page, "#confirm-action")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("#session-status", "data-status") == "city_invited"
    assert text["undo"] in page.inner_text("main")
    shot(page, language, "undo-offered")
    follow(page, "#undo-status")
    page.wait_for_load_state("networkidle")
    assert text["undone"] in page.inner_text("main")
    assert page.get_attribute("#session-status", "data-status") == "planned"

    # Item 8: the session page warns of Chuseok and of 22:00 in Washington.
    page.goto(f"{page.base_url}/meetings/sessions/{world['on_holiday'].pk}/")
    warnings = page.inner_text("#date-warnings")
    assert text["chuseok"] in warnings and text["night"] in warnings
    shot(page, language, "session-date-warnings")

    # Item 12: the date field shows its hint before anything is typed...
    page.goto(f"{page.base_url}/meetings/sessions/{world['on_holiday'].pk}/reschedule/")
    assert page.inner_text("#id_date_hint") == text["hint"]
    # ...and says a date the calendar lacks does not exist.
    page.fill("input[name=date]", text["bad_day"])
    follow(page, "#save-time")
    page.wait_for_load_state("networkidle")
    assert text["no_day"] in page.inner_text("#reschedule-form")
    assert page.inner_text("#id_date_hint") == text["hint"]
    shot(page, language, "date-does-not-exist")

    # Item 8: the year planner refuses a month that has passed.
    today = timezone.localdate()
    if today.month != 10:  # in October, no month of the current fiscal year has passed
        passed = (today.replace(day=1) - dt.timedelta(days=1)).month
        others = [m for m in (1, 5, 9, 2, 6) if m != passed][:2]
        page.goto(f"{page.base_url}/meetings/years/plan/")
        page.fill("input[name=fiscal_year]", str(current_fiscal_year().be_year))
        page.select_option("select[name=month_1]", str(passed))
        page.select_option("select[name=month_2]", str(others[0]))
        page.select_option("select[name=month_3]", str(others[1]))
        follow(page, "#year-plan-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert text["passed"] in page.inner_text("#year-plan-form")
        shot(page, language, "planner-month-passed")
