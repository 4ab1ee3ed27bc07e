"""Thai conventions Django does not cover: the Buddhist Era year and Thai digits.

Django's own `th` locale prints the CE year (`23 พฤศจิกายน 2026`); official Thai
documents print the BE year (`23 พฤศจิกายน 2569`) and often Thai digits (๒๕๖๙).
"""

from __future__ import annotations

import datetime as dt
import re

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


# Format characters Django replaces with the year; a backslash escapes a character.
_YEAR_CHARS = re.compile(r"(\\.)|([Yyo])")


def _escape_literal(text: str) -> str:
    return "".join("\\" + ch for ch in text)


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
    language = language or translation.get_language() or "th"
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    with translation.override(language):
        fmt = fmt or "DATE_FORMAT"
        if fmt.isupper() and fmt.endswith("FORMAT"):
            fmt = get_format(fmt, lang=language)
        if language.startswith("th"):
            be_year = to_be_year(value.year)

            def replace(match: re.Match) -> str:
                if match.group(1):
                    return match.group(1)
                char = match.group(2)
                if char == "y":
                    return _escape_literal(f"{be_year % 100:02d}")
                return _escape_literal(str(be_year))

            fmt = _YEAR_CHARS.sub(replace, fmt)
        text = dateformat.format(value, fmt)
    return thai_digits(text) if digits == "thai" else text


_DATE_PATTERNS = (
    re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
)


def parse_date(text: str) -> dt.date | None:
    """Parse `23/11/2569`, `23/11/2026`, `2569-11-23` or Thai-digit forms of them.

    Returns None when the text is not a date in one of these forms.
    """
    text = arabic_digits(text.strip())
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(to_ce_year(int(match["y"])), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    return None
