"""Reads of the leads: the staff's list, one lead, the to-do and the funnel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language

from .models_leads import FollowUpMeeting, Lead


def leads_list(
    *, status: str = "", session_id: int | None = None, city_id: int | None = None, due=None
) -> QuerySet[Lead]:
    leads = Lead.objects.select_related("vendor", "product", "city", "session__year")
    if status:
        leads = leads.filter(status=status)
    if session_id:
        leads = leads.filter(session_id=session_id)
    if city_id:
        leads = leads.filter(city_id=city_id)
    if due is not None:
        leads = leads.filter(pk__in=leads_to_follow_up(today=due).values("pk"))
    return leads.order_by("-created_at", "-pk")


def lead_detail(pk: int) -> Lead:
    return Lead.objects.select_related(
        "vendor", "product", "city", "session__year", "verified_by"
    ).get(pk=pk)


def lead_meetings(lead: Lead) -> list[FollowUpMeeting]:
    return list(FollowUpMeeting.objects.filter(lead=lead).order_by("starts_at", "pk"))


def leads_to_follow_up(*, today: dt.date) -> QuerySet[Lead]:
    """Leads waiting for staff: new and not rejected, or open with a follow-up date due."""
    open_ = ~Q(status__in=[Lead.Status.CLOSED, Lead.Status.LOST]) & ~Q(
        verification=Lead.Verification.REJECTED
    )
    return Lead.objects.filter(open_).filter(Q(status=Lead.Status.NEW) | Q(follow_up_on__lte=today))


# Showcase visits come from the showcase's own counter (another module of this app):
# it registers a function (session_id, city_id) pairs -> visits.
_VISIT_SOURCES: list[Callable[[], dict[tuple[int, int], int]]] = []


def register_visit_source(source: Callable[[], dict[tuple[int, int], int]]) -> None:
    _VISIT_SOURCES.append(source)


def funnel_rows() -> list[dict]:
    """Per session and city: showcase visits, leads, confirmed contacts and orders."""
    rows = (
        Lead.objects.exclude(verification=Lead.Verification.REJECTED)
        .values(
            "session_id",
            "session__number",
            "session__year__fiscal_year",
            "city_id",
            "city__name_en",
            "city__name_th",
        )
        .annotate(
            leads=Count("pk"),
            confirmed=Count("pk", filter=Q(verification=Lead.Verification.CONFIRMED)),
            ordered=Count("pk", filter=Q(status__in=[Lead.Status.ORDERED, Lead.Status.CLOSED])),
        )
        .order_by("session__year__fiscal_year", "session__number", "city_id")
    )
    visits: dict[tuple[int, int], int] = {}
    for source in _VISIT_SOURCES:
        for key, n in source().items():
            visits[key] = visits.get(key, 0) + n
    thai = get_language() == "th"
    out = []
    for row in rows:
        row["city_name"] = row["city__name_th"] if thai else row["city__name_en"]
        row["visits"] = visits.get((row["session_id"], row["city_id"]))
        out.append(row)
    return out
