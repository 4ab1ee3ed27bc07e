"""The statistics database and the dashboard: contacts and orders of accepted submissions
by sister city, product category and reporting period, the KPI snapshot, and the vendors
still to report. Pages read the tallies the worker keeps, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, overload

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, DecimalField, F, IntegerField, Q, QuerySet, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cities.models import SisterCity
from core.compiled import compiled_instances, compiled_rows
from core.fiscal import FiscalHalf
from core.i18n import picker
from meetings.models import ProgrammeYear
from vendors.models import Product, ProductCategory, Vendor

from .models import Contact, KpiSnapshot, OrderLine, OutcomeTally, ReportingPeriod, Submission
from .selectors import (
    _fiscal_year_of,
    kpi_snapshot_latest,
    programme_years_list,
    vendors_still_missing_first,
)

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


# How a contact or order line is grouped, besides its city: the same for both kinds.
_LINE_GROUPS = {
    "category_id": F("product__category_id"),
    "fiscal_year": F("submission__period__fiscal_year"),
    "half": F("submission__period__half"),
}


def _cities_and_categories() -> tuple[dict[int, SisterCity], dict[int, ProductCategory]]:
    """Every city and category by id, read once (two queries) to name the rows."""
    return (
        {c.pk: c for c in compiled_instances(_all_cities)},
        {c.pk: c for c in compiled_instances(_all_categories)},
    )


def _all_cities() -> QuerySet[SisterCity]:
    return SisterCity.objects.all()


def _all_categories() -> QuerySet[ProductCategory]:
    return ProductCategory.objects.all()


def statistics_compute(fiscal_years: list[int] | None) -> list[StatisticsRow]:
    """The statistics added up from the accepted submissions' lines (two grouped queries
    plus the cities and categories). The worker stores the result as OutcomeTally rows;
    pages read those (`_statistics_rows`)."""
    keys = ("city_id", *_LINE_GROUPS)
    contact_rows = (
        Contact.objects.filter(_period_filter(fiscal_years))
        .values("city_id", **_LINE_GROUPS)
        .annotate(
            n=Count("pk"),
            buying=Count("pk", filter=Q(about_buying=True)),
            products=Count("product_id", distinct=True),
        )
        .order_by()
    )
    order_rows = (
        OrderLine.objects.filter(_period_filter(fiscal_years))
        .values("city_id", **_LINE_GROUPS)
        .annotate(
            n=Count("pk"), products=Count("product_id", distinct=True), value=Sum("value_thb")
        )
        .order_by()
    )
    cities, categories = _cities_and_categories()
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
    return _rows_of_tallies(tallies.values(*TALLY_FIELDS), *_cities_and_categories())


def _rows_of_tallies(
    tallies: Iterable[dict[str, Any]],
    cities: dict[int, SisterCity],
    categories: dict[int, ProductCategory],
) -> list[StatisticsRow]:
    return _sort_rows(
        [
            StatisticsRow(
                **values,
                city=cities[values["city_id"]],
                category=categories.get(values["category_id"]),
            )
            for values in tallies
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
    key: Any  # what the rows are grouped by: an id, or (fiscal year, half) on the trend
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
        item = result.get(k)
        if item is None:  # a label (and its translation) once per key, not once per row
            item = result[k] = Breakdown(key=k, label=label(row))
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
    years = programme_years_list() if years is None else years
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
        return FiscalHalf(r.fiscal_year, r.half).label()

    trend_items = {
        b.key: b for b in _breakdown(all_rows, lambda r: (r.fiscal_year, r.half), period_label)
    }
    trend = []
    for fiscal_year in fiscal_years:
        for half in (1, 2):
            key = (fiscal_year, half)
            item = trend_items.get(key) or Breakdown(
                key=key,
                label=FiscalHalf(fiscal_year, half).label(),
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


def _digest(values: object) -> str:
    return hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()


def statistics_rows_key(rows: list[StatisticsRow]) -> str:
    """Everything the statistics table shows of these rows, as a digest: the page keeps
    the table rendered under it (with the language), since rendering its cells cost five
    times its query (#19). A changed figure or a renamed city or category gives another
    key, so a table is never shown stale."""
    return _digest(
        [
            (
                r.fiscal_year,
                r.half,
                r.city.name_th,
                r.city.name_en,
                (r.category.name_th, r.category.name_en) if r.category else None,
                r.contacts,
                r.buying_contacts,
                r.products_contacted,
                r.orders,
                r.products_ordered,
                str(r.value_thb),
            )
            for r in rows
        ]
    )


def statistics_products_key(by_product: ProductStatistics | None) -> str:
    """The same for one page of the table by product and sister city."""
    if by_product is None:
        return ""
    return _digest(
        [
            (
                r.product_name,
                r.vendor_name,
                (r.category.name_th, r.category.name_en) if r.category else None,
                r.city.name_th,
                r.city.name_en,
                r.contacts,
                r.buying_contacts,
                r.orders,
                [(str(q.quantity), q.unit) for q in r.quantities],
                str(r.value_thb),
            )
            for r in by_product.rows
        ]
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


# --- Per product, and line by line ---------------------------------------------------------

PRODUCTS_PER_PAGE = 50


@dataclass(frozen=True)
class Quantity:
    quantity: Decimal
    unit: str

    @property
    def amount(self) -> Decimal:
        """The quantity without trailing zeros (15.5, not 15.50; 40, not 4E+1)."""
        value = self.quantity.normalize()
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


@dataclass
class ProductRow:
    """One product's contacts and orders from one sister city over a fiscal year. Orders
    keep their own units (a box and a carton do not add up): one quantity per unit."""

    product_id: int
    city: SisterCity
    contacts: int = 0
    buying_contacts: int = 0
    orders: int = 0
    quantities: list[Quantity] = field(default_factory=list)
    value_thb: Decimal = Decimal("0")
    product_name: str = ""
    vendor_name: str = ""
    category: ProductCategory | None = None


@dataclass
class ProductStatistics:
    rows: list[ProductRow]  # the rows of the page asked for
    page: Page


# Ranking every accepted line of a year took seconds at 500,000 contacts (#19), and the
# lines only change with the tallies; the TTL bounds a ranking the tallies lag behind.
RANKING_CACHE_SECONDS = 600


def _ranking_key(fiscal_years: list[int], *, last: int | None, rows: int) -> str:
    """A key that changes whenever the tallies of these years are refreshed: a refresh
    replaces their rows, so the newest id (`last`) moves on."""
    years = "-".join(map(str, fiscal_years))
    return f"outcomes:by-product:{years}:{last}:{rows}"


# (product id, city id, contacts, about buying, orders, value in baht)
_Pair = tuple[int, int, int, int, int, Decimal]


class _RankedPairs:
    """The (product, sister city) pairs of a fiscal year's accepted lines, ranked by the
    database (largest value, then most orders, then most contacts), for a Paginator: its
    count is one query and each page one more, so no request reads every pair."""

    def __init__(self, fiscal_years: list[int], *, cache_key: str | None = None):
        self.cache_key = cache_key
        self.fiscal_years = fiscal_years
        self._lines: tuple[str, tuple[Any, ...]] | None = None
        self._count: int | None = None

    def lines(self) -> tuple[str, tuple[Any, ...]]:
        """The UNION of both kinds of line and its parameters, compiled when a count or a
        page is not in the cache (compiling the two querysets cost more than reading a
        cached page, #19)."""
        if self._lines is None:
            self._lines = self._compile(self.fiscal_years)
        return self._lines

    @staticmethod
    def _compile(fiscal_years: list[int]) -> tuple[str, tuple[Any, ...]]:
        contacts = (
            Contact.objects.filter(_period_filter(fiscal_years), product__isnull=False)
            .values("product_id", "city_id")
            .annotate(
                n=Count("pk"),
                buying=Count("pk", filter=Q(about_buying=True)),
                orders=Value(0, output_field=IntegerField()),
                value=Value(Decimal("0"), output_field=DecimalField()),
            )
            .order_by()
        )
        orders = (
            OrderLine.objects.filter(_period_filter(fiscal_years))
            .values("product_id", "city_id")
            .annotate(
                n=Value(0, output_field=IntegerField()),
                buying=Value(0, output_field=IntegerField()),
                orders=Count("pk"),
                value=Sum("value_thb"),
            )
            .order_by()
        )
        contacts_sql, contacts_params = contacts.query.sql_with_params()
        orders_sql, orders_params = orders.query.sql_with_params()
        return (
            f"({contacts_sql} UNION ALL {orders_sql}) AS lines",
            (*contacts_params, *orders_params),
        )

    def count(self) -> int:
        if self._count is None and self.cache_key:
            self._count = cache.get(f"{self.cache_key}:count")
        if self._count is None:
            # The ORM's own SQL, its values passed as parameters.
            lines, params = self.lines()
            sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM {lines} GROUP BY product_id, city_id) AS pairs"  # noqa: E501, S608
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                self._count = cursor.fetchone()[0]
            if self.cache_key:
                cache.set(f"{self.cache_key}:count", self._count, RANKING_CACHE_SECONDS)
        return self._count

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int, /) -> _Pair: ...

    @overload
    def __getitem__(self, index: slice, /) -> list[_Pair]: ...

    def __getitem__(self, index: int | slice, /) -> _Pair | list[_Pair]:
        if isinstance(index, int):
            return self._window(index, index + 1)[0]
        return self._window(index.start or 0, index.stop)

    def __iter__(self) -> Iterator[_Pair]:
        return iter(self._window(0, len(self)))

    def _window(self, start: int, stop: int) -> list[_Pair]:
        key = f"{self.cache_key}:{start}:{stop}" if self.cache_key else None
        cached: list[_Pair] | None = cache.get(key) if key else None
        if cached is not None:
            return cached
        page = self._rank(start, stop)
        if key:
            cache.set(key, page, RANKING_CACHE_SECONDS)
        return page

    def _rank(self, start: int, stop: int) -> list[_Pair]:
        ranking = "SUM(value) DESC, SUM(orders) DESC, SUM(n) DESC, product_id, city_id"
        lines, params = self.lines()
        sql = f"SELECT product_id, city_id, SUM(n), SUM(buying), SUM(orders), SUM(value) FROM {lines} GROUP BY product_id, city_id ORDER BY {ranking} LIMIT %s OFFSET %s"  # noqa: E501, S608
        with connection.cursor() as cursor:
            cursor.execute(sql, (*params, stop - start, start))
            return [
                (product_id, city_id, int(n), int(buying), int(orders), Decimal(str(value or 0)))
                for product_id, city_id, n, buying, orders, value in cursor.fetchall()
            ]


