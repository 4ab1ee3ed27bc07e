"""Fixtures of the meetings tests (the Teams client's own tests ignore them)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from meetings.models import Session
from meetings.services.sessions import (
    session_mark_city_confirmed,
    session_mark_city_invited,
    session_update_details,
)
from meetings.services.years import programme_year_plan
from microsoft import teams

from ..factories import CityContactFactory, SisterCityFactory
from ..worker import lock_holder  # noqa: F401  (fixture)
from .attendance_support import held  # noqa: F401  (fixture)
from .support import next_fiscal_year


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


@dataclass
class RecordingBackend(teams.LocalTeamsBackend):
    """The local backend, keeping each call; `fail` scripts the next calls' errors."""

    calls: list[tuple] = field(default_factory=list)
    fail: list[Exception] = field(default_factory=list)

    def _record(self, *call):
        self.calls.append(call)
        if self.fail:
            raise self.fail.pop(0)

    def create_meeting(self, spec):
        self._record("create", spec)
        return super().create_meeting(spec)

    def update_meeting(self, event_id, spec):
        self._record("update", event_id, spec)
        return super().update_meeting(event_id, spec)

    def cancel_meeting(self, event_id, comment):
        self._record("cancel", event_id, comment)
        return super().cancel_meeting(event_id, comment)


@pytest.fixture
def teams_backend(monkeypatch) -> RecordingBackend:
    backend = RecordingBackend()
    monkeypatch.setattr(teams, "get_backend", lambda: backend)
    return backend
