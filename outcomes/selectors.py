"""Reads of outcome submissions, statistics and KPI snapshots. Each selector runs a fixed
number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cities.models import SisterCity
from core.fiscal import BANGKOK
from meetings.models import ProgrammeYear, Session, ShortlistEntry
from vendors.models import Product, ProductCategory, Vendor

from .kpi import KpiFigures, held_session_q, kpi_compute, report_delivered_q
from .models import Contact, KpiSnapshot, OrderLine, OutcomeTally, ReportingPeriod, Submission

__all__ = [
    "KpiFigures",
    "held_session_q",
    "kpi_compute",
    "kpi_snapshot_latest",
    "outcomes_for_session",
    "report_delivered_q",
    "statistics_by_city_and_category",
]


# --- Periods and years -----------------------------------------------------------------------


def reporting_periods() -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.all()


def programme_years() -> QuerySet[ProgrammeYear]:
    return ProgrammeYear.objects.order_by("-fiscal_year")


def _fiscal_year_of(year: ProgrammeYear | int) -> int:
    return year.fiscal_year if isinstance(year, ProgrammeYear) else int(year)


# --- Submissions ----------------------------------------------------------------------------


def submission_list(
    *, period_id: int | None = None, status: str | None = None, search: str = ""
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


def vendors_expected(*, period: ReportingPeriod) -> QuerySet[ShortlistEntry]:
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


def vendors_still_missing_first(*, period: ReportingPeriod, limit: int) -> tuple[int, list]:
    """How many vendors the period still misses, and the first `limit` of them (one
    query: the count rides along as a window function)."""
    reported = Submission.objects.filter(
        vendor=OuterRef("pk"), period=period, status__in=Submission.REPORTED
    )
    status = Submission.objects.filter(vendor=OuterRef("pk"), period=period).values("status")[:1]
    rows = list(
        Vendor.objects.filter(pk__in=vendors_expected(period=period))
        .filter(~Exists(reported))
        .annotate(submission_status=Subquery(status), total=Window(Count("pk")))
        .only("pk", "business_name_th", "business_name_en", "certificate_number")
        .order_by("business_name_th")[:limit]
    )
    return (rows[0].total if rows else 0), rows


def vendors_still_missing(*, period: ReportingPeriod) -> list[Vendor]:
    """Vendors expected for the period whose submission is not yet submitted or accepted,
    with `submission_status` (None when SDO has not started one)."""
    reported = Submission.objects.filter(
        vendor=OuterRef("pk"), period=period, status__in=Submission.REPORTED
    )
    status = Submission.objects.filter(vendor=OuterRef("pk"), period=period).values("status")[:1]
    return list(
        Vendor.objects.filter(pk__in=vendors_expected(period=period))
        .filter(~Exists(reported))
        .annotate(submission_status=Subquery(status))
        .order_by("business_name_th")
    )


def vendor_choices_for_new_submission() -> QuerySet[Vendor]:
    return Vendor.objects.filter(is_active=True).order_by("business_name_th")


# --- KPI -----------------------------------------------------------------------------------


def kpi_snapshot_latest(*, year: ProgrammeYear) -> KpiSnapshot | None:
    """The latest stored KPI snapshot of a programme year, or None."""
    return (
        KpiSnapshot.objects.filter(year=year)
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


# --- Statistics -----------------------------------------------------------------------------


@dataclass
class StatisticsRow:
    city_id: int
    city: SisterCity
    category_id: int | None
    category: ProductCategory | None
    fiscal_year: int
    half: int
    contacts: int = 0
    buying_contacts: int = 0
    products_contacted: int = 0
    orders: int = 0
    products_ordered: int = 0
    value_thb: Decimal = Decimal("0")
    computed_at: dt.datetime | None = None

    @property
    def period_label(self) -> str:
        return ReportingPeriod(fiscal_year=self.fiscal_year, half=self.half).label


def _period_filter(fiscal_years: list[int] | None, prefix: str = "submission__") -> Q:
    q = Q(**{f"{prefix}status": Submission.Status.ACCEPTED})
    if fiscal_years is not None:
        q &= Q(**{f"{prefix}period__fiscal_year__in": fiscal_years})
    return q


def statistics_compute(fiscal_years: list[int] | None) -> list[StatisticsRow]:
    """The statistics added up from the accepted submissions' lines (two grouped queries
    plus the cities and categories). The worker stores the result as OutcomeTally rows;
    pages read those (`_statistics_rows`)."""
    keys = ("city_id", "category_id", "fiscal_year", "half")
    contact_rows = (
        Contact.objects.filter(_period_filter(fiscal_years))
        .values(
            "city_id",
            category_id=F("product__category_id"),
            fiscal_year=F("submission__period__fiscal_year"),
            half=F("submission__period__half"),
        )
        .annotate(
            n=Count("pk"),
            buying=Count("pk", filter=Q(about_buying=True)),
            products=Count("product_id", distinct=True),
        )
        .order_by()
    )
    order_rows = (
        OrderLine.objects.filter(_period_filter(fiscal_years))
        .values(
            "city_id",
            category_id=F("product__category_id"),
            fiscal_year=F("submission__period__fiscal_year"),
            half=F("submission__period__half"),
        )
        .annotate(
            n=Count("pk"), products=Count("product_id", distinct=True), value=Sum("value_thb")
        )
        .order_by()
    )
    cities = {c.pk: c for c in SisterCity.objects.all()}
    categories = {c.pk: c for c in ProductCategory.objects.all()}
    rows: dict[tuple, StatisticsRow] = {}

    def row_for(values: dict) -> StatisticsRow:
        key = tuple(values[k] for k in keys)
        if key not in rows:
            rows[key] = StatisticsRow(
                city_id=values["city_id"],
                city=cities[values["city_id"]],
                category_id=values["category_id"],
                category=categories.get(values["category_id"]),
                fiscal_year=values["fiscal_year"],
                half=values["half"],
            )
        return rows[key]

    for values in contact_rows:
        row = row_for(values)
        row.contacts = values["n"]
        row.buying_contacts = values["buying"]
        row.products_contacted = values["products"]
    for values in order_rows:
        row = row_for(values)
        row.orders = values["n"]
        row.products_ordered = values["products"]
        row.value_thb = values["value"] or Decimal("0")
    return _sort_rows(list(rows.values()))


def _sort_rows(rows: list[StatisticsRow]) -> list[StatisticsRow]:
    return sorted(
        rows,
        key=lambda r: (
            r.fiscal_year,
            r.half,
            r.city.name_en,
            r.category.code if r.category else 99,
        ),
    )


TALLY_FIELDS = (
    "city_id",
    "category_id",
    "fiscal_year",
    "half",
    "contacts",
    "buying_contacts",
    "products_contacted",
    "orders",
    "products_ordered",
    "value_thb",
    "computed_at",
)


def _statistics_rows(fiscal_years: list[int] | None) -> list[StatisticsRow]:
    """The stored tallies as statistics rows: three small queries."""
    tallies = OutcomeTally.objects.order_by()
    if fiscal_years is not None:
        tallies = tallies.filter(fiscal_year__in=fiscal_years)
    cities = {c.pk: c for c in SisterCity.objects.all()}
    categories = {c.pk: c for c in ProductCategory.objects.all()}
    return _sort_rows(
        [
            StatisticsRow(
                **values,
                city=cities[values["city_id"]],
                category=categories.get(values["category_id"]),
            )
            for values in tallies.values(*TALLY_FIELDS)
        ]
    )


def statistics_by_city_and_category(
    *, year: ProgrammeYear | int | None, live: bool = False
) -> list[StatisticsRow]:
    """The statistics database: per sister city, product category and reporting period,
    the contacts (all, about buying, distinct products asked about) and the orders (lines,
    distinct products, value in THB) of accepted submissions. `year` is a programme year
    or a BE fiscal year; None gives every year.

    By default the tallies the worker keeps (refreshed when a submission is accepted or
    reopened, and nightly): one query. `live=True` adds up the lines now (four queries)."""
    fiscal_years = None if year is None else [_fiscal_year_of(year)]
    return statistics_compute(fiscal_years) if live else _statistics_rows(fiscal_years)


# --- Dashboard -------------------------------------------------------------------------------


@dataclass
class Breakdown:
    key: object
    label: str
    short_label: str = ""  # on a chart's axis, where the label is too long
    contacts: int = 0
    buying_contacts: int = 0
    orders: int = 0
    value_thb: Decimal = Decimal("0")


MISSING_SHOWN = 50


@dataclass
class MissingForPeriod:
    period: ReportingPeriod
    count: int
    shown: list[Vendor]
    is_overdue: bool

    @property
    def not_shown(self) -> int:
        return max(0, self.count - len(self.shown))


@dataclass
class DashboardData:
    year: ProgrammeYear
    years: list[ProgrammeYear]
    snapshot: KpiSnapshot | None
    by_city: list[Breakdown]
    by_category: list[Breakdown]
    by_period: list[Breakdown]
    trend: list[Breakdown]
    missing: list[MissingForPeriod]
    tallied_at: dt.datetime | None = None


def _breakdown(rows: list[StatisticsRow], key, label) -> list[Breakdown]:
    result: dict[object, Breakdown] = {}
    for row in rows:
        k = key(row)
        item = result.setdefault(k, Breakdown(key=k, label=label(row)))
        item.contacts += row.contacts
        item.buying_contacts += row.buying_contacts
        item.orders += row.orders
        item.value_thb += row.value_thb
    return list(result.values())


TREND_YEARS = 3


def dashboard_data(
    *,
    year: ProgrammeYear,
    years: list[ProgrammeYear] | None = None,
    today: dt.date | None = None,
) -> DashboardData:
    """Everything the executives' and FAO's dashboard shows for one programme year, in a
    fixed number of queries."""
    today = today or timezone.localdate()
    years = list(programme_years()) if years is None else years
    fiscal_years = [year.fiscal_year - n for n in range(TREND_YEARS - 1, -1, -1)]
    all_rows = _statistics_rows(fiscal_years)
    rows = [r for r in all_rows if r.fiscal_year == year.fiscal_year]

    by_city = sorted(
        _breakdown(rows, lambda r: r.city_id, lambda r: r.city.name),
        key=lambda b: (-b.contacts, b.label),
    )
    by_category = sorted(
        _breakdown(
            rows,
            lambda r: r.category.code if r.category else 99,
            lambda r: r.category.name if r.category else _("Not stated"),
        ),
        key=lambda b: b.key,
    )

    def period_label(r: StatisticsRow) -> str:
        return ReportingPeriod(fiscal_year=r.fiscal_year, half=r.half).fiscal_half.label()

    trend_items = {
        b.key: b for b in _breakdown(all_rows, lambda r: (r.fiscal_year, r.half), period_label)
    }
    trend = []
    for fiscal_year in fiscal_years:
        for half in (1, 2):
            key = (fiscal_year, half)
            item = trend_items.get(key) or Breakdown(
                key=key,
                label=ReportingPeriod(fiscal_year=fiscal_year, half=half).fiscal_half.label(),
            )
            item.short_label = _("FY %(year)s H%(half)s") % {"year": fiscal_year, "half": half}
            trend.append(item)
    by_period = [b for b in trend if b.key[0] == year.fiscal_year]

    periods = list(ReportingPeriod.objects.filter(fiscal_year=year.fiscal_year).order_by("half"))
    missing = []
    for period in periods:
        count, shown = vendors_still_missing_first(period=period, limit=MISSING_SHOWN)
        missing.append(
            MissingForPeriod(
                period=period, count=count, shown=shown, is_overdue=period.due_on < today
            )
        )
    return DashboardData(
        year=year,
        years=years,
        snapshot=kpi_snapshot_latest(year=year),
        by_city=by_city,
        by_category=by_category,
        by_period=by_period,
        trend=trend,
        missing=missing,
        tallied_at=max((r.computed_at for r in all_rows if r.computed_at), default=None),
    )


def statistics_totals(rows: list[StatisticsRow]) -> dict:
    return {
        "contacts": sum(r.contacts for r in rows),
        "buying_contacts": sum(r.buying_contacts for r in rows),
        "orders": sum(r.orders for r in rows),
        "value_thb": sum((r.value_thb for r in rows), Decimal("0")),
    }


def _series(items: list[Breakdown]) -> dict:
    return {
        "labels": [str(b.short_label or b.label) for b in items],
        "contacts": [b.contacts for b in items],
        "buying": [b.buying_contacts for b in items],
        "orders": [b.orders for b in items],
        "value": [float(b.value_thb) for b in items],
    }


def dashboard_chart_data(data: DashboardData) -> dict:
    """The numbers the dashboard's charts draw (the tables beside them show the same)."""
    snapshot = data.snapshot
    return {
        "names": {
            "contacts": pgettext("outcomes", "Contacts"),
            "buying": _("Contacts about buying"),
            "orders": _("Orders"),
            "achieved": _("Reached the KPI"),
            "not_yet": _("Not yet"),
            "done": _("Done"),
            "target": _("Target"),
            "sessions": _("Sessions held"),
            "reports": _("Session reports delivered"),
        },
        "kpi": None
        if snapshot is None
        else {
            "participants": snapshot.participants,
            "achieved": snapshot.achieved,
            "percent": float(snapshot.percent) if snapshot.percent is not None else None,
            "target": snapshot.target_percent,
        },
        "outputs": None
        if snapshot is None
        else {
            "done": [snapshot.sessions_held, snapshot.reports_delivered],
            "target": [snapshot.target_sessions, snapshot.target_reports],
        },
        "by_city": _series(data.by_city),
        "by_category": _series(data.by_category),
        "by_period": _series(data.by_period),
        "trend": _series(data.trend),
    }


def upload_report(upload) -> dict:
    """An upload's stored report, ready to show in the reader's language."""
    from core.spreadsheets import CREATE, DELETE, UNCHANGED, PlanItem
    from core.spreadsheets.messages import Issue

    report = upload.report or {}
    issues = [Issue.from_dict(i) for i in report.get("issues", [])]
    plan = report.get("plan") or {}
    counts = plan.get("counts", {})
    return {
        "errors": [i for i in issues if i.is_error],
        "warnings": [i for i in issues if not i.is_error],
        "dropped": report.get("dropped", 0),
        "items": [PlanItem.from_dict(i) for i in plan.get("items", [])],
        "counts": [
            {
                "entity": entity,
                "label": pgettext("outcomes", "Contacts") if entity == "contact" else _("Orders"),
                "create": c.get(CREATE, 0),
                "delete": c.get(DELETE, 0),
                "unchanged": c.get(UNCHANGED, 0),
            }
            for entity, c in counts.items()
        ],
        "rows": report.get("rows", 0),
    }
