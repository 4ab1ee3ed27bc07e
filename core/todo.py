"""What waits for each user: the to-do list of the home page, the count in the menu and
the daily digest.

Each app registers its sources in its AppConfig.ready() (core imports no app): a source
names the roles whose turn it is and gives the queryset of the rows waiting for them. All
the counts of a user are read in ONE query (each queryset becomes a COUNT subquery of a
single SELECT), and kept on the user object for the rest of the request, so the menu's
badge costs one query per page whatever the number of sources.

"Leads to follow up" (the buyers issue, #17) registers here once leads exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.functional import Promise

from .compiled import compiled_rows
from .navigation import fixed_url
from .roles import Role, roles_of

_TODO_CACHE = "_bb_todo"


@dataclass(frozen=True)
class TodoLink:
    label: str
    url: str


@dataclass(frozen=True)
class TodoSource:
    key: str
    label: str | Promise
    roles: frozenset[Role]
    # The rows waiting, for this user (who holds one of `roles`).
    queryset: Callable[[object], QuerySet[Any]]
    # The page that lists them, filtered (`query` is its query string).
    url_name: str
    query: str = ""
    order: int = 100
    # Up to `limit` of the rows themselves, shown under the count on the home page (one
    # query per source, only when the count is not zero).
    entries: Callable[[object, int], list[TodoLink]] | None = None

    def url(self) -> str:
        # Reversed once: every page's menu badge checks each source is routed (#19).
        url = fixed_url(self.url_name)
        return f"{url}?{self.query}" if self.query else url


@dataclass(frozen=True)
class TodoItem:
    source: TodoSource
    count: int

    @property
    def key(self) -> str:
        return self.source.key

    @property
    def label(self) -> str | Promise:
        return self.source.label

    @property
    def url(self) -> str:
        return self.source.url()


_SOURCES: dict[str, TodoSource] = {}


def register(source: TodoSource) -> None:
    _SOURCES[source.key] = source


def get_source(key: str) -> TodoSource | None:
    return _SOURCES.get(key)


def sources_for(user: AbstractBaseUser | AnonymousUser) -> list[TodoSource]:
    roles = roles_of(user)
    visible = []
    for source in sorted(_SOURCES.values(), key=lambda s: (s.order, s.key)):
        if not roles & source.roles:
            continue
        try:
            source.url()
        except NoReverseMatch:  # an app whose pages are not routed in this deployment
            continue
        visible.append(source)
    return visible


def _count(queryset: QuerySet[Any]) -> Coalesce:
    # A constant to group by makes the subquery one row: the count of the whole set.
    counted = (
        queryset.order_by()
        .annotate(_todo=Value(1, output_field=IntegerField()))
        .values("_todo")
        .annotate(_n=Count("pk", distinct=True))
        .values("_n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _counts_query(
    user: AbstractBaseUser | AnonymousUser,
    sources: tuple[TodoSource, ...],
    minute: dt.datetime,  # the moment the compiled SQL may be as old as
) -> QuerySet[Any, Any]:
    """The counting query of a user's sources, compiled once per (user, sources, minute)
    (core.compiled): building and compiling its ten subqueries cost more than running
    them (8 ms of Python against 6 ms of SQL on every page, for the menu's badge; #19).
    The counts are read afresh on each request; only a cut-off time inside a source
    ("sessions that have started", "follow-ups due today") may be up to a minute old."""
    annotations = {f"todo_{i}": _count(s.queryset(user)) for i, s in enumerate(sources)}
    return (
        get_user_model()
        .objects.filter(pk=cast("int | str", user.pk))  # a saved user: todo_for checks
        .annotate(**annotations)
        .values_list(*annotations)[:1]
    )


def todo_for(user: AbstractBaseUser | AnonymousUser) -> list[TodoItem]:
    """Every source of the user's roles with its count (zero included), in order; one
    query, then cached on the user object for the request."""
    cached: list[TodoItem] | None = getattr(user, _TODO_CACHE, None)
    if cached is not None:
        return cached
    sources = sources_for(user) if user.is_authenticated else []
    counts: tuple[Any, ...] = (0,) * len(sources)
    if sources and user.pk is not None:
        minute = timezone.now().replace(second=0, microsecond=0)
        rows = compiled_rows(_counts_query, user, tuple(sources), minute)
        if rows:
            counts = rows[0]
    items = [TodoItem(s, counts[i] or 0) for i, s in enumerate(sources)]
    # Kept on the user object for the rest of the request, as roles_of keeps the roles.
    setattr(user, _TODO_CACHE, items)
    return items


def todo_total(user: AbstractBaseUser | AnonymousUser) -> int:
    return sum(item.count for item in todo_for(user))


def todo_entries(
    user: AbstractBaseUser | AnonymousUser, item: TodoItem, limit: int = 5
) -> list[TodoLink]:
    if not item.count or item.source.entries is None:
        return []
    return item.source.entries(user, limit)
