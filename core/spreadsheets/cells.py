"""Turning what a cell holds into a clean Python value.

Cells come from python-calamine as str, float, int, bool, date, datetime, time or
timedelta. People type Thai digits, BE years, dates as text, thousands separators and
stray line breaks; the helpers here accept all of that and raise CellError otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from core.thai import BE_YEAR_THRESHOLD, arabic_digits, to_ce_year

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel's own range of dates, 1 Jan 1900 to 31 Dec 9999.
EXCEL_MAX_SERIAL = 2_958_465
# A small number in a date column is a quantity typed in the wrong place, not a date of
# the 1900s: serial numbers are taken as dates from 1 January 1950 on.
EXCEL_MIN_SERIAL = 18_264
EXCEL_ERRORS = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!"})

# Characters that are invisible but break matching: zero-width space (common in Thai
# text copied from the web), joiners, the byte-order mark, soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u3000]+")
_ANY_SPACE = re.compile(r"\s+")
_X000D = re.compile(r"_x000[dD]_")
_THAI_DIGIT = re.compile("[๐-๙]")


class CellError(Exception):
    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(code)


def is_blank(value: object) -> bool:
    if value is None or value == "":
        return True
    return isinstance(value, str) and not value.strip()


def is_clean_text(text: str) -> bool:
    """Whether clean_text would return `text` unchanged (checked with C-speed methods:
    isprintable is false for tabs, line breaks, no-break and zero-width spaces)."""
    return (
        text.isprintable()
        and text[:1] != " "
        and text[-1:] != " "
        and "  " not in text
        and "_x000" not in text
        and (text.isascii() or unicodedata.is_normalized("NFC", text))
    )


def clean_text(value: object, *, multiline: bool = False) -> str:
    """A cell as text: no `_x000D_`, no invisible characters, spaces collapsed."""
    if isinstance(value, str):
        if is_clean_text(value):
            return value
        text = value
    elif isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        # A code typed into a number cell (a phone or certificate number) comes as 1234.0.
        text = str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
    elif value is None:
        return ""
    else:
        text = str(value)
    if "_x000" in text:
        text = _X000D.sub("", text)
    text = text.translate(_INVISIBLE)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if multiline:
        lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
        text = "\n".join(lines)
        return re.sub(r"\n{3,}", "\n\n", text).strip()
    return _ANY_SPACE.sub(" ", text).strip()


def check_excel_error(value: object) -> None:
    if isinstance(value, str) and value in EXCEL_ERRORS:
        raise CellError("formula_error", value=value)


_NUMBER_NOISE = re.compile(r"[\s,฿]|บาท|THB", re.IGNORECASE)


def to_decimal(value: object) -> Decimal:
    check_excel_error(value)
    if isinstance(value, bool):
        raise CellError("not_number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr gives the shortest text that reads back as the same float: 19.99, not
        # 19.989999999999998436805981327779591083526611328125.
        return Decimal(repr(value))
    text = clean_text(value)
    if _THAI_DIGIT.search(text):
        text = arabic_digits(text)
    text = _NUMBER_NOISE.sub("", text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError("not_number") from None
    if not number.is_finite():
        raise CellError("not_number")
    return number


def to_integer(value: object) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    try:
        number = to_decimal(value)
    except CellError as exc:
        raise CellError("not_integer") if exc.code == "not_number" else exc from None
    if number != number.to_integral_value():
        raise CellError("not_integer")
    return int(number)


_MONTHS = {
    **{
        name: i
        for i, names in enumerate(
            [
                ("มกราคม", "ม.ค.", "มค", "jan", "january"),
                ("กุมภาพันธ์", "ก.พ.", "กพ", "feb", "february"),
                ("มีนาคม", "มี.ค.", "มีค", "mar", "march"),
                ("เมษายน", "เม.ย.", "เมย", "apr", "april"),
                ("พฤษภาคม", "พ.ค.", "พค", "may"),
                ("มิถุนายน", "มิ.ย.", "มิย", "jun", "june"),
                ("กรกฎาคม", "ก.ค.", "กค", "jul", "july"),
                ("สิงหาคม", "ส.ค.", "สค", "aug", "august"),
                ("กันยายน", "ก.ย.", "กย", "sep", "sept", "september"),
                ("ตุลาคม", "ต.ค.", "ตค", "oct", "october"),
                ("พฤศจิกายน", "พ.ย.", "พย", "nov", "november"),
                ("ธันวาคม", "ธ.ค.", "ธค", "dec", "december"),
            ],
            start=1,
        )
        for name in names
    }
}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_WORD_DATE = re.compile(r"^(\d{1,2})\s*([^\d\s]+)\s*(?:พ\.ศ\.|ค\.ศ\.)?\s*(\d{2}|\d{4})$")


def _plausible(date: dt.date) -> dt.date:
    # Dates in this portal are certificates, letters and meetings: none before 1900.
    if not (1900 <= date.year <= 2200):
        raise CellError("date_out_of_range", date=date.isoformat())
    return date


def _from_be(date: dt.date) -> dt.date:
    """A date typed with a BE year into an English Excel comes back 543 years ahead."""
    if date.year > BE_YEAR_THRESHOLD:
        try:
            return date.replace(year=date.year - 543)
        except ValueError:  # 29 February of a BE year that is not a CE leap year
            raise CellError("not_date") from None
    return date


def _build(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(to_ce_year(year), month, day)
    except ValueError:
        raise CellError("not_date") from None


def to_date(value: object) -> dt.date:
    check_excel_error(value)
    if isinstance(value, dt.datetime):
        return _plausible(_from_be(value.date()))
    if isinstance(value, dt.date):
        return _plausible(_from_be(value))
    if isinstance(value, bool):
        raise CellError("not_date")
    if isinstance(value, int | float):
        # A date cell without a date format reaches us as its Excel serial number.
        if not (EXCEL_MIN_SERIAL <= value <= EXCEL_MAX_SERIAL) or not float(value).is_integer():
            raise CellError("not_date")
        return _plausible(EXCEL_EPOCH + dt.timedelta(days=int(value)))
    text = clean_text(value)
    if _THAI_DIGIT.search(text):
        text = arabic_digits(text)
    if text.isdigit() and len(text) == 5:  # a serial number pasted as text
        return to_date(int(text))
    match = _NUMERIC_DATE.match(text)
    if match:
        day, month, year = match.groups()
        if len(year) == 2:
            raise CellError("two_digit_year", year=year)
        return _plausible(_build(int(year), int(month), int(day)))
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = match.groups()
        return _plausible(_build(int(year), int(month), int(day)))
    match = _WORD_DATE.match(text)
    if match:
        day, word, year = match.groups()
        month = _MONTHS.get(word.casefold()) or _MONTHS.get(word.casefold().rstrip("."))
        if month is None:
            raise CellError("not_date")
        if len(year) == 2:
            raise CellError("two_digit_year", year=year)
        return _plausible(_build(int(year), month, int(day)))
    raise CellError("not_date")


_TRUE = frozenset({"yes", "y", "true", "1", "ใช่", "มี", "ได้", "✓", "✔", "x"})
_FALSE = frozenset({"no", "n", "false", "0", "ไม่", "ไม่ใช่", "ไม่มี", "ไม่ได้", "-"})


def to_boolean(value: object) -> bool:
    check_excel_error(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise CellError("not_boolean")
    text = arabic_digits(clean_text(value)).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if "/" in text:  # "ใช่ / yes", as the template's drop-down and the exports write it
        answers = {to_boolean(part) for part in text.split("/") if part.strip()}
        if len(answers) == 1:
            return answers.pop()
    raise CellError("not_boolean")


def shown(value: object, limit: int = 80) -> str:
    """The cell as the user would recognise it, for an error message."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = clean_text(value, multiline=True) if not isinstance(value, str) else value
    text = _X000D.sub("", text).replace("\r", "").replace("\n", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def normalise_key(text: str) -> str:
    """For matching headers, sheet names and choices: case, spacing and marks ignored."""
    text = clean_text(text).casefold().replace("*", "")
    text = re.sub(r"[\s_\-–—:.,()\[\]/]+", " ", text)
    return text.strip()
