"""A programme year with two held sessions, and helpers to record attendance and contacts."""

from __future__ import annotations

import datetime as dt

import pytest

from core.fiscal import BANGKOK, half_of
from meetings.models import Session
from outcomes.models import Contact, Submission

from ..factories import (
    OutcomeContactFactory,
    ProgrammeYearFactory,
    ReportingPeriodFactory,
    SessionFactory,
    ShortlistEntryFactory,
    SisterCityFactory,
    SubmissionFactory,
)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BANGKOK)


@pytest.fixture
def year(db):
    return ProgrammeYearFactory(fiscal_year=2569)


@pytest.fixture
def seoul(db):
    return SisterCityFactory(name_en="Seoul", name_th="โซล")


@pytest.fixture
def fukuoka(db):
    return SisterCityFactory(name_en="Fukuoka Prefecture", name_th="จังหวัดฟุกุโอกะ")


@pytest.fixture
def shanghai(db):
    return SisterCityFactory(name_en="Shanghai", name_th="เซี่ยงไฮ้", country="CN")


def make_session(year, number, cities, day, status=Session.Status.HELD, hour=10):
    extra = {"cancel_reason": "The city could not take part."} if status == "cancelled" else {}
    session = SessionFactory(
        **extra,
        year=year,
        number=number,
        starts_at=at(day, hour),
        ends_at=at(day, hour) + dt.timedelta(hours=3),
        status=status,
    )
    session.cities.set(cities)
    return session


@pytest.fixture
def session1(year, seoul):
    """Session 1 with Seoul, held on 15 January 2026 (FY 2569, first half)."""
    return make_session(year, 1, [seoul], dt.date(2026, 1, 15))


@pytest.fixture
def session2(year, fukuoka):
    """Session 2 with Fukuoka, held on 20 May 2026 (FY 2569, second half)."""
    return make_session(year, 2, [fukuoka], dt.date(2026, 5, 20))


def attend(vendor, session, attended=True):
    return ShortlistEntryFactory(vendor=vendor, session=session, attended=attended)


def submission_for(vendor, day: dt.date, status=Submission.Status.ACCEPTED):
    half = half_of(day)
    period = ReportingPeriodFactory(fiscal_year=half.fiscal_year, half=half.half)
    submission = Submission.objects.filter(vendor=vendor, period=period).first()
    if submission is None:
        extra = {"return_reason": "Please check the dates."} if status == "returned" else {}
        submission = SubmissionFactory(vendor=vendor, period=period, status=status, **extra)
    return submission


def buying_contact(vendor, city, day, *, status=Submission.Status.ACCEPTED, **kwargs):
    return OutcomeContactFactory(
        submission=submission_for(vendor, day, status),
        city=city,
        contacted_on=day,
        **{"about_buying": True, "counterpart_kind": Contact.CounterpartKind.BUSINESS, **kwargs},
    )
