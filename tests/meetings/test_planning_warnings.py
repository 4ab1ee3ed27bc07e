"""Planning warns where the decision is made (issue 16, item 8): the year planner refuses a
month that has passed and proposes no day before tomorrow; a session's date on a city's
public holiday or outside its office hours is warned of on the session page and on the
form that moves it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from meetings.forms import YearPlanForm
from meetings.models import Session
from meetings.planner import BANGKOK, OfficeHours, PlaceHours, propose_slot, slot_warnings

from ..factories import ProgrammeYearFactory, SessionFactory, SisterCityFactory
from .support import bangkok

SEOUL = PlaceHours("Seoul", "Asia/Seoul", "KR")
WASHINGTON = PlaceHours("Washington", "America/New_York", "US")

CHUSEOK_EN = "Wednesday 15 September 2027: Chuseok (public holiday in Seoul)"
CHUSEOK_TH = "วันพุธ 15 กันยายน 2570: เทศกาลชูซอก (วันหยุดราชการในSeoul)"
NIGHT_EN = "22:00–00:00 in Washington is outside office hours (09:00–16:30)."
NIGHT_TH = "เวลา 22:00–00:00 ที่Washington อยู่นอกเวลาทำการ (09:00–16:30)"


def test_a_slot_on_chuseok_is_warned_of_in_the_reader_s_language():
    start = bangkok(2027, 9, 15, 9)
    places = [BANGKOK, SEOUL]
    with translation.override("en"):
        assert slot_warnings(start, start + dt.timedelta(hours=2), places, OfficeHours()) == [
            CHUSEOK_EN
        ]
    with translation.override("th"):
        assert slot_warnings(start, start + dt.timedelta(hours=2), places, OfficeHours()) == [
            CHUSEOK_TH
        ]


def test_ten_in_the_morning_in_bangkok_is_ten_at_night_in_washington():
    start = bangkok(2027, 1, 15, 10)  # a Friday; Thursday 22:00 in Washington (EST)
    with translation.override("en"):
        warnings = slot_warnings(
            start, start + dt.timedelta(hours=2), [BANGKOK, WASHINGTON], OfficeHours()
        )
    assert warnings == [NIGHT_EN]
    with translation.override("th"):
        warnings = slot_warnings(
            start, start + dt.timedelta(hours=2), [BANGKOK, WASHINGTON], OfficeHours()
        )
    assert warnings == [NIGHT_TH]


def test_a_slot_that_fits_everyone_has_no_warning():
    start = bangkok(2027, 1, 15, 9)
    assert (
        slot_warnings(start, start + dt.timedelta(hours=2), [BANGKOK, SEOUL], OfficeHours()) == []
    )


def test_the_planner_proposes_no_day_before_not_before():
    proposal = propose_slot(2026, 12, not_before=dt.date(2026, 12, 22))
    assert proposal.slot.start.date() >= dt.date(2026, 12, 22)
    # Every day of the month has passed: no slot, rather than one in the past.
    assert propose_slot(2026, 11, not_before=dt.date(2026, 12, 22)).slot is None


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "October 2026 has already passed: choose a month from December 2026 on.",
        ),
        ("th", "เดือนตุลาคม 2569 ผ่านไปแล้ว เลือกเดือนตั้งแต่ธันวาคม 2569 เป็นต้นไป"),
    ],
)
def test_the_year_planner_refuses_a_month_that_has_passed(language, message):
    data = {
        "fiscal_year": "2570",
        "month_1": "10",
        "month_2": "5",
        "month_3": "9",
        "vendors_per_session": "5",
        "session_minutes": "120",
    }
    with translation.override(language):
        form = YearPlanForm(data, today=dt.date(2026, 12, 5))
        assert not form.is_valid()
        assert form.errors["month_1"] == [message]
    # Later in the same month, the month is still open.
    assert YearPlanForm(data, today=dt.date(2026, 10, 31)).is_valid()


@pytest.fixture
def session_on_chuseok(db):
    """Session 1 of FY 2570 with Seoul, on Chuseok 2027 (and 22:00 in Washington for the
    second city)."""
    seoul = SisterCityFactory(
        name_en="Seoul", name_th="Seoul", country="KR", time_zone="Asia/Seoul"
    )
    washington = SisterCityFactory(
        name_en="Washington", name_th="Washington", country="US", time_zone="America/New_York"
    )
    start = bangkok(2027, 9, 15, 9)
    session = SessionFactory(
        year=ProgrammeYearFactory(fiscal_year=2570),
        number=1,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    session.cities.set([seoul, washington])
    return session


WASHINGTON_SEPT_EN = NIGHT_EN
WASHINGTON_SEPT_TH = NIGHT_TH


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "warnings"),
    [
        ("en", "Check this date with the cities:", [CHUSEOK_EN, WASHINGTON_SEPT_EN]),
        ("th", "ตรวจสอบวันนี้กับเมืองพี่เมืองน้อง:", [CHUSEOK_TH, WASHINGTON_SEPT_TH]),
    ],
)
def test_the_session_page_warns_of_a_holiday_and_of_night_hours(
    session_on_chuseok, fao_user, client_for, language, heading, warnings
):
    url = reverse("meetings:session-detail", args=[session_on_chuseok.pk])
    response = client_for(fao_user, language).get(url)
    html = response.content.decode()
    assert response.context["date_warnings"] == warnings
    assert heading in html
    for warning in warnings:
        assert warning in html


@pytest.mark.django_db
def test_a_cancelled_session_has_no_date_warning(session_on_chuseok, fao_user, client_for):
    Session.objects.filter(pk=session_on_chuseok.pk).update(status="cancelled", cancel_reason="x")
    url = reverse("meetings:session-detail", args=[session_on_chuseok.pk])
    assert client_for(fao_user, "en").get(url).context["date_warnings"] == []


@pytest.mark.django_db
def test_moving_a_session_onto_a_holiday_asks_to_keep_it_first(
    session_on_chuseok, fao_user, client_for
):
    session = session_on_chuseok
    session.cities.set(session.cities.filter(name_en="Seoul"))
    url = reverse("meetings:session-reschedule", args=[session.pk])
    client = client_for(fao_user, "en")
    assert CHUSEOK_EN in client.get(url).content.decode()  # the present time, on opening
    data = {"date": "15/09/2027", "start_time": "10:00", "end_time": "12:00"}
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert CHUSEOK_EN in html
    assert "Keep this time despite the warnings" in html
    session.refresh_from_db()
    assert session.starts_at == bangkok(2027, 9, 15, 9)  # not moved yet

    client.get(url)
    response = client.post(url, {**data, "keep_anyway": "on"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == bangkok(2027, 9, 15, 10)
