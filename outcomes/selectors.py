"""Reads of outcome submissions, statistics and KPI snapshots. Each selector runs a fixed
number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from cities.models import SisterCity
from core.compiled import compiled_instances
from core.fiscal import BANGKOK
from meetings.models import ProgrammeYear, Session, ShortlistEntry
from vendors.models import Product, Vendor

from .kpi import KpiFigures, held_session_q, kpi_compute
from .models import Contact, KpiSnapshot, OrderLine, ReportingPeriod, Submission

__all__ = [
    "KpiFigures",
    "held_session_q",
    "kpi_compute",
    "kpi_snapshot_latest",
    "outcomes_for_session",
]


# --- Periods and years -----------------------------------------------------------------------


def reporting_periods() -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.all()


def programme_years() -> QuerySet[ProgrammeYear]:
    return ProgrammeYear.objects.order_by("-fiscal_year")


def programme_years_list() -> list[ProgrammeYear]:
    """Every programme year, newest first: the year picker of the dashboard and the
    statistics, compiled once (core.compiled, #19)."""
    return compiled_instances(programme_years)


def _fiscal_year_of(year: ProgrammeYear | int) -> int:
    return year.fiscal_year if isinstance(year, ProgrammeYear) else int(year)


# --- Submissions ----------------------------------------------------------------------------


def submissions_to_review() -> QuerySet[Submission]:
    """FAO's turn: submitted and not yet reviewed."""
    return Submission.objects.filter(status=Submission.Status.SUBMITTED)


def submissions_to_fix() -> QuerySet[Submission]:
    """SDO's turn: returned by FAO with a reason."""
    return Submission.objects.filter(status=Submission.Status.RETURNED)


def submissions_overdue() -> QuerySet[Submission]:
    """SDO's turn: past the due date (flagged by the daily check) and still not sent."""
    return Submission.objects.filter(overdue_since__isnull=False, status__in=Submission.EDITABLE)


def submission_list(
    *,
    period_id: int | None = None,
    status: str | None = None,
    search: str = "",
    overdue: bool = False,
) -> QuerySet[Submission]:
    contacts = (
        Contact.objects.filter(submission=OuterRef("pk"))
        .order_by()
        .values("submission")
        .annotate(n=Count("pk"))
        .values("n")
    )
    orders = (
        OrderLine.objects.filter(submission=OuterRef("pk"))
        .order_by()
        .values("submission")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = Submission.objects.select_related("vendor", "period").annotate(
        contact_count=Coalesce(Subquery(contacts, output_field=IntegerField()), 0),
        order_count=Coalesce(Subquery(orders, output_field=IntegerField()), 0),
    )
    if period_id:
        qs = qs.filter(period_id=period_id)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(pk__in=submissions_overdue().values("pk"))
    if search:
        qs = qs.filter(
            Q(vendor__business_name_th__icontains=search)
            | Q(vendor__business_name_en__icontains=search)
            | Q(vendor__certificate_number__icontains=search)
        )
    return qs.order_by("-period__fiscal_year", "-period__half", "vendor__business_name_th", "pk")


def submission_detail(*, pk: int) -> Submission:
    return (
        Submission.objects.select_related(
            "vendor", "period", "created_by", "submitted_by", "reviewed_by"
        )
        .prefetch_related(
            Prefetch(
                "contacts",
                queryset=Contact.objects.select_related(
                    "city", "session__year", "product"
                ).order_by("contacted_on", "pk"),
            ),
            Prefetch(
                "orders",
                queryset=OrderLine.objects.select_related("city", "product__category").order_by(
                    "ordered_on", "pk"
                ),
            ),
            "vendor_links",
        )
        .get(pk=pk)
    )


def submission_history(*, submission: Submission) -> list:
    return list(
        submission.history.select_related("history_user").order_by("-history_date", "-pk")[:50]
    )


@dataclass(frozen=True)
class EntryChoices:
    """The choices of a submission's lines, read once for every form of a formset."""

    cities: list[SisterCity]
    sessions: list[Session]
    products: list[Product]


def entry_choices(*, vendor: Vendor) -> EntryChoices:
    return EntryChoices(
        cities=list(SisterCity.objects.order_by("name_en")),
        sessions=list(
            Session.objects.filter(held_session_q())
            .select_related("year")
            .prefetch_related(Prefetch("cities", queryset=SisterCity.objects.order_by("name_en")))
            .order_by("-year__fiscal_year", "-number")
        ),
        products=list(
            Product.objects.filter(vendor=vendor).select_related("category").order_by("name_th")
        ),
    )


def vendors_expected(*, period: ReportingPeriod) -> QuerySet[ShortlistEntry, Any]:
    """Vendor ids expected to report for a period: those who attended a held session of
    the period's fiscal year that started before the period ended."""
    return (
        ShortlistEntry.objects.filter(
            attended=True,
            session__year__fiscal_year=period.fiscal_year,
            session__starts_at__lt=period.fiscal_half.end,
        )
        .filter(held_session_q("session__"))
        .values("vendor_id")
    )


def _vendors_still_missing(period: ReportingPeriod) -> QuerySet[Vendor]:
    """Vendors expected for the period whose submission is not yet submitted or accepted,
    with `submission_status` (None when SDO has not started one)."""
    reported = Submission.objects.filter(
        vendor=OuterRef("pk"), period=period, status__in=Submission.REPORTED
    )
    status = Submission.objects.filter(vendor=OuterRef("pk"), period=period).values("status")[:1]
    return (
        Vendor.objects.filter(pk__in=vendors_expected(period=period))
        .filter(~Exists(reported))
        .annotate(submission_status=Subquery(status))
        .order_by("business_name_th")
    )


def vendors_still_missing_first(*, period: ReportingPeriod, limit: int) -> tuple[int, list]:
    """How many vendors the period still misses, and the first `limit` of them (one
    query: the count rides along as a window function).

    The filter on the window wraps the query in a subquery with the LIMIT outside it:
    with the LIMIT inside, PostgreSQL took the window for a stream it could stop early and
    walked all 50,000 vendors in name order, probing each (150-200 ms at ten times
    today's registry, against 23 ms for the hash join it plans now; #19)."""
    rows = list(
        _vendors_still_missing(period)
        .annotate(total=Window(Count("pk")))
        .filter(total__gt=0)
        .only("pk", "business_name_th", "business_name_en", "certificate_number")[:limit]
    )
    return (rows[0].total if rows else 0), rows


def vendors_still_missing(*, period: ReportingPeriod) -> list[Vendor]:
    """Every vendor the period still misses (see `_vendors_still_missing`)."""
    return list(_vendors_still_missing(period))


def vendor_choices_for_new_submission() -> QuerySet[Vendor]:
    return Vendor.objects.filter(is_active=True).order_by("business_name_th")


# --- KPI -----------------------------------------------------------------------------------


def kpi_snapshot_latest(*, year: ProgrammeYear) -> KpiSnapshot | None:
    """The latest stored KPI snapshot of a programme year, or None. Its `inputs` (the ids
    of every participant and of every vendor counted, kept to audit the figure) stay in
    the database unless read: the dashboard shows the figures, and decoding those lists
    cost it about a millisecond at ten times today's data (#19)."""
    return (
        KpiSnapshot.objects.filter(year=year)
        .defer("inputs")
        .select_related("year", "requested_by")
        .order_by("-computed_at", "-pk")
        .first()
    )


# --- Session outcomes (for the session report) -------------------------------------------


@dataclass(frozen=True)
class SessionOutcomes:
    contacts: list[Contact]
    orders: list[OrderLine]

    @property
    def order_value_thb(self) -> Decimal:
        return sum((o.value_thb for o in self.orders), Decimal("0"))


def outcomes_for_session(*, session: Session, accepted_only: bool = True) -> SessionOutcomes:
    """What followed from a session: the contacts whose "followed from session" is this
    session, and the orders placed by the vendors who attended it, from the session's
    cities, dated on or after the session's day (Bangkok). Only accepted submissions
    unless `accepted_only` is False. Two queries."""
    submissions = Q(submission__status=Submission.Status.ACCEPTED) if accepted_only else Q()
    contacts = list(
        Contact.objects.filter(submissions, session=session)
        .select_related("submission__vendor", "submission__period", "city", "product__category")
        .order_by("contacted_on", "pk")
    )
    orders: list[OrderLine] = []
    if session.starts_at is not None:
        day = session.starts_at.astimezone(BANGKOK).date()
        orders = list(
            OrderLine.objects.filter(
                submissions,
                submission__vendor__in=ShortlistEntry.objects.filter(
                    session=session, attended=True
                ).values("vendor_id"),
                city__in=Session.cities.through.objects.filter(session=session).values(
                    "sistercity_id"
                ),
                ordered_on__gte=day,
            )
            .select_related("submission__vendor", "submission__period", "city", "product__category")
            .order_by("ordered_on", "pk")
        )
    return SessionOutcomes(contacts=contacts, orders=orders)


def upload_report(upload) -> dict:
    """An upload's stored report, ready to show in the reader's language."""
    from core.spreadsheets import CREATE, DELETE, UNCHANGED, lifecycle

    preview = lifecycle.preview(upload, get_language())
    return {
        **{k: preview[k] for k in ("errors", "warnings", "dropped", "items", "rows")},
        # The outcome form names its two sheets with labels of its own.
        "counts": [
            {
                "entity": c["key"],
                "label": pgettext("outcomes", "Contacts") if c["key"] == "contact" else _("Orders"),
                "create": c.get(CREATE, 0),
                "delete": c.get(DELETE, 0),
                "unchanged": c.get(UNCHANGED, 0),
            }
            for c in preview["counts"]
        ],
    }
