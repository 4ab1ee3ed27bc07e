"""Template filters for Thai dates: `{{ value|bedate }}`, `{{ value|bedate:"j M Y H:i" }}`,
`{{ value|thai_digits }}`."""

from django import template

from core import thai

register = template.Library()


@register.filter
def bedate(value, fmt: str | None = None) -> str:
    """A date with the BE year in Thai, the CE year otherwise."""
    if value in (None, ""):
        return ""
    return thai.format_date(value, fmt or None)


@register.filter
def bedatetime(value) -> str:
    if value in (None, ""):
        return ""
    return thai.format_date(value, "DATETIME_FORMAT")


@register.filter(name="thai_digits")
def thai_digits_filter(value) -> str:
    return thai.thai_digits(value)
