import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.fiscal import BANGKOK, FiscalHalf, FiscalYear, fiscal_year_of, half_of

ZONES = st.sampled_from(
    [
        "UTC",
        "Asia/Bangkok",
        "Asia/Seoul",
        "Asia/Tokyo",
        "Asia/Shanghai",
        "Europe/Moscow",
        "America/New_York",
        "Pacific/Kiritimati",
        "Pacific/Pago_Pago",
    ]
)


def test_fy_2564_runs_from_october_2020_to_september_2021():
    fy = FiscalYear(2564)
    assert fy.first_day == dt.date(2020, 10, 1)
    assert fy.last_day == dt.date(2021, 9, 30)
    assert fy.start == dt.datetime(2020, 10, 1, tzinfo=BANGKOK)
    assert fy.end == dt.datetime(2021, 10, 1, tzinfo=BANGKOK)


def test_labels_in_both_languages():
    fy = FiscalYear(2564)
    assert fy.label_th() == "ปีงบประมาณ พ.ศ. 2564"
    assert fy.label_en() == "FY 2564 (Oct 2020 – Sep 2021)"
    assert fy.label("th") == "ปีงบประมาณ พ.ศ. 2564"
    assert fy.label("en") == "FY 2564 (Oct 2020 – Sep 2021)"


def test_halves_are_october_to_march_and_april_to_september():
    first, second = FiscalYear(2564).halves
    assert (first.first_day, first.last_day) == (dt.date(2020, 10, 1), dt.date(2021, 3, 31))
    assert (second.first_day, second.last_day) == (dt.date(2021, 4, 1), dt.date(2021, 9, 30))
    assert first.next() == second
    assert second.next() == FiscalHalf(2565, 1)


def test_a_ce_year_is_refused():
    with pytest.raises(ValueError, match="BE year"):
        FiscalYear(2021)


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        fiscal_year_of(dt.datetime(2021, 1, 1))


@pytest.mark.parametrize(
    ("utc_moment", "expected"),
    [
        # 30 Sep 2021 17:00 UTC is 1 Oct 2021 00:00 in Bangkok: FY 2565 has begun.
        (dt.datetime(2021, 9, 30, 17, 0, tzinfo=dt.UTC), 2565),
        (dt.datetime(2021, 9, 30, 16, 59, 59, tzinfo=dt.UTC), 2564),
        # 31 Mar 17:00 UTC is 1 Apr in Bangkok: the second half.
        (dt.datetime(2021, 3, 31, 17, 0, tzinfo=dt.UTC), 2564),
    ],
)
def test_midnight_in_bangkok_decides(utc_moment, expected):
    assert fiscal_year_of(utc_moment).be_year == expected


def test_half_boundary_at_bangkok_midnight():
    assert half_of(dt.datetime(2021, 3, 31, 16, 59, tzinfo=dt.UTC)) == FiscalHalf(2564, 1)
    assert half_of(dt.datetime(2021, 3, 31, 17, 0, tzinfo=dt.UTC)) == FiscalHalf(2564, 2)


@given(
    st.datetimes(
        min_value=dt.datetime(1990, 1, 1),
        max_value=dt.datetime(2100, 1, 1),
        timezones=ZONES.map(ZoneInfo),
    )
)
def test_every_moment_lies_inside_its_fiscal_year_and_half(moment):
    fy = fiscal_year_of(moment)
    assert fy.start <= moment < fy.end
    half = half_of(moment)
    assert half.fiscal_year == fy.be_year
    assert half.start <= moment < half.end


@given(st.integers(min_value=2530, max_value=2640))
def test_years_tile_without_gap_or_overlap(be_year):
    fy = FiscalYear(be_year)
    assert fy.end == fy.next().start
    first, second = fy.halves
    assert first.start == fy.start and first.end == second.start and second.end == fy.end
    just_before = fy.start - dt.timedelta(microseconds=1)
    assert fiscal_year_of(just_before) == fy.previous()
    assert fiscal_year_of(fy.start) == fy
    assert fy.last_day.month == 9 and fy.last_day.day == 30


@given(st.integers(min_value=2530, max_value=2640), ZONES)
def test_bounds_seen_from_another_zone(be_year, zone):
    fy = FiscalYear(be_year)
    seen_elsewhere = fy.start.astimezone(ZoneInfo(zone))
    assert fiscal_year_of(seen_elsewhere) == fy
    assert fiscal_year_of(seen_elsewhere - dt.timedelta(seconds=1)) == fy.previous()
