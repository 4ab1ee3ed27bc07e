"""The planner: a weekday slot in every participating city's office hours, off holidays.

Pure functions over dates and time zones (no database), so that property tests can
throw any city at them. A slot is proposed in Bangkok's calendar: for each candidate
day of the month and each start time on a grid inside Bangkok's office hours, the slot
must also fall on a working day, off public holidays and inside office hours in every
city's own time zone.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import translation
from django.utils.dates import WEEKDAYS
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.thai import BE_OFFSET

BANGKOK_ZONE = "Asia/Bangkok"
BANGKOK_COUNTRY = "TH"
GRID_MINUTES = 30
# Mid-month leaves the weeks before the session for the coordination steps of the plan.
DEFAULT_PREFERRED_DAY = 15
CONNECTION_TEST_DAYS_BEFORE = 7


@dataclass(frozen=True)
class PlaceHours:
    """A place whose working day constrains the slot: Bangkok or a sister city."""

    name: str | Promise  # Bangkok's is translated when shown
    time_zone: str
    country: str


@dataclass(frozen=True)
class OfficeHours:
    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(16, 30)


@dataclass(frozen=True)
class LocalTime:
    place: PlaceHours
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class Slot:
    start: dt.datetime  # aware
    end: dt.datetime

    def local_times(self, places: Iterable[PlaceHours]) -> list[LocalTime]:
        return [
            LocalTime(
                place,
                self.start.astimezone(ZoneInfo(place.time_zone)),
                self.end.astimezone(ZoneInfo(place.time_zone)),
            )
            for place in places
        ]


@dataclass(frozen=True)
class SkippedDay:
    day: dt.date
    reason: str


@dataclass
class Proposal:
    month: int
    year: int  # CE
    slot: Slot | None
    places: list[PlaceHours]
    skipped: list[SkippedDay] = field(default_factory=list)

    @property
    def local_times(self) -> list[LocalTime]:
        return self.slot.local_times(self.places) if self.slot else []


BANGKOK = PlaceHours(name=gettext_lazy("Bangkok"), time_zone=BANGKOK_ZONE, country=BANGKOK_COUNTRY)


@lru_cache(maxsize=512)
def _holidays_of(country: str, year: int, language: str) -> dict[dt.date, str]:
    try:
        entity = holidays.country_holidays(country, years=year)
    except NotImplementedError:  # a country the package does not cover: no holidays known
        return {}
    # Holiday names in the reader's language where the package has it.
    wanted = {"th": "th", "en": "en_US"}.get(language[:2])
    if wanted and wanted in getattr(entity, "supported_languages", ()):
        entity = holidays.country_holidays(country, years=year, language=wanted)
    return dict(entity)


def holiday_name(country: str, day: dt.date) -> str | None:
    language = translation.get_language() or "th"
    return _holidays_of(country, day.year, language).get(day)


def session_month_year(fiscal_year_be: int, month: int) -> int:
    """The CE year of a month of a Thai fiscal year (October to September)."""
    ce_end_year = fiscal_year_be - BE_OFFSET
    return ce_end_year - 1 if month >= 10 else ce_end_year


def in_fiscal_order(months: Iterable[int]) -> list[int]:
    """Calendar months in the order of a Thai fiscal year: October first."""
    return sorted(months, key=lambda m: (m < 10, m))


def _places(cities: Sequence[PlaceHours]) -> list[PlaceHours]:
    unique = [BANGKOK]
    for city in cities:
        if city not in unique:
            unique.append(city)
    return unique


def _day_problem(place: PlaceHours, local_day: dt.date) -> str | None:
    if local_day.weekday() >= 5:
        return _("%(day)s is a weekend in %(place)s") % {
            "day": WEEKDAYS[local_day.weekday()],
            "place": place.name,
        }
    name = holiday_name(place.country, local_day)
    if name:
        return _("%(holiday)s (public holiday in %(place)s)") % {
            "holiday": name,
            "place": place.name,
        }
    return None


def slot_fits(
    start: dt.datetime, end: dt.datetime, places: Sequence[PlaceHours], hours: OfficeHours
) -> bool:
    """True when [start, end] lies inside office hours of one working day in every place."""
    return all(_fits_place(start, end, place, hours) for place in places)


def _fits_place(start: dt.datetime, end: dt.datetime, place: PlaceHours, hours: OfficeHours):
    zone = ZoneInfo(place.time_zone)
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    if local_start.date() != local_end.date():
        return False
    if _day_problem(place, local_start.date()):
        return False
    return hours.start <= local_start.time() and local_end.time() <= hours.end


def _candidate_days(year: int, month: int, preferred_day: int) -> list[dt.date]:
    last = calendar.monthrange(year, month)[1]
    preferred = min(max(preferred_day, 1), last)
    after = [dt.date(year, month, d) for d in range(preferred, last + 1)]
    before = [dt.date(year, month, d) for d in range(preferred - 1, 0, -1)]
    return after + before


def first_slot_on(
    day: dt.date, places: Sequence[PlaceHours], minutes: int, hours: OfficeHours
) -> Slot | None:
    """The earliest slot of `minutes` on Bangkok day `day` that fits every place."""
    zone = ZoneInfo(BANGKOK_ZONE)
    length = dt.timedelta(minutes=minutes)
    start = dt.datetime.combine(day, hours.start, tzinfo=zone)
    latest = dt.datetime.combine(day, hours.end, tzinfo=zone) - length
    while start <= latest:
        if slot_fits(start, start + length, places, hours):
            return Slot(start, start + length)
        start += dt.timedelta(minutes=GRID_MINUTES)
    return None


def _why_not(day: dt.date, places: Sequence[PlaceHours]) -> str:
    for place in places:
        # The Bangkok day decides; a far city may be on the day before or after.
        problem = _day_problem(place, day) if place is BANGKOK else None
        if problem:
            return problem
    for place in places:
        if place is BANGKOK:
            continue
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=ZoneInfo(BANGKOK_ZONE))
        problem = _day_problem(place, noon.astimezone(ZoneInfo(place.time_zone)).date())
        if problem:
            return problem
    return _("no common office hours")


def propose_slot(
    year: int,
    month: int,
    cities: Sequence[PlaceHours] = (),
    *,
    minutes: int = 120,
    hours: OfficeHours = OfficeHours(),
    preferred_day: int = DEFAULT_PREFERRED_DAY,
) -> Proposal:
    """A slot in the given CE month: the first working day from `preferred_day` on
    (then the days before it) with a common slot; None when the month has none."""
    places = _places(cities)
    proposal = Proposal(month=month, year=year, slot=None, places=places)
    for day in _candidate_days(year, month, preferred_day):
        slot = first_slot_on(day, places, minutes, hours)
        if slot:
            proposal.slot = slot
            return proposal
        proposal.skipped.append(SkippedDay(day, _why_not(day, places)))
    return proposal


def propose_year(
    fiscal_year_be: int,
    months: Sequence[int],
    cities_per_session: Sequence[Sequence[PlaceHours]] | None = None,
    *,
    minutes: int = 120,
    hours: OfficeHours = OfficeHours(),
    preferred_day: int = DEFAULT_PREFERRED_DAY,
) -> list[Proposal]:
    """One proposal per month, in fiscal order, each with the cities of that session."""
    cities_per_session = cities_per_session or [()] * len(months)
    ordered = in_fiscal_order(months)
    return [
        propose_slot(
            session_month_year(fiscal_year_be, month),
            month,
            cities,
            minutes=minutes,
            hours=hours,
            preferred_day=preferred_day,
        )
        for month, cities in zip(ordered, cities_per_session, strict=False)
    ]


def propose_connection_test(
    session_start: dt.datetime,
    cities: Sequence[PlaceHours] = (),
    *,
    minutes: int = 30,
    hours: OfficeHours = OfficeHours(),
    days_before: int = CONNECTION_TEST_DAYS_BEFORE,
    not_before: dt.datetime | None = None,
) -> Slot | None:
    """A shorter slot about a week before the session, at the latest; earlier if needed."""
    places = _places(cities)
    day = session_start.astimezone(ZoneInfo(BANGKOK_ZONE)).date() - dt.timedelta(days_before)
    for offset in range(0, 28):
        candidate = day - dt.timedelta(days=offset)
        slot = first_slot_on(candidate, places, minutes, hours)
        if slot and (not_before is None or slot.start >= not_before):
            return slot
    # Nothing a week ahead: try the days between then and the session.
    for offset in range(1, days_before):
        candidate = day + dt.timedelta(days=offset)
        slot = first_slot_on(candidate, places, minutes, hours)
        if slot and slot.end <= session_start and (not_before is None or slot.start >= not_before):
            return slot
    return None
