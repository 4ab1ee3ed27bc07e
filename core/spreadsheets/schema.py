"""Describing an import: the sheets it reads and, for each, its columns.

A column knows its headers in Thai and English (and other spellings people use), whether
it is required, and how to turn a cell into a value; a sheet knows its columns and which
of them identify a row. See the package docstring for an example.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MinValueValidator, URLValidator
from django.db import models

from core import thai
from core.i18n import pick

from . import cells
from .cells import CellError

_email = EmailValidator()
_url = URLValidator(schemes=["http", "https"])
# Plain ASCII addresses, as most are, checked with one regex; each accepts a subset of
# what Django's validators accept (which are slow: IDNA, several regexes), and anything
# else still goes through Django's.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PLAIN_EMAIL = re.compile(
    rf"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}"
)
_PLAIN_URL = re.compile(rf"https?://(?:{_LABEL}\.)+[A-Za-z]{{2,63}}(?::[0-9]{{1,5}})?(?:[/?#]\S*)?")


def memoised(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Convert each distinct cell value once: a column of 20,000 cells typically holds a
    few dozen districts, categories, yes/no answers, units or dates. Errors are not kept
    (they are rare, and raise again); lists are copied so that rows never share one."""
    cache: dict[tuple[Any, ...], Any] = {}

    def convert_once(value: Any) -> Any:
        key = (value.__class__, value)  # 1, 1.0 and True are equal but convert differently
        try:
            result = cache[key]
        except KeyError:
            result = cache[key] = convert(value)
        except TypeError:  # unhashable: not from a cell, but be safe
            return convert(value)
        return result.copy() if result.__class__ is list else result

    return convert_once


def model_min_value(model: type[models.Model], field_name: str) -> Any:
    """The lower limit a model field's MinValueValidator sets, so that an import column
    refuses exactly what the model (and its forms and the admin) refuses."""
    field = model._meta.get_field(field_name)
    for validator in getattr(field, "validators", ()):  # a relation has none
        if isinstance(validator, MinValueValidator):
            return validator.limit_value
    return None


class Column:
    """A column of a sheet. Subclasses convert a non-blank cell in `convert`."""

    kind = "text"

    def __init__(
        self,
        key: str,
        *,
        th: str,
        en: str,
        aliases: Iterable[str] = (),
        required: bool = False,
        help_th: str = "",
        help_en: str = "",
        example: Any = None,
        width: int = 18,
    ):
        self.key = key
        self.th = th
        self.en = en
        self.aliases = tuple(aliases)
        self.required = required
        self.help_th = help_th
        self.help_en = help_en
        self.example = example
        self.width = width

    @property
    def label(self) -> str:
        return pick(self.th, self.en)

    @property
    def header(self) -> str:
        """The header the template writes: Thai above English, a star when required."""
        star = " *" if self.required else ""
        return f"{self.th}{star}\n{self.en}{star}"

    def names(self) -> list[str]:
        return [self.th, self.en, f"{self.th} {self.en}", *self.aliases]

    def prepare(self) -> None:
        """Called once per import before the first row (load choices from the database)."""

    def convert(self, value: Any) -> Any:
        raise NotImplementedError

    def fast_converter(self) -> Callable[[Any], Any]:
        """`convert`, or a quicker function with the same result for common cells."""
        return memoised(self.convert)

    def blank_value(self) -> Any:
        return None


