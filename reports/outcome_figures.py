"""The outcomes app's figures, as the reports show them: read where outcomes keeps them
(outcomes.selectors, and outcomes.figures for the statistics), turned into plain rows the
report templates print."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from meetings.models import ProgrammeYear, Session
from outcomes.figures import statistics_by_city_and_category
from outcomes.selectors import (
    KpiFigures,
    kpi_compute,
    outcomes_for_session,
)


def kpi(*, year: ProgrammeYear) -> KpiFigures:
    """The indicators at the time of the report: computed now by the outcomes app's rule
    (read only, two queries). The nightly snapshot could predate this very session's
    being held, or its report's delivery."""
    return kpi_compute(year=year)


@dataclass(frozen=True)
class ContactRow:
    vendor: str
    city: str
    counterpart: str
    kind: str
    direction: str
    date: dt.date
    about_buying: bool
    notes: str = ""


@dataclass(frozen=True)
class OrderRow:
    vendor: str
    city: str
    product: str
    quantity: Decimal
    unit: str
    value_thb: Decimal
    date: dt.date
    notes: str = ""


@dataclass(frozen=True)
class SessionOutcomes:
    contacts: list[ContactRow] = field(default_factory=list)
    orders: list[OrderRow] = field(default_factory=list)

    @property
    def order_value_thb(self) -> Decimal:
        return sum((o.value_thb for o in self.orders), Decimal(0))

    @property
    def buying_contacts(self) -> int:
        return sum(1 for c in self.contacts if c.about_buying)


def for_session(*, session: Session) -> SessionOutcomes:
    """Contacts and orders of accepted outcome forms that followed the session."""
    result = outcomes_for_session(session=session)
    contacts = [
        ContactRow(
            vendor=c.submission.vendor.business_name,
            city=c.city.name,
            counterpart=", ".join(
                part for part in (c.counterpart_name, c.counterpart_organisation) if part
            ),
            kind=c.get_counterpart_kind_display(),
            direction=c.get_direction_display(),
            date=c.contacted_on,
            about_buying=c.about_buying,
            notes=c.notes,
        )
        for c in result.contacts
    ]
    orders = [
        OrderRow(
            vendor=o.submission.vendor.business_name,
            city=o.city.name,
            product=o.product.name,
            quantity=o.quantity,
            unit=o.unit,
            value_thb=o.value_thb,
            date=o.ordered_on,
            notes=o.notes,
        )
        for o in result.orders
    ]
    return SessionOutcomes(contacts=contacts, orders=orders)


@dataclass(frozen=True)
class StatisticsRow:
    label: str
    contacts: int
    orders: int
    value_thb: Decimal


@dataclass(frozen=True)
class Statistics:
    by_city: list[StatisticsRow]
    by_category: list[StatisticsRow]
    contacts: int = 0
    buying_contacts: int = 0
    orders: int = 0
    value_thb: Decimal = Decimal(0)


def statistics(*, year: ProgrammeYear) -> Statistics:
    """Per city and per category, summed over the year's reporting periods; counted now
    (live), like the KPI, rather than read from the worker's tallies."""
    rows = statistics_by_city_and_category(year=year, live=True)
    by_city: dict[object, list] = {}
    by_category: dict[object, list] = {}
    for row in rows:
        city_key = (row.city.name, row.city_id)
        category_key = (row.category.code, row.category.name) if row.category else (99, None)
        for table, key in ((by_city, city_key), (by_category, category_key)):
            totals = table.setdefault(key, [0, 0, Decimal(0)])
            totals[0] += row.contacts
            totals[1] += row.orders
            totals[2] += row.value_thb

    def as_rows(table: dict, label) -> list[StatisticsRow]:
        return [
            StatisticsRow(label=label(key), contacts=c, orders=o, value_thb=v)
            for key, (c, o, v) in sorted(table.items(), key=lambda item: item[0])
        ]

    return Statistics(
        by_city=as_rows(by_city, lambda key: key[0]),
        by_category=as_rows(by_category, lambda key: key[1] or _("Category not stated")),
        contacts=sum(r.contacts for r in rows),
        buying_contacts=sum(r.buying_contacts for r in rows),
        orders=sum(r.orders for r in rows),
        value_thb=sum((r.value_thb for r in rows), Decimal(0)),
    )


@dataclass(frozen=True)
class YearFigures:
    """A programme year's indicators and statistics, for comparing one year with another."""

    year: ProgrammeYear
    kpi: KpiFigures
    statistics: Statistics


def year_figures(*, year: ProgrammeYear) -> YearFigures:
    return YearFigures(year=year, kpi=kpi(year=year), statistics=statistics(year=year))


def previous_year_figures(*, year: ProgrammeYear) -> YearFigures | None:
    """The figures of the fiscal year before, counted by the same rules as this year's;
    None when the portal has no programme year for it."""
    previous = ProgrammeYear.objects.filter(fiscal_year=year.fiscal_year - 1).first()
    return None if previous is None else year_figures(year=previous)
