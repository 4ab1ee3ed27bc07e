"""Shared helpers and fixtures of the meetings tests (imported by the test modules)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from core.fiscal import current_fiscal_year
from meetings.models import Session
from meetings.services.sessions import (
    session_mark_city_confirmed,
    session_mark_city_invited,
    session_update_details,
)
from meetings.services.years import programme_year_plan

from ..factories import CityContactFactory, SisterCityFactory

BANGKOK = ZoneInfo("Asia/Bangkok")


def next_fiscal_year() -> int:
    """A year wholly in the future, so every planned session can still be scheduled."""
    return current_fiscal_year().next().be_year


def bangkok(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=BANGKOK)


def ce_year_of(fiscal_year: int, month: int) -> int:
    return fiscal_year - 543 - (1 if month >= 10 else 0)


@pytest.fixture
def seoul(db):
    city = SisterCityFactory(name_en="Seoul", name_th="โซล", country="KR", time_zone="Asia/Seoul")
    CityContactFactory(city=city, name="Kim Min-jun", email="kim@seoul.example.kr")
    return city


@pytest.fixture
def shanghai(db):
    city = SisterCityFactory(
        name_en="Shanghai", name_th="เซี่ยงไฮ้", country="CN", time_zone="Asia/Shanghai"
    )
    CityContactFactory(city=city, name="Li Wei", email="li@shanghai.example.cn")
    return city


@pytest.fixture
def planned_year(fao_user):
    return programme_year_plan(fiscal_year=next_fiscal_year(), acting_user=fao_user)


@pytest.fixture
def confirmed_session(planned_year, seoul, fao_user) -> Session:
    """Session 1 of next year, with Seoul, invited and confirmed."""
    session = planned_year.sessions.get(number=1)
    session_update_details(
        session_id=session.pk, cities=[seoul], organizer_mailbox="", acting_user=fao_user
    )
    session_mark_city_invited(session_id=session.pk, acting_user=fao_user)
    session_mark_city_confirmed(session_id=session.pk, acting_user=fao_user)
    return Session.objects.get(pk=session.pk)


def in_past(session: Session, *, hours: int = 2) -> Session:
    """Move a session (and its test) into the past, as if time had passed."""
    start = timezone.now() - dt.timedelta(hours=hours)
    Session.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    session.refresh_from_db()
    return session