@dataclass
class StatisticsPage:
    rows: list[StatisticsRow]  # per city, category and half: the tallies
    by_product: ProductStatistics


def statistics_page(
    *, year: ProgrammeYear | int, page: int | str | None = 1, per_page: int = PRODUCTS_PER_PAGE
) -> StatisticsPage:
    """Both tables of the statistics page.

    Per city, category and half: the tallies the worker keeps. Per product and sister
    city: the accepted submissions' contacts (all, about buying) and orders (lines,
    quantity per unit, value) of the fiscal year, largest value first; the database adds
    up and ranks both kinds of line and hands over one page (the count and the page, both
    kept in the cache under a key that the tallies give), then the page's quantities per
    unit and its products' names, one query each. The cities and categories are read once
    for the two tables (#19: each query cost about a millisecond of Python on a page whose
    SQL takes about ten)."""
    fiscal_years = [_fiscal_year_of(year)]
    cities, categories = _cities_and_categories()
    rows = compiled_rows(_tallies_of, tuple(fiscal_years))
    ids = [pk for pk, *_values in rows]
    tallies = [dict(zip(TALLY_FIELDS, values, strict=True)) for _pk, *values in rows]
    return StatisticsPage(
        rows=_rows_of_tallies(tallies, cities, categories),
        by_product=_products_page(
            fiscal_years,
            page=page,
            per_page=per_page,
            cache_key=_ranking_key(fiscal_years, last=max(ids, default=None), rows=len(ids)),
            cities=cities,
            categories=categories,
        ),
    )


