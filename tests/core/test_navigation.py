"""The menu's URLs are reversed once per URLconf and script prefix, not per request (#19)."""

from django.urls import clear_script_prefix, set_script_prefix

from core import navigation
from core.navigation import NavItem
from core.roles import Role

ITEM = NavItem(
    key="t", label="T", url_name="vendors:detail", roles=frozenset({Role.FAO}), url_kwargs={"pk": 7}
)


def test_an_entry_is_reversed_once_then_read(monkeypatch):
    calls = []
    real = navigation.reverse

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(navigation, "reverse", counted)
    first = ITEM.url()
    assert [ITEM.url() for _ in range(3)] == [first] * 3
    assert first == "/vendors/7/"
    assert len(calls) <= 1


def test_a_new_script_prefix_gives_the_entry_s_url_under_it():
    assert ITEM.url() == "/vendors/7/"
    set_script_prefix("/portal/")
    try:
        assert ITEM.url() == "/portal/vendors/7/"
    finally:
        clear_script_prefix()
    assert ITEM.url() == "/vendors/7/"


def test_the_to_do_sources_links_are_reversed_once(monkeypatch):
    from core.todo import TodoSource

    source = TodoSource(
        key="t",
        label="T",
        roles=frozenset({Role.FAO}),
        queryset=lambda user: None,
        url_name="vendors:list",
        query="expiring=soon",
    )
    assert source.url() == "/vendors/?expiring=soon"
    calls = []
    monkeypatch.setattr(navigation, "reverse", lambda *a, **k: calls.append(a))
    assert source.url() == "/vendors/?expiring=soon"
    assert calls == []
