"""core/templatetags/menu.py: the menu's entries, written in Python (#19)."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from core import navigation
from core.navigation import NavItem
from core.roles import Role

pytestmark = pytest.mark.django_db

# What base.html drew with a template loop for each entry, before the tag.
LOOP = Template(
    "{% for item in nav_primary %}"
    '<li class="nav-item"><a class="nav-link text-nowrap{% if item.key == nav_active %} active'
    '{% endif %}" href="{{ item.url }}" data-nav="{{ item.key }}"{% if item.key == nav_active %}'
    ' aria-current="page"{% endif %}>{{ item.label }}</a></li>{% if not forloop.last %}\n'
    "{% endif %}{% endfor %}|{% for item in nav_tools %}"
    '<li><a class="dropdown-item{% if item.key == nav_active %} active{% endif %}"'
    ' href="{{ item.url }}" data-nav="{{ item.key }}">{{ item.label }}</a></li>'
    "{% if not forloop.last %}\n{% endif %}{% endfor %}"
)
TAG = Template('{% load menu %}{% menu_entries "primary" %}|{% menu_entries "tools" %}')

ENTRIES = [
    NavItem(key="a", label="Vendors", url_name="vendors:list", roles=frozenset({Role.FAO})),
    NavItem(
        key='b"<', label='Quotes " & <b>tags</b>', url_name="home", roles=frozenset({Role.FAO})
    ),
]
TOOLS = [NavItem(key="t", label="ผู้ดูแล", url_name="core:audit", roles=frozenset({Role.FAO}))]


@pytest.mark.parametrize("active", ["", "a", 'b"<', "t"])
def test_the_entries_are_the_loop_s_html(active):
    context = {"nav_primary": ENTRIES, "nav_tools": TOOLS, "nav_active": active}
    assert TAG.render(Context(context)) == LOOP.render(Context(context))


def test_a_label_and_a_key_are_escaped():
    html = TAG.render(Context({"nav_primary": ENTRIES, "nav_tools": [], "nav_active": ""}))
    assert "Quotes &quot; &amp; &lt;b&gt;tags&lt;/b&gt;" in html
    assert 'data-nav="b&quot;&lt;"' in html
    assert "<b>" not in html


@pytest.mark.parametrize("language", ["en", "th"])
def test_the_page_s_own_entry_is_marked_current(client_for, fao_user, language, monkeypatch):
    monkeypatch.setitem(navigation._ITEMS, "hostile", ENTRIES[1])
    html = client_for(fao_user, language).get(reverse("vendors:list")).content.decode()
    current = re.findall(r'<a class="nav-link[^"]*"[^>]*aria-current="page"[^>]*>', html)
    assert current == [
        f'<a class="nav-link text-nowrap active" href="{reverse("vendors:list")}"'
        ' data-nav="vendors" aria-current="page">'
    ]
    assert "Quotes &quot; &amp; &lt;b&gt;tags&lt;/b&gt;</a></li>" in html