def _products_page(
    fiscal_years: list[int],
    *,
    page: int | str | None,
    per_page: int,
    cache_key: str,
    cities: dict[int, SisterCity],
    categories: dict[int, ProductCategory],
) -> ProductStatistics:
    ranked = _RankedPairs(fiscal_years, cache_key=cache_key)
    paged = Paginator(ranked, per_page).get_page(page)
    pairs = {(product_id, city_id) for product_id, city_id, *_ in paged.object_list}
    # Compiled once per page of products (core.compiled): both reads cost more Python to
    # build than their SQL takes (#19).
    product_ids = tuple(sorted({p for p, _c in pairs}))
    years = tuple(fiscal_years)
    quantities: dict[tuple[int, int], list[Quantity]] = {}
    for product_id, city_id, unit, quantity in compiled_rows(_quantities_of, years, product_ids):
        if (product_id, city_id) in pairs:
            quantities.setdefault((product_id, city_id), []).append(
                Quantity(quantity=quantity, unit=unit)
            )
    name = picker()
    # Plain values, not model instances: a row shows two names and a category (#19).
    products = {
        pk: (name(name_th, name_en), name(vendor_th, vendor_en), category_id)
        for pk, name_th, name_en, vendor_th, vendor_en, category_id in compiled_rows(
            _names_of_products, product_ids
        )
    }
    rows = []
    for product_id, city_id, n, buying, orders, value in paged.object_list:
        product_name, vendor_name, category_id = products[product_id]
        rows.append(
            ProductRow(
                product_id=product_id,
                city=cities[city_id],
                contacts=n,
                buying_contacts=buying,
                orders=orders,
                quantities=quantities.get((product_id, city_id), []),
                value_thb=value,
                product_name=product_name,
                vendor_name=vendor_name,
                category=categories.get(category_id),
            )
        )
    return ProductStatistics(rows=rows, page=paged)


