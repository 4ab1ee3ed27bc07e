"""The planner: weekday slots inside every city's office hours, off public holidays."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings.planner import (
    BANGKOK,
    OfficeHours,
    PlaceHours,
    holiday_name,
    propose_connection_test,
    propose_slot,
    propose_year,
    session_month_year,
)

SEOUL = PlaceHours("Seoul", "Asia/Seoul", "KR")
FUKUOKA = PlaceHours("Fukuoka Prefecture", "Asia/Tokyo", "JP")
SHANGHAI = PlaceHours("Shanghai", "Asia/Shanghai", "CN")
MOSCOW = PlaceHours("Moscow", "Europe/Moscow", "RU")
BRISBANE = PlaceHours("Brisbane", "Australia/Brisbane", "AU")
NEW_YORK = PlaceHours("New York", "America/New_York", "US")
BKK = ZoneInfo("Asia/Bangkok")


def test_fiscal_2564_proposes_january_may_september_as_in_the_source():
    proposals = propose_year(2564, [1, 5, 9], [[SEOUL], [FUKUOKA], [SHANGHAI]])

    starts = [p.slot.start for p in proposals]
    assert starts == [
        dt.datetime(2021, 1, 15, 9, 0, tzinfo=BKK),  # a Friday
        dt.datetime(2021, 5, 17, 9, 0, tzinfo=BKK),  # the 15th is a Saturday
        dt.datetime(2021, 9, 15, 9, 0, tzinfo=BKK),
    ]
    assert [p.slot.end - p.slot.start for p in proposals] == [dt.timedelta(hours=2)] * 3
    local = {lt.place.name: lt.start.strftime("%a %d %H:%M") for lt in proposals[0].local_times}
    assert local == {"Bangkok": "Fri 15 09:00", "Seoul": "Fri 15 11:00"}
    assert [s.reason for s in proposals[1].skipped] == [
        "Saturday is a weekend in Bangkok",
        "Sunday is a weekend in Bangkok",
    ]


def test_the_fiscal_year_starts_in_october_of_the_previous_ce_year():
    assert session_month_year(2564, 10) == 2020
    assert session_month_year(2564, 9) == 2021
    proposals = propose_year(2570, [9, 1, 5])
    assert [(p.year, p.month) for p in proposals] == [(2027, 1), (2027, 5), (2027, 9)]


def test_thai_holidays_are_passed_over_with_their_names():
    proposal = propose_slot(2021, 4, preferred_day=12)
    assert proposal.slot.start.date() == dt.date(2021, 4, 16)
    assert [(s.day.day, s.reason) for s in proposal.skipped] == [
        (12, "Bridge Public Holiday (public holiday in Bangkok)"),
        (13, "Songkran Festival (public holiday in Bangkok)"),
        (14, "Songkran Festival (public holiday in Bangkok)"),
        (15, "Songkran Festival (public holiday in Bangkok)"),
    ]


def test_thai_reasons_in_thai():
    with translation.override("th"):
        proposal = propose_slot(2021, 4, preferred_day=13)
    assert proposal.skipped[0].reason == "วันสงกรานต์ (วันหยุดราชการในกรุงเทพฯ)"


def test_a_city_holiday_is_passed_over_too():
    proposal = propose_slot(2021, 2, [SEOUL], preferred_day=11)
    assert proposal.skipped[0].reason == (
        "The day preceding Korean New Year (public holiday in Seoul)"
    )
    assert proposal.slot.start.date() == dt.date(2021, 2, 15)


def test_the_slot_moves_later_in_the_day_for_a_city_behind_bangkok():
    proposal = propose_slot(2021, 1, [MOSCOW])
    # Moscow opens at 09:00 UTC+3, 13:00 in Bangkok.
    assert proposal.slot.start == dt.datetime(2021, 1, 15, 13, 0, tzinfo=BKK)
    assert proposal.local_times[1].start.strftime("%H:%M") == "09:00"


def test_no_common_office_hours_gives_no_slot_and_says_why():
    proposal = propose_slot(2021, 1, [NEW_YORK])
    assert proposal.slot is None
    assert "no common office hours" in {s.reason for s in proposal.skipped}
    assert len(proposal.skipped) == 31


def test_the_connection_test_comes_a_week_before_inside_office_hours():
    session_start = dt.datetime(2021, 1, 15, 9, 0, tzinfo=BKK)
    slot = propose_connection_test(session_start, [SEOUL], minutes=30)
    assert slot.start == dt.datetime(2021, 1, 8, 9, 0, tzinfo=BKK)
    assert slot.end - slot.start == dt.timedelta(minutes=30)


def _check_slot(slot, places, hours: OfficeHours, minutes: int) -> None:
    assert slot.end - slot.start == dt.timedelta(minutes=minutes)
    for place in places:
        zone = ZoneInfo(place.time_zone)
        start, end = slot.start.astimezone(zone), slot.end.astimezone(zone)
        assert start.date() == end.date()
        assert start.weekday() < 5, (place, start)
        assert holiday_name(place.country, start.date()) is None, (place, start)
        assert hours.start <= start.time() and end.time() <= hours.end, (place, start, end)


CITIES = st.lists(
    st.sampled_from([SEOUL, FUKUOKA, SHANGHAI, MOSCOW, BRISBANE]),
    max_size=3,
    unique=True,
)


@settings(max_examples=60, deadline=None)
@given(
    fiscal_year=st.integers(min_value=2564, max_value=2600),
    month=st.integers(min_value=1, max_value=12),
    cities=CITIES,
    minutes=st.sampled_from([60, 120, 150, 180]),
    preferred_day=st.integers(min_value=1, max_value=31),
)
def test_every_proposed_slot_fits_every_place(fiscal_year, month, cities, minutes, preferred_day):
    hours = OfficeHours()
    year = session_month_year(fiscal_year, month)
    proposal = propose_slot(year, month, cities, minutes=minutes, preferred_day=preferred_day)
    if proposal.slot is None:
        # Only when no day of the month fits: every day is accounted for.
        assert len(proposal.skipped) >= 28
        return
    bangkok_start = proposal.slot.start.astimezone(BKK)
    assert (bangkok_start.year, bangkok_start.month) == (year, month)
    _check_slot(proposal.slot, [BANGKOK, *cities], hours, minutes)
    # Every day tried before the chosen one was unusable, for a stated reason.
    assert proposal.slot.start.date() not in {s.day for s in proposal.skipped}
    assert all(s.reason for s in proposal.skipped)


@settings(max_examples=40, deadline=None)
@given(
    fiscal_year=st.integers(min_value=2564, max_value=2600),
    cities=CITIES,
    start_hour=st.integers(min_value=9, max_value=14),
)
def test_a_year_has_sessions_four_months_apart_each_fitting(fiscal_year, cities, start_hour):
    hours = OfficeHours(dt.time(start_hour, 0), dt.time(16, 30))
    proposals = propose_year(fiscal_year, [1, 5, 9], [cities] * 3, hours=hours)
    months = [(p.year, p.month) for p in proposals]
    assert months == [(session_month_year(fiscal_year, m), m) for m in (1, 5, 9)]
    for proposal in proposals:
        if proposal.slot:
            _check_slot(proposal.slot, [BANGKOK, *cities], hours, 120)
            test = propose_connection_test(proposal.slot.start, cities, hours=hours)
            assert test is not None and test.end <= proposal.slot.start
            _check_slot(test, [BANGKOK, *cities], hours, 30)
