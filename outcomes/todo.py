"""The outcome forms on the to-do list (core.todo): FAO reviews what SDO submitted, SDO
fixes what FAO returned and chases the vendors who are overdue."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from core.todo import TodoLink, TodoSource, register

from . import selectors

TO_REVIEW = "outcomes.to_review"
TO_FIX = "outcomes.to_fix"
OVERDUE = "outcomes.overdue"


def _links(queryset, limit: int) -> list[TodoLink]:
    submissions = queryset.select_related("vendor", "period").order_by(
        "period__fiscal_year", "period__half", "vendor__business_name_th", "pk"
    )[:limit]
    return [
        TodoLink(
            f"{s.vendor.business_name} · {s.period.label}",
            reverse("outcomes:submission-detail", args=[s.pk]),
        )
        for s in submissions
    ]


def register_sources() -> None:
    register(
        TodoSource(
            key=TO_REVIEW,
            label=_("Outcome submissions to review"),
            roles=frozenset({Role.FAO}),
            queryset=lambda user: selectors.submissions_to_review(),
            url_name="outcomes:submission-list",
            query="status=submitted",
            order=20,
            entries=lambda user, limit: _links(selectors.submissions_to_review(), limit),
        )
    )
    register(
        TodoSource(
            key=TO_FIX,
            label=_("Outcome submissions returned to fix"),
            roles=frozenset({Role.SDO}),
            queryset=lambda user: selectors.submissions_to_fix(),
            url_name="outcomes:submission-list",
            query="status=returned",
            order=20,
            entries=lambda user, limit: _links(selectors.submissions_to_fix(), limit),
        )
    )
    register(
        TodoSource(
            key=OVERDUE,
            label=_("Vendors overdue with their outcome form"),
            roles=frozenset({Role.SDO}),
            queryset=lambda user: selectors.submissions_overdue(),
            url_name="outcomes:submission-list",
            query="overdue=1",
            order=25,
            entries=lambda user, limit: _links(selectors.submissions_overdue(), limit),
        )
    )
