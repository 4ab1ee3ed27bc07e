"""The leads on the to-do list (core.todo): new requests, and follow-up dates that came."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from core.roles import Role
from core.todo import TodoLink, TodoSource, register

from .selectors_leads import leads_to_follow_up

LEADS = "buyers.leads"


def _waiting(user):
    return leads_to_follow_up(today=timezone.localdate())


def _links(user, limit: int) -> list[TodoLink]:
    leads = _waiting(user).order_by("follow_up_on", "created_at", "pk")[:limit]
    return [TodoLink(lead.company, reverse("buyers:lead-detail", args=[lead.pk])) for lead in leads]


def register_sources() -> None:
    register(
        TodoSource(
            key=LEADS,
            label=_lazy("Leads to follow up"),
            roles=frozenset({Role.SDO, Role.FAO}),
            queryset=_waiting,
            url_name="buyers:lead-list",
            query="due=on",
            order=60,
            entries=_links,
        )
    )
