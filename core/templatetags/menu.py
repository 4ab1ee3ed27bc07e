"""The menu's entries, written in Python.

base.html draws them on every page; as a template loop (two ifs, three lookups and the
escaping of each entry) they cost about a millisecond of every page's time, as much as
a page's own light query (#19). The HTML is the loop's, entry for entry."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.html import html_format

register = template.Library()

_PRIMARY = (
    '<li class="nav-item"><a class="nav-link text-nowrap{}" href="{}" data-nav="{}"{}>{}</a></li>'
)
_TOOL = '<li><a class="dropdown-item{}" href="{}" data-nav="{}">{}</a></li>'
_ACTIVE = " active"
_CURRENT = mark_safe(' aria-current="page"')  # a literal; html_format escapes the rest


@register.simple_tag(takes_context=True)
def menu_entries(context: template.Context, kind: str) -> SafeString:
    """The menu bar's entries (`kind` "primary") or the user menu's tools ("tools"), the
    page's own (`nav_active`, core.context_processors.navigation) marked active."""
    active = context.get("nav_active", "")
    if kind == "primary":
        rows: list[tuple[Any, ...]] = [
            (
                _ACTIVE if item.key == active else "",
                item.url(),
                item.key,
                _CURRENT if item.key == active else "",
                item.label,
            )
            for item in context.get("nav_primary") or ()
        ]
        return _joined(_PRIMARY, rows)
    rows = [
        (_ACTIVE if item.key == active else "", item.url(), item.key, item.label)
        for item in context.get("nav_tools") or ()
    ]
    return _joined(_TOOL, rows)


def _joined(entry: str, rows: list[tuple[Any, ...]]) -> SafeString:
    """`format_html_join("\\n", entry, rows)`."""
    return SafeString("\n".join(html_format(entry, *row) for row in rows))
