"""Thai conventions Django does not cover: the Buddhist Era year and Thai digits.

Django's own `th` locale prints the CE year (`23 พฤศจิกายน 2026`); official Thai
documents print the BE year (`23 พฤศจิกายน 2569`) and often Thai digits (๒๕๖๙).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any, cast

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import dateformat, timezone, translation
from django.utils.formats import get_format

BE_OFFSET = 543
# A four-digit year above this is taken to be a BE year: CE 2400 is far in the future
# and BE 2400 (CE 1857) is before any record this portal keeps.
BE_YEAR_THRESHOLD = 2400

_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_FROM_THAI = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def to_be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def to_ce_year(year: int) -> int:
    """A year typed by a user, BE or CE, as a CE year."""
    return year - BE_OFFSET if year > BE_YEAR_THRESHOLD else year


def thai_digits(text: object) -> str:
    return str(text).translate(_TO_THAI)


def arabic_digits(text: str) -> str:
    return text.translate(_FROM_THAI)


def _thai_is_active() -> bool:
    return (translation.get_language() or "").startswith("th")


def install_buddhist_era_years() -> None:
    """Make Django's year format characters (`Y`, `y`) print the BE year in Thai.

    Django's `th` locale prints the CE year with Thai month names (`15 เมษายน 2027`).
    With this, every date Django formats while Thai is active (the admin's lists,
    read-only fields and history pages, the `date` filter, `bedate`) shows the BE year;
    other languages keep the CE year. Called once from CoreConfig.ready().
    """
    date_format = dateformat.DateFormat
    if getattr(date_format, "_be_years", False):
        return
    ce_year, ce_short_year = date_format.Y, date_format.y

    def Y(self: dateformat.DateFormat) -> str:
        return (
            f"{to_be_year(cast(dt.date, self.data).year):04d}"
            if _thai_is_active()
            else str(ce_year(self))
        )

    def y(self: dateformat.DateFormat) -> str:
        if _thai_is_active():
            return f"{to_be_year(cast(dt.date, self.data).year) % 100:02d}"
        return str(ce_short_year(self))

    # Patching the class is the point (every DateFormat, the admin's included, gets the BE
    # year); the stubs type Y and y as returning int, Django's code returns str.
    date_format.Y, date_format.y = Y, y  # type: ignore[method-assign,assignment]
    setattr(date_format, "_be_years", True)  # noqa: B010  # a marker attribute Django lacks


def format_date(
    value: dt.date | dt.datetime,
    fmt: str | None = None,
    *,
    language: str | None = None,
    digits: str = "arabic",
) -> str:
    """Format a date (or aware datetime, shown in the current time zone).

    In Thai the year is the Buddhist Era year; in other languages the CE year. `fmt`
    is a Django date format string or the name of a format (DATE_FORMAT, ...).
    """
    install_buddhist_era_years()
    language = language or translation.get_language() or "th"
    fmt = fmt or "DATE_FORMAT"
    if not isinstance(fmt, str):  # a lazy format reads as in the language asked for
        with translation.override(language):
            fmt = str(fmt)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        # Equal aware datetimes may be different wall times: the memo keys on the wall
        # time, its zone and its fold, never on the instant alone.
        return _formatted_moment(
            value.replace(tzinfo=None), value.tzinfo, value.fold, fmt, language, digits
        )
    if isinstance(value, dt.date):
        return _formatted(value, fmt, language, digits)
    return _format_now(value, fmt, language, digits)


# A list page formats the same few dates over and over (a page of 50 vendors: 50 expiry
# dates), at 70-110 microseconds each through Django's DateFormat (#19). The text depends
# only on the value, the format, the language and the digits: the catalogues and formats
# do not change while the process runs.
@functools.lru_cache(maxsize=8192)
def _formatted(value: dt.date, fmt: str, language: str, digits: str) -> str:
    return _format_now(value, fmt, language, digits)


@functools.lru_cache(maxsize=8192)
def _formatted_moment(
    wall: dt.datetime, zone: dt.tzinfo | None, fold: int, fmt: str, language: str, digits: str
) -> str:
    return _format_now(wall.replace(tzinfo=zone, fold=fold), fmt, language, digits)


@receiver(setting_changed)
def _forget_formatted(**_kwargs: Any) -> None:
    """A test that overrides a format or the languages gets texts made under it."""
    _formatted.cache_clear()
    _formatted_moment.cache_clear()


def _format_now(value: Any, fmt: str, language: str, digits: str) -> str:
    with translation.override(language):
        if fmt.isupper() and fmt.endswith("FORMAT"):
            fmt = get_format(fmt, lang=language)
        text = dateformat.format(value, fmt)
    return thai_digits(text) if digits == "thai" else text


def short_date(value: dt.date | dt.datetime | None) -> str:
    """A date in a record's name: `10 พ.ย. 2569` in Thai, `10/11/2026` in English."""
    return "" if value is None else format_date(value, "SHORT_DATE_FORMAT")


_DATE_PATTERNS = (
    re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
)


# An era written after the date says how to read its year, whatever the year is.
_BE_SUFFIX = re.compile(r"\s*(?:พ\.?\s?ศ\.?|B\.?E\.?)$", re.IGNORECASE)
_CE_SUFFIX = re.compile(r"\s*(?:ค\.?\s?ศ\.?|C\.?E\.?|A\.?D\.?)$", re.IGNORECASE)


def _date_parts(text: str) -> tuple[int, int, int] | None:
    """The (CE year, month, day) written in one of the accepted forms, whether or not
    such a day exists; None when the text is not in one of the forms."""
    text = arabic_digits(text.strip())
    era = None
    for name, suffix in (("BE", _BE_SUFFIX), ("CE", _CE_SUFFIX)):
        if suffix.search(text):
            era, text = name, suffix.sub("", text)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year = int(match["y"])
            year = {"BE": year - BE_OFFSET, "CE": year}.get(era or "", to_ce_year(year))
            return year, int(match["m"]), int(match["d"])
    return None


def parse_date(text: str) -> dt.date | None:
    """Parse `23/11/2569`, `23/11/2026`, `2569-11-23` or Thai-digit forms of them.

    A year above 2400 is BE unless the era follows the date (`10/11/2569 CE`,
    `10/11/2300 พ.ศ.`). Returns None when the text is not a date in one of these forms.
    """
    parts = _date_parts(text)
    if parts is None:
        return None
    try:
        return dt.date(*parts)
    except ValueError:
        return None


@dataclass(frozen=True)
class MissingDay:
    """A date written in an accepted form that the calendar does not have (31/02/2569):
    `days` is None when the month itself does not exist."""

    year: int
    month: int
    days: int | None


def missing_day(text: str) -> MissingDay | None:
    """Why a well-formed date is not a date: a month outside 1-12, or a day outside its
    month. None when the text is a real date, or not in an accepted form at all."""
    parts = _date_parts(text)
    if parts is None or parse_date(text) is not None:
        return None
    year, month, _day = parts
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return None
    if not 1 <= month <= 12:
        return MissingDay(year, month, None)
    return MissingDay(year, month, calendar.monthrange(year, month)[1])


def format_input_date(value: dt.date) -> str:
    """A date as a date input shows it (dd/mm/yyyy, the reader's year) such that
    `parse_date` reads it back unchanged: where the year alone would be misread (a CE
    year above 2400 stored by mistake, or a BE year of 2400 or less), the era follows."""
    text = format_date(value, "d/m/Y")
    shown_year = int(text.rsplit("/", 1)[-1])
    if to_ce_year(shown_year) != value.year:
        text += " พ.ศ." if shown_year != value.year else " CE"
    return text
