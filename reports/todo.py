"""The reports on the to-do list (core.todo): FAO evaluates each held session and
delivers its report; the executives see the reports delivered lately."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from core.todo import TodoLink, TodoSource, register

from . import selectors

TO_EVALUATE = "reports.to_evaluate"
TO_REPORT = "reports.to_report"
DELIVERED = "reports.delivered"


def _session_links(queryset, url_name: str, limit: int) -> list[TodoLink]:
    sessions = queryset.select_related("year").order_by("starts_at", "pk")[:limit]
    return [TodoLink(str(s), reverse(url_name, args=[s.pk])) for s in sessions]


def _delivered_links(user, limit: int) -> list[TodoLink]:
    generations = (
        selectors.reports_recently_delivered()
        .select_related("session__year")
        .order_by("-delivered_at", "-pk")[:limit]
    )
    return [
        TodoLink(str(g.session), reverse("reports:session", args=[g.session_id]))
        for g in generations
    ]


def register_sources() -> None:
    register(
        TodoSource(
            key=TO_EVALUATE,
            label=_("Session evaluations to write"),
            roles=frozenset({Role.FAO}),
            queryset=lambda user: selectors.sessions_to_evaluate(),
            url_name="reports:index",
            order=50,
            entries=lambda user, limit: _session_links(
                selectors.sessions_to_evaluate(), "reports:evaluation", limit
            ),
        )
    )
    register(
        TodoSource(
            key=TO_REPORT,
            label=_("Session reports to deliver to the executives"),
            roles=frozenset({Role.FAO}),
            queryset=lambda user: selectors.sessions_to_report(),
            url_name="reports:index",
            order=55,
            entries=lambda user, limit: _session_links(
                selectors.sessions_to_report(), "reports:session", limit
            ),
        )
    )
    register(
        TodoSource(
            key=DELIVERED,
            label=_("Session reports delivered in the last 30 days"),
            roles=frozenset({Role.EXECUTIVE}),
            queryset=lambda user: selectors.reports_recently_delivered(),
            url_name="reports:index",
            order=50,
            entries=_delivered_links,
        )
    )
