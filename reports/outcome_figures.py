"""The outcomes app's figures, as the reports show them: the one place that reads them.

`kpi`, `for_session` and `statistics` return None when the outcomes app cannot give the
figure; the report then says so in words rather than print a number that is not real.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from meetings.models import ProgrammeYear, Session


def _selectors():
    try:
        from outcomes import selectors
    except ImportError:
        return None
    return selectors


@dataclass(frozen=True)
class Kpi:
    participants: int
    achieved: int
    percent: Decimal | None
    target_percent: int
    sessions_held: int
    target_sessions: int
    reports_delivered: int
    target_reports: int
    computed_at: dt.datetime | None

    @property
    def target_met(self) -> bool | None:
        if self.percent is None:
            return None
        return self.percent >= self.target_percent


def kpi(*, year: ProgrammeYear) -> Kpi | None:
    """The latest KPI snapshot, as the executives' dashboard shows it; when the year has
    none yet, the figures computed now (read only, nothing stored)."""
    selectors = _selectors()
    read = getattr(selectors, "kpi_snapshot_latest", None)
    if read is None:
        return None
    snapshot = read(year=year)
    if snapshot is None:
        snapshot = _computed_now(year)
        if snapshot is None:
            return None
    return Kpi(
        participants=snapshot.participants,
        achieved=snapshot.achieved,
        percent=snapshot.percent,
        target_percent=snapshot.target_percent,
        sessions_held=snapshot.sessions_held,
        target_sessions=getattr(snapshot, "target_sessions", year.target_sessions),
        reports_delivered=snapshot.reports_delivered,
        target_reports=getattr(snapshot, "target_reports", year.target_reports),
        computed_at=snapshot.computed_at,
    )


def _computed_now(year: ProgrammeYear):
    try:
        from outcomes.kpi import kpi_compute
    except ImportError:
        return None
    from types import SimpleNamespace

    from django.utils import timezone

    figures = kpi_compute(year=year)
    return SimpleNamespace(**{**vars(figures), "computed_at": timezone.now()})


@dataclass(frozen=True)
class ContactRow:
    vendor: str
    city: str
    counterpart: str
    kind: str
    direction: str
    date: dt.date
    about_buying: bool


@dataclass(frozen=True)
class OrderRow:
    vendor: str
    city: str
    product: str
    quantity: Decimal
    unit: str
    value_thb: Decimal
    date: dt.date


@dataclass(frozen=True)
class SessionOutcomes:
    contacts: list[ContactRow] = field(default_factory=list)
    orders: list[OrderRow] = field(default_factory=list)

    @property
    def order_value_thb(self) -> Decimal:
        return sum((o.value_thb for o in self.orders), Decimal(0))


def for_session(*, session: Session) -> SessionOutcomes | None:
    selectors = _selectors()
    read = getattr(selectors, "outcomes_for_session", None)
    if read is None:
        return None
    return _session_outcomes(read(session=session))


def _session_outcomes(result) -> SessionOutcomes:
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


def statistics(*, year: ProgrammeYear) -> Statistics | None:
    selectors = _selectors()
    read = getattr(selectors, "statistics_by_city_and_category", None)
    if read is None:
        return None
    return _statistics(read(year=year))


def _statistics(rows) -> Statistics:
    """Per city and per category, summed over the year's reporting periods."""
    from django.utils.translation import gettext as _

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
    )
