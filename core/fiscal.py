"""The Thai government fiscal year.

FY BE 2564 runs from 1 October 2020 to 30 September 2021: a fiscal year is named by the
BE year in which it *ends* (unlike DHIS2's FinancialOct, named by its start year). All
bounds are midnight in Asia/Bangkok, whatever time zone the caller works in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from .thai import BE_OFFSET, BE_YEAR_THRESHOLD

BANGKOK = ZoneInfo("Asia/Bangkok")
FIRST_MONTH = 10

_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, order=True)
class FiscalHalf:
    """One of the two six-month reporting periods of a fiscal year."""

    fiscal_year: int  # BE
    half: int  # 1: Oct–Mar, 2: Apr–Sep

    @property
    def start(self) -> dt.datetime:
        ce_start_year = self.fiscal_year - BE_OFFSET - 1
        if self.half == 1:
            return dt.datetime(ce_start_year, 10, 1, tzinfo=BANGKOK)
        return dt.datetime(ce_start_year + 1, 4, 1, tzinfo=BANGKOK)

    @property
    def end(self) -> dt.datetime:
        """Exclusive end: the first instant of the next half."""
        ce_end_year = self.fiscal_year - BE_OFFSET
        if self.half == 1:
            return dt.datetime(ce_end_year, 4, 1, tzinfo=BANGKOK)
        return dt.datetime(ce_end_year, 10, 1, tzinfo=BANGKOK)

    @property
    def first_day(self) -> dt.date:
        return self.start.date()

    @property
    def last_day(self) -> dt.date:
        return (self.end - dt.timedelta(days=1)).date()

    def contains(self, moment: dt.datetime | dt.date) -> bool:
        return half_of(moment) == self

    def label(self) -> str:
        if self.half == 1:
            return _("FY %(year)s, first half (Oct–Mar)") % {"year": self.fiscal_year}
        return _("FY %(year)s, second half (Apr–Sep)") % {"year": self.fiscal_year}

    def next(self) -> FiscalHalf:
        if self.half == 1:
            return FiscalHalf(self.fiscal_year, 2)
        return FiscalHalf(self.fiscal_year + 1, 1)


@dataclass(frozen=True, order=True)
class FiscalYear:
    be_year: int

    def __post_init__(self) -> None:
        if self.be_year <= BE_YEAR_THRESHOLD:
            raise ValueError(f"A fiscal year is named by its BE year, got {self.be_year}.")

    @property
    def start(self) -> dt.datetime:
        return dt.datetime(self.be_year - BE_OFFSET - 1, FIRST_MONTH, 1, tzinfo=BANGKOK)

    @property
    def end(self) -> dt.datetime:
        """Exclusive end: midnight of 1 October, Bangkok time."""
        return dt.datetime(self.be_year - BE_OFFSET, FIRST_MONTH, 1, tzinfo=BANGKOK)

    @property
    def first_day(self) -> dt.date:
        return self.start.date()

    @property
    def last_day(self) -> dt.date:
        return (self.end - dt.timedelta(days=1)).date()

    @property
    def halves(self) -> tuple[FiscalHalf, FiscalHalf]:
        return FiscalHalf(self.be_year, 1), FiscalHalf(self.be_year, 2)

    def contains(self, moment: dt.datetime | dt.date) -> bool:
        return fiscal_year_of(moment) == self

    def label_th(self) -> str:
        return f"ปีงบประมาณ พ.ศ. {self.be_year}"

    def label_en(self) -> str:
        start, end = self.first_day, self.last_day
        return (
            f"FY {self.be_year} ({_EN_MONTHS[start.month - 1]} {start.year} – "
            f"{_EN_MONTHS[end.month - 1]} {end.year})"
        )

    def label(self, language: str | None = None) -> str:
        from django.utils import translation

        language = language or translation.get_language() or "th"
        return self.label_th() if language.startswith("th") else self.label_en()

    def __str__(self) -> str:
        return self.label()

    def previous(self) -> FiscalYear:
        return FiscalYear(self.be_year - 1)

    def next(self) -> FiscalYear:
        return FiscalYear(self.be_year + 1)


def _bangkok_date(moment: dt.datetime | dt.date) -> dt.date:
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None:
            raise ValueError("A naive datetime has no fiscal year: give it a time zone.")
        return moment.astimezone(BANGKOK).date()
    return moment


def fiscal_year_of(moment: dt.datetime | dt.date) -> FiscalYear:
    """The fiscal year of an aware datetime (taken in Bangkok) or of a calendar date."""
    day = _bangkok_date(moment)
    ce_end_year = day.year + 1 if day.month >= FIRST_MONTH else day.year
    return FiscalYear(ce_end_year + BE_OFFSET)


def half_of(moment: dt.datetime | dt.date) -> FiscalHalf:
    day = _bangkok_date(moment)
    fiscal_year = fiscal_year_of(day)
    half = 2 if 4 <= day.month <= 9 else 1
    return FiscalHalf(fiscal_year.be_year, half)


def current_fiscal_year() -> FiscalYear:
    from django.utils import timezone

    return fiscal_year_of(timezone.now())