@dataclass(frozen=True)
class StatisticsLines:
    """Every contact and order line of a fiscal year's accepted submissions, as rows of
    plain values read by two queries streamed from the database."""

    contacts: Iterator[tuple]
    orders: Iterator[tuple]


CONTACT_LINE_FIELDS = (
    "submission__period__fiscal_year",
    "submission__period__half",
    "submission__vendor__business_name_th",
    "submission__vendor__business_name_en",
    "submission__vendor__certificate_number",
    "city__name_th",
    "city__name_en",
    "contacted_on",
    "counterpart_name",
    "counterpart_organisation",
    "counterpart_kind",
    "direction",
    "channel",
    "about_buying",
    "product__name_th",
    "product__name_en",
    "session__number",
    "session__year__fiscal_year",
    "notes",
)
ORDER_LINE_FIELDS = (
    "submission__period__fiscal_year",
    "submission__period__half",
    "submission__vendor__business_name_th",
    "submission__vendor__business_name_en",
    "submission__vendor__certificate_number",
    "city__name_th",
    "city__name_en",
    "ordered_on",
    "product__name_th",
    "product__name_en",
    "product__category__name_th",
    "product__category__name_en",
    "quantity",
    "unit",
    "value_thb",
    "notes",
)
LINES_CHUNK = 2000


def _tallies_of(fiscal_years: tuple[int, ...]) -> QuerySet[OutcomeTally, tuple[Any, ...]]:
    return (
        OutcomeTally.objects.filter(fiscal_year__in=fiscal_years)
        .order_by()
        .values_list("pk", *TALLY_FIELDS)
    )


def _quantities_of(
    fiscal_years: tuple[int, ...], product_ids: tuple[int, ...]
) -> QuerySet[OrderLine, tuple[Any, ...]]:
    return (
        OrderLine.objects.filter(_period_filter(list(fiscal_years)), product_id__in=product_ids)
        .values("product_id", "city_id", "unit")
        .annotate(quantity=Sum("quantity"))
        .order_by("product_id", "city_id", "unit")
        .values_list("product_id", "city_id", "unit", "quantity")
    )


def _names_of_products(product_ids: tuple[int, ...]) -> QuerySet[Product, tuple[Any, ...]]:
    return Product.objects.filter(pk__in=product_ids).values_list(
        "pk",
        "name_th",
        "name_en",
        "vendor__business_name_th",
        "vendor__business_name_en",
        "category_id",
    )


def _lines_of(year: ProgrammeYear | int) -> tuple[QuerySet[Contact], QuerySet[OrderLine]]:
    """The year's contact and order lines: what the export reads and what its bar counts."""
    fiscal_years = [_fiscal_year_of(year)]
    return (
        Contact.objects.filter(_period_filter(fiscal_years)),
        OrderLine.objects.filter(_period_filter(fiscal_years)),
    )


def statistics_lines(*, year: ProgrammeYear | int) -> StatisticsLines:
    contact_lines, order_lines = _lines_of(year)
    contacts = (
        contact_lines.order_by("submission__period__half", "contacted_on", "pk")
        .values_list(*CONTACT_LINE_FIELDS)
        .iterator(chunk_size=LINES_CHUNK)
    )
    orders = (
        order_lines.order_by("submission__period__half", "ordered_on", "pk")
        .values_list(*ORDER_LINE_FIELDS)
        .iterator(chunk_size=LINES_CHUNK)
    )
    return StatisticsLines(contacts=contacts, orders=orders)


def statistics_lines_count(*, year: ProgrammeYear | int) -> tuple[int, int]:
    """How many contact and order lines `statistics_lines` reads: the export's progress."""
    contact_lines, order_lines = _lines_of(year)
    return contact_lines.count(), order_lines.count()
