"""The vendor list's rows, written in Python.

Fifty rows of seven cells were the largest part of the vendor list's time: as a template
loop, a context pushed a row and a lookup, a localisation and an escape a cell (#19).
The cells are the loop's, escaped and localised as `{{ }}` writes them; the row shows
what the view prepared (`detail_url`, `line_badge`, `product_count`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.html import html_format, shown
from core.i18n import picker
from core.templatetags.thai import bedate

register = template.Library()

_ROW = (
    '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td>'
    # The badge cell ends as notifications/_line_link_badge.html does, with a newline.
    '<td class="text-end">{}</td><td>{}</td><td>{}\n</td></tr>\n'
)
_BADGE = '<span class="badge {}">{}</span>'
_NOT_LINKED = '<span class="text-muted">{}</span>'


@register.simple_tag(takes_context=True)
def vendor_rows(context: template.Context, vendors: Iterable[Any]) -> SafeString:
    not_linked = html_format(_NOT_LINKED, gettext("Not linked"))
    # `vendor.business_name` and `district.name`, the language read once for the list.
    name = picker()
    rows = []
    for vendor in vendors:
        badge = vendor.line_badge
        district = vendor.district
        rows.append(
            html_format(
                _ROW,
                vendor.detail_url,
                name(vendor.business_name_th, vendor.business_name_en),
                vendor.certificate_number,
                name(district.name_th, district.name_en),
                bedate(vendor.certificate_expires_on),
                # As `{{ }}` writes it: a count may take a thousands separator.
                shown(vendor.product_count, context),
                "✓" if vendor.is_active else "–",
                html_format(_BADGE, badge[0], badge[1]) if badge else not_linked,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308  # every row built by html_format
