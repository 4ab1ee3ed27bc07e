"""core.html writes what Django's format_html, conditional_escape and `{{ }}` write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from core.html import escaped, html_format, shown


class _StrChild(str):
    """A str that is not a SafeString: escaped as any other text."""


class _Html:
    def __html__(self) -> str:
        return "<b>own</b>"


VALUES = [
    "plain",
    "",
    "<script>alert('x')</script> & \"quotes\"",
    "ไทย <ข้าว> & 'น้ำ'",
    "\x00\u202e\u200b{{ x }}{% y %}",
    mark_safe("<i>safe</i>"),
    _StrChild("<child>"),
    gettext_lazy("Not linked"),
    _Html(),
    12345,
    -1,
    # Ints under a thousand either way take shown's short path; the rest Django's.
    0,
    7,
    999,
    -999,
    1000,
    -1000,
    1234567,
    Decimal("1234.50"),
    1.5e308,
    dt.date(2026, 12, 6),
    True,
    None,
]


@pytest.mark.parametrize("value", VALUES, ids=[type(v).__name__ for v in VALUES])
@pytest.mark.parametrize("language", ["th", "en"])
def test_escaped_is_conditional_escape(value, language):
    with translation.override(language):
        assert escaped(value) == conditional_escape(value)
        assert type(escaped(value)) is type(conditional_escape(value))


@pytest.mark.parametrize("value", VALUES, ids=[type(v).__name__ for v in VALUES])
@pytest.mark.parametrize("language", ["th", "en"])
def test_shown_is_what_a_template_writes(value, language, settings):
    settings.USE_THOUSAND_SEPARATOR = True  # a count takes its separator, as on the pages
    with translation.override(language):
        written = Template("{{ value }}").render(Context({"value": value}))
        assert shown(value) == written
        assert shown(value, Context({}, autoescape=True)) == written
        unescaped = Template("{% autoescape off %}{{ value }}{% endautoescape %}")
        assert shown(value, Context(autoescape=False)) == unescaped.render(
            Context({"value": value})
        )


def test_html_format_is_format_html():
    template = '<a href="{}" title="{}">{}</a>{}'
    for a, b, c, d in zip(
        VALUES, VALUES[3:] + VALUES[:3], VALUES[7:] + VALUES[:7], VALUES[::-1], strict=True
    ):
        assert html_format(template, a, b, c, d) == format_html(template, a, b, c, d)
        assert isinstance(html_format(template, a, b, c, d), SafeString)
