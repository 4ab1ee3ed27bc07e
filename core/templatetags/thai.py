"""Template filters for Thai dates: `{{ value|bedate }}`, `{{ value|bedate:"j M Y H:i" }}`,
`{{ value|thai_digits }}`."""

import datetime as dt
from typing import Any

from django import template

from core import thai

register = template.Library()


@register.filter
def bedate(value: Any, fmt: str | None = None) -> str:
    """A date with the BE year in Thai, the CE year otherwise."""
    if value in (None, ""):
        return ""
    return thai.format_date(value, fmt or None)


@register.filter
def bedatetime(value: Any) -> str:
    if value in (None, ""):
        return ""
    return thai.format_date(value, "DATETIME_FORMAT")


@register.filter
def year_title(value: object) -> str:
    """A bare CE year (Django's date hierarchy titles years so) as the reader counts it;
    any other title unchanged."""
    text = str(value)
    if len(text) == 4 and text.isdigit():
        return thai.format_date(dt.date(int(text), 1, 1), "Y")
    return text


@register.filter(name="thai_digits")
def thai_digits_filter(value: Any) -> str:
    return thai.thai_digits(value)