class TextColumn(Column):
    def __init__(
        self,
        key: str,
        *,
        max_length: int | None = None,
        multiline: bool = False,
        arabic_digits: bool = False,
        upper: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(key, **kwargs)
        self.max_length = max_length
        self.multiline = multiline
        self.arabic_digits = arabic_digits
        self.upper = upper

    def fast_converter(self) -> Callable[[Any], Any]:
        if type(self) is not TextColumn or self.upper:
            return self.convert
        slow, limit, arabic = self.convert, self.max_length or 1 << 30, self.arabic_digits
        is_nfc = unicodedata.is_normalized
        errors = cells.EXCEL_ERRORS

        def convert(value: Any) -> Any:
            # Already clean text, as most cells are, needs no work at all. The same checks
            # as cells.is_clean_text, inlined: this runs for most cells of every import.
            if (
                value.__class__ is str
                and value.isprintable()
                and len(value) <= limit
                and value.strip() == value
                and "  " not in value
                and "_x000" not in value
                and (value[0] != "#" or value not in errors)
                and (value.isascii() or (not arabic and is_nfc("NFC", value)))
            ):
                return value
            return slow(value)

        return convert

    def convert(self, value: Any) -> str:
        cells.check_excel_error(value)
        text = cells.clean_text(value, multiline=self.multiline)
        if self.arabic_digits:
            text = thai.arabic_digits(text)
        if self.upper:
            text = text.upper()
        if self.max_length is not None and len(text) > self.max_length:
            raise CellError("too_long", length=len(text), limit=self.max_length)
        return text

    def blank_value(self) -> str:
        return ""


class EmailColumn(TextColumn):
    kind = "email"

    def __init__(self, key: str, *, max_length: int = 254, **kwargs: Any) -> None:
        super().__init__(key, max_length=max_length, **kwargs)

    def convert(self, value: Any) -> str:
        text = super().convert(value).replace(" ", "")
        if not _PLAIN_EMAIL.fullmatch(text):
            try:
                _email(text)
            except ValidationError:
                raise CellError("not_email") from None
        return text.lower()


class URLColumn(TextColumn):
    kind = "url"

    def __init__(self, key: str, *, max_length: int = 200, **kwargs: Any) -> None:
        super().__init__(key, max_length=max_length, **kwargs)

    def convert(self, value: Any) -> str:
        text = super().convert(value)
        if "://" not in text:
            text = f"https://{text}"
        if not _PLAIN_URL.fullmatch(text):
            try:
                _url(text)
            except ValidationError:
                raise CellError("not_url") from None
        if self.max_length is not None and len(text) > self.max_length:
            raise CellError("too_long", length=len(text), limit=self.max_length)
        return text


class IntegerColumn(Column):
    kind = "integer"

    def __init__(
        self, key: str, *, min_value: int | None = None, max_value: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(key, **kwargs)
        self.min_value = min_value
        self.max_value = max_value

    def convert(self, value: Any) -> int:
        number = cells.to_integer(value)
        if self.min_value is not None and number < self.min_value:
            raise CellError("too_small", limit=self.min_value)
        if self.max_value is not None and number > self.max_value:
            raise CellError("too_large", limit=self.max_value)
        return number


class DecimalColumn(Column):
    kind = "decimal"

    def __init__(
        self,
        key: str,
        *,
        max_digits: int,
        decimal_places: int,
        min_value: Decimal | int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(key, **kwargs)
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        self.min_value = min_value
        self._quantum = Decimal(1).scaleb(-decimal_places)

    def convert(self, value: Any) -> Decimal:
        number = cells.to_decimal(value)
        rounded = number.quantize(self._quantum, rounding=ROUND_HALF_UP)
        if rounded != number:
            raise CellError("too_many_decimals", places=self.decimal_places)
        if len(rounded.as_tuple().digits) > self.max_digits:
            raise CellError("too_many_digits", digits=self.max_digits - self.decimal_places)
        if self.min_value is not None and rounded < self.min_value:
            raise CellError("too_small", limit=self.min_value)
        return rounded


class DateColumn(Column):
    kind = "date"

    def convert(self, value: Any) -> Any:
        return cells.to_date(value)


class BooleanColumn(Column):
    kind = "boolean"

    def __init__(self, key: str, *, default: bool | None = None, **kwargs: Any) -> None:
        super().__init__(key, **kwargs)
        self.default = default

    def convert(self, value: Any) -> bool:
        return cells.to_boolean(value)

    def blank_value(self) -> bool | None:
        return self.default

    def options(self) -> list[str]:
        return ["ใช่ / yes", "ไม่ใช่ / no"]


@dataclass(frozen=True)
class Choice:
    value: Any
    th: str
    en: str
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """What the template's drop-down offers: both languages, either is accepted."""
        return f"{self.th} / {self.en}" if self.en and self.en != self.th else self.th


class ChoiceColumn(Column):
    """A value from a list (often rows of a reference table), matched on any of its names."""

    kind = "choice"

    def __init__(self, key: str, *, choices: Callable[[], Iterable[Choice]], **kwargs: Any) -> None:
        super().__init__(key, **kwargs)
        self._load = choices
        self._by_name: dict[str, Any] | None = None
        self._choices: list[Choice] = []

    def prepare(self) -> None:
        self._choices = list(self._load())
        by_name: dict[str, Any] = {}
        for choice in self._choices:
            for name in (choice.label, choice.th, choice.en, *choice.aliases):
                if name not in (None, ""):
                    by_name.setdefault(cells.normalise_key(str(name)), choice.value)
        self._by_name = by_name

    def choices(self) -> list[Choice]:
        if self._by_name is None:
            self.prepare()
        return self._choices

    def options(self) -> list[str]:
        return [choice.label for choice in self.choices()]

    def lookup(self, text: str) -> Any:
        by_name = self._by_name
        if by_name is None:
            self.prepare()
            by_name = self._by_name or {}
        key = cells.normalise_key(text)
        if key in by_name:
            return by_name[key]
        close = difflib.get_close_matches(key, list(by_name), n=1, cutoff=0.75)
        if close:
            label = next((c.label for c in self._choices if by_name[close[0]] == c.value), close[0])
            raise CellError("not_choice_suggest", value=text, suggestion=label)
        raise CellError("not_choice", value=text)

    def convert(self, value: Any) -> Any:
        cells.check_excel_error(value)
        return self.lookup(cells.clean_text(value))


class MultiChoiceColumn(ChoiceColumn):
    """Several values in one cell, separated by commas, semicolons or line breaks."""

    kind = "multichoice"
    separators = (",", ";", "\n", "、", "，")

    def convert(self, value: Any) -> list[Any]:
        cells.check_excel_error(value)
        text = cells.clean_text(value, multiline=True)
        for sep in self.separators[1:]:
            text = text.replace(sep, ",")
        values = []
        for part in text.split(","):
            part = part.strip()
            if part:
                found = self.lookup(part)
                if found not in values:
                    values.append(found)
        return values

    def blank_value(self) -> list[Any]:
        return []


@dataclass
class SheetSchema:
    """One sheet an import reads. `identity` names the columns that identify a row (for
    the duplicate-row check, ignoring case: casefold(), or `identity_fold`, texts -> their
    folded forms, when rows must be compared as a unique index of the database compares
    them); `required` says whether the workbook must have this sheet."""

    key: str
    th: str
    en: str
    columns: Sequence[Column]
    identity: Sequence[str] = ()
    required: bool = True
    aliases: Sequence[str] = ()
    help_th: str = ""
    help_en: str = ""
    allow_empty: bool = False
    identity_fold: Callable[[Iterable[str]], dict[str, str]] | None = None
    by_key: dict[str, Column] = field(init=False)

    def __post_init__(self) -> None:
        self.by_key = {c.key: c for c in self.columns}

    @property
    def title(self) -> str:
        """The sheet name the template writes (Excel allows 31 characters)."""
        return f"{self.th} {self.en}"[:31]

    @property
    def label(self) -> str:
        return pick(self.th, self.en)

    def names(self) -> list[str]:
        return [self.title, self.th, self.en, *self.aliases]


@dataclass
class WorkbookSchema:
    sheets: Sequence[SheetSchema]

    def prepare(self) -> None:
        for sheet in self.sheets:
            for column in sheet.columns:
                column.prepare()
