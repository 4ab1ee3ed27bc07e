"""The programme's outcome KPI and output indicators for one programme year.

The rule (README, section "KPI", says the same in prose):

* A session is *held* when its status is HELD or REPORTED; a session *report is
  delivered* when its status is REPORTED (`held_session_q`).
* *Participants*: the distinct vendors with a shortlist entry marked attended
  (``attended is True``) in at least one held session of the year.
* *Achieved*: the participants for whom at least one contact exists such that
  - it belongs to one of the vendor's submissions with status ACCEPTED;
  - it is about buying, and its counterpart is a business or a customer;
  - its city took part in a held session of the year that the vendor attended;
  - it is dated on or after that session's day (the session's start, in Bangkok).
  The contact's own "followed from session" field is not needed, and the contact's
  date has no upper bound: a buying contact reported in a later period still counts
  as an outcome of the session it followed.
  Or a contact of a registered source (`register_contact_source`) meeting the same
  conditions: the leads of the showcase (buyers), from SDO's confirmation on. A vendor
  counts once however many contacts it has, from one source or both.
* *KPI* = achieved / participants × 100, rounded half up to two decimals; None (shown
  as "no participants yet") when the year has no participant.

Two SQL queries, whatever the number of vendors, contacts and orders.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from core.fiscal import BANGKOK
from meetings.models import ProgrammeYear, Session, ShortlistEntry

from .models import Contact, Submission
from .models.kpi import KpiResult

RULE_VERSION = 1
HELD_STATUSES = Session.HELD_STATUSES


def held_session_q(prefix: str = "") -> Q:
    """Sessions that took place. `prefix` is the lookup path to the session ("session__")."""
    return Q(**{f"{prefix}status__in": HELD_STATUSES})


@dataclass(frozen=True)
class KpiFigures(KpiResult):
    year_id: int
    fiscal_year: int
    participants: int
    achieved: int
    percent: Decimal | None
    target_percent: int
    sessions_held: int
    target_sessions: int
    reports_delivered: int
    target_reports: int
    inputs: dict = field(default_factory=dict)
    duration_ms: int = 0
    computed_at: dt.datetime | None = None


def kpi_percent(achieved: int, participants: int) -> Decimal | None:
    if participants == 0:
        return None
    return (Decimal(achieved) * 100 / Decimal(participants)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


# Apps above outcomes (buyers: the showcase's confirmed leads) add their buying contacts
# here, without outcomes importing them. A source returns a queryset of its contacts that
# count, filtered on the outer references "vendor_id", "session_id" (a held session the
# vendor attended; the contact's city must have taken part in it) and "session_day" (the
# contact dated on or after it).
_CONTACT_SOURCES: dict[str, Callable[[], QuerySet]] = {}


def register_contact_source(name: str, source: Callable[[], QuerySet]) -> None:
    _CONTACT_SOURCES[name] = source


def _participant_rows(year: ProgrammeYear):
    """One row per participant: (vendor id, 1 if achieved else 0)."""
    buying_contact_after_session = Contact.objects.filter(
        submission__vendor_id=OuterRef("vendor_id"),
        submission__status=Submission.Status.ACCEPTED,
        about_buying=True,
        counterpart_kind__in=Contact.KPI_COUNTERPARTS,
        city__sessions=OuterRef("session_id"),
        contacted_on__gte=OuterRef("session_day"),
    )
    met = Q(Exists(buying_contact_after_session))
    for source in _CONTACT_SOURCES.values():
        met |= Q(Exists(source()))
    return (
        ShortlistEntry.objects.filter(session__year=year, attended=True)
        .filter(held_session_q("session__"))
        .annotate(session_day=TruncDate("session__starts_at", tzinfo=BANGKOK))
        .annotate(met=Cast(ExpressionWrapper(met, output_field=BooleanField()), IntegerField()))
        .values("vendor_id")
        .annotate(achieved=Max("met"))
        .order_by("vendor_id")
        .values_list("vendor_id", "achieved")
    )


def _session_inputs(year: ProgrammeYear) -> tuple[list[dict], int, int]:
    sessions: dict[int, dict] = {}
    rows = (
        Session.objects.filter(year=year)
        .order_by("number", "pk")
        .values_list("pk", "number", "status", "starts_at", "cities")
    )
    for pk, number, status, starts_at, city_id in rows:
        entry = sessions.setdefault(
            pk,
            {
                "id": pk,
                "number": number,
                "status": status,
                "day": starts_at.astimezone(BANGKOK).date().isoformat() if starts_at else None,
                "city_ids": [],
            },
        )
        if city_id is not None:
            entry["city_ids"].append(city_id)
    held = [s for s in sessions.values() if s["status"] in HELD_STATUSES]
    delivered = [s for s in sessions.values() if s["status"] == Session.Status.REPORTED]
    return held, len(held), len(delivered)


def kpi_compute(*, year: ProgrammeYear) -> KpiFigures:
    """The live figures of a programme year, without storing them (two queries)."""
    started = time.perf_counter()
    held_sessions, sessions_held, reports_delivered = _session_inputs(year)
    rows = list(_participant_rows(year))
    participants = len(rows)
    achieved_ids = [vendor_id for vendor_id, achieved in rows if achieved]
    achieved = len(achieved_ids)
    return KpiFigures(
        year_id=year.pk,
        fiscal_year=year.fiscal_year,
        participants=participants,
        achieved=achieved,
        percent=kpi_percent(achieved, participants),
        target_percent=year.kpi_target_percent,
        sessions_held=sessions_held,
        target_sessions=year.target_sessions,
        reports_delivered=reports_delivered,
        target_reports=year.target_reports,
        inputs={
            "rule_version": RULE_VERSION,
            "held_sessions": held_sessions,
            "participant_vendor_ids": [vendor_id for vendor_id, _ in rows],
            "achieved_vendor_ids": achieved_ids,
        },
        duration_ms=round((time.perf_counter() - started) * 1000),
        computed_at=timezone.now(),
    )
