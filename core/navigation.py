"""The portal's menu. Each app registers its pages in its AppConfig.ready(); the menu
and the home page show a user only the entries their roles may use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise

from .roles import Role, roles_of


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    roles: frozenset[Role]
    description: str | Promise = ""
    order: int = 100
    url_kwargs: dict[str, Any] = field(default_factory=dict)

    def url(self) -> str:
        # The menu reverses each of its entries three times a request (to check it is
        # routed, to find the active one, to link it): some 50 reverses a page (#19).
        return fixed_url(self.url_name, self.url_kwargs)


# The resolver the URLs were reversed with, and the URLs by (name, kwargs, script prefix).
_URLS: tuple[object, dict[tuple[Any, ...], str]] = (None, {})


def fixed_url(url_name: str, kwargs: dict[str, Any] | None = None) -> str:
    """`reverse(url_name, kwargs=kwargs)`, reversed once: for the URLs every page links
    (the menu, the to-do sources). A URL only changes with the URLconf (Django builds a
    new resolver when it is cleared or overridden) or the script prefix."""
    global _URLS
    resolver = get_resolver(get_urlconf())
    if _URLS[0] is not resolver:
        _URLS = (resolver, {})
    key = (url_name, tuple(sorted((kwargs or {}).items())), get_script_prefix())
    url = _URLS[1].get(key)
    if url is None:
        url = _URLS[1][key] = reverse(url_name, kwargs=kwargs or None)
    return url


_ITEMS: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _ITEMS[item.key] = item


def items_for(user: AbstractBaseUser | AnonymousUser) -> list[NavItem]:
    roles = roles_of(user)
    visible = []
    for item in sorted(_ITEMS.values(), key=lambda i: (i.order, i.key)):
        if not roles & item.roles:
            continue
        try:
            item.url()
        except NoReverseMatch:  # an app whose pages are not routed in this deployment
            continue
        visible.append(item)
    return visible
