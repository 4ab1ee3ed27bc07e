"""The portal's menu. Each app registers its pages in its AppConfig.ready(); the menu
and the home page show a user only the entries their roles may use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import NoReverseMatch, reverse
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
        return reverse(self.url_name, kwargs=self.url_kwargs or None)


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
