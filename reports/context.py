"""Everything a report shows, gathered in one place before any HTML is made.

The figures that belong to the outcomes app (the KPI, contacts and orders, statistics)
are read only here, through `outcome_figures`; the templates never query.
Call the builders inside `translation.override(language)`: names and dates follow it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import thai
from core.fiscal import BANGKOK, FiscalYear
from meetings.models import (
    AgendaItem,
    BMAParticipant,
    CityParticipant,
    ProgrammeYear,
    Session,
    ShortlistEntry,
)
from meetings.selectors import TeamsAttendanceProposal, session_teams_attendance
from vendors.models import Product, ProductPhoto

from . import charts, outcome_figures, photos
from .models import EvaluationAction, EvaluationFinding
from .selectors import carried_actions_for, carried_into_next_year, evaluation_for

# Photos shown per product: enough to see it, few enough to keep the report short.
PHOTOS_PER_PRODUCT = 2


def utc_offset_label(moment: dt.datetime, zone: ZoneInfo) -> str:
    offset = moment.astimezone(zone).utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def long_date(value: dt.date | dt.datetime, language: str) -> str:
    """ "วันอังคารที่ 20 มกราคม 2569" / "Tuesday 20 January 2026"."""
    fmt = "วันlที่ j F Y" if language == "th" else "l j F Y"
    return thai.format_date(value, fmt, language=language)


def short_date(value: dt.date | dt.datetime | None, language: str) -> str:
    if value is None:
        return ""
    return thai.format_date(value, "j F Y", language=language)


def time_span(start: dt.datetime, end: dt.datetime | None, language: str) -> str:
    if language == "th":
        text = thai.format_date(start, "H.i", language=language)
        if end:
            text += "–" + thai.format_date(end, "H.i", language=language)
        return text + " น."
    text = thai.format_date(start, "H:i", language=language)
    if end:
        text += "–" + thai.format_date(end, "H:i", language=language)
    return text


@dataclass
class LocalTime:
    place: str
    date: str
    time: str
    offset: str


def session_local_times(session: Session, language: str) -> list[LocalTime]:
    """The session's date and time in Bangkok, then in each city's own time zone."""
    if not session.starts_at:
        return []
    zones = [(_("Bangkok"), BANGKOK)]
    zones += [(city.name, ZoneInfo(city.time_zone)) for city in session.cities.all()]
    lines = []
    for place, zone in zones:
        with timezone.override(zone):
            lines.append(
                LocalTime(
                    place=place,
                    date=long_date(session.starts_at, language),
                    time=time_span(session.starts_at, session.ends_at, language),
                    offset=utc_offset_label(session.starts_at, zone),
                )
            )
    return lines


@dataclass
class Attendance:
    attended: int
    total: int
    unknown: int

    @property
    def label(self) -> str:
        return _("%(attended)s of %(total)s") % {"attended": self.attended, "total": self.total}


def attendance_of(rows) -> Attendance:
    rows = list(rows)
    return Attendance(
        attended=sum(1 for r in rows if r.attended is True),
        total=len(rows),
        unknown=sum(1 for r in rows if r.attended is None),
    )


@dataclass
class ProductBlock:
    product: Product
    photos: list[tuple[str, str]]  # (file URI, caption)


@dataclass
class VendorBlock:
    entry: ShortlistEntry
    products: list[ProductBlock]


def _photo_uri(photo: ProductPhoto) -> str | None:
    """A file:// URI of the PDF-sized copy (never a public URL); None when the file is
    gone or is not an image."""
    try:
        path = Path(photo.image.path)
    except (ValueError, NotImplementedError):
        return None
    if not path.is_file():
        return None
    try:
        return photos.for_pdf(path).as_uri()
    except photos.PhotoUnreadable:
        return None


def vendor_blocks(session: Session) -> tuple[list[VendorBlock], list[str]]:
    entries = (
        ShortlistEntry.objects.filter(session=session)
        .select_related("vendor__district")
        .prefetch_related(
            Prefetch(
                "products",
                queryset=Product.objects.select_related("category").prefetch_related(
                    Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "pk"))
                ),
            )
        )
        .order_by("position", "pk")
    )
    blocks, missing = [], []
    for entry in entries:
        products = []
        for product in entry.products.all():
            photos: list[tuple[str, str]] = []
            for photo in product.photos.all():
                if len(photos) == PHOTOS_PER_PRODUCT:
                    break
                uri = _photo_uri(photo)
                if uri is None:
                    missing.append(photo.image.name)
                    continue
                photos.append((uri, photo.caption))
            products.append(ProductBlock(product=product, photos=photos))
        blocks.append(VendorBlock(entry=entry, products=products))
    return blocks, missing


# --- The summary at the front of a session report -----------------------------------------

# The summary is one page: the evaluation's text and its actions are cut to fit, the rest
# is in the evaluation section.
SUMMARY_TEXT_CHARS = 700
SUMMARY_CHANGES = 4
SUMMARY_PRODUCTS = 5


def amount(value: Decimal) -> str:
    """A quantity without trailing zeros, grouped by thousands (1,250.5)."""
    value = value.normalize()
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):,}"
    return f"{value:,}"


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def shortened(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class ProductOrdered:
    product: str
    quantity: str
    unit: str
    value_thb: Decimal


@dataclass
class ExecutiveSummary:
    """What an executive reads first: the year's KPI so far, what followed this session,
    what worked and what changes for the next one."""

    kpi: outcome_figures.KpiFigures | None
    contacts: int
    buying_contacts: int
    orders: int
    order_value_thb: Decimal
    products: list[ProductOrdered]
    more_products: int
    worked: str
    changes: list[str]
    more_changes: int
    problems: int
    has_evaluation: bool

    @property
    def order_value_label(self) -> str:
        return _("%(value)s baht") % {"value": money(self.order_value_thb)}


def executive_summary(
    kpi: outcome_figures.KpiFigures | None,
    outcomes: outcome_figures.SessionOutcomes | None,
    evaluation,
) -> ExecutiveSummary:
    """Made from what the report has already read: no query of its own."""
    contacts = outcomes.contacts if outcomes else []
    orders = outcomes.orders if outcomes else []
    by_product: dict[tuple[str, str], list] = {}
    for order in orders:
        totals = by_product.setdefault((order.product, order.unit), [Decimal(0), Decimal(0)])
        totals[0] += order.quantity
        totals[1] += order.value_thb
    products = [
        ProductOrdered(product=name, quantity=amount(quantity), unit=unit, value_thb=value)
        for (name, unit), (quantity, value) in sorted(
            by_product.items(), key=lambda item: (-item[1][1], item[0])
        )
    ]
    actions = [a.action for a in evaluation.actions.all()] if evaluation else []
    return ExecutiveSummary(
        kpi=kpi,
        contacts=len(contacts),
        buying_contacts=sum(1 for c in contacts if c.about_buying),
        orders=len(orders),
        order_value_thb=sum((o.value_thb for o in orders), Decimal(0)),
        products=products[:SUMMARY_PRODUCTS],
        more_products=max(0, len(products) - SUMMARY_PRODUCTS),
        worked=shortened(evaluation.did, SUMMARY_TEXT_CHARS) if evaluation else "",
        changes=actions[:SUMMARY_CHANGES],
        more_changes=max(0, len(actions) - SUMMARY_CHANGES),
        problems=len(evaluation.findings.all()) if evaluation else 0,
        has_evaluation=evaluation is not None,
    )


@dataclass
class SessionReport:
    session: Session
    language: str
    local_times: list[LocalTime]
    cities: list
    bma_participants: list[BMAParticipant]
    city_participants: list[CityParticipant]
    vendor_attendance: Attendance
    bma_attendance: Attendance
    city_attendance: Attendance
    vendors: list[VendorBlock]
    agenda: list[AgendaItem]
    evaluation: object | None
    carried_actions: list
    outcomes: outcome_figures.SessionOutcomes | None
    kpi: outcome_figures.KpiFigures | None
    kpi_chart: list[charts.ChartRow]
    output_chart: list[charts.ChartRow]
    fiscal_label: str
    missing_photos: list[str] = field(default_factory=list)
    # The attendance last imported from Teams, shown beside what staff recorded; each
    # participant above carries its row as `teams_attendance` (None: not in the report).
    teams: TeamsAttendanceProposal | None = None
    summary: ExecutiveSummary | None = None


def kpi_charts(kpi: outcome_figures.KpiFigures | None) -> tuple[list, list]:
    if kpi is None:
        return [], []
    kpi_rows = []
    if kpi.percent is not None:
        kpi_rows = charts.rows(
            [
                (
                    _("Vendors with a buying contact"),
                    [charts.Bar(float(kpi.percent))],
                    f"{kpi.percent}%",
                )
            ],
            maximum=100,
            target=kpi.target_percent,
        )
    output_rows = charts.rows(
        [
            (
                _("Sessions held"),
                [charts.Bar(kpi.sessions_held)],
                f"{kpi.sessions_held} / {kpi.target_sessions}",
            ),
            (
                _("Reports delivered"),
                [charts.Bar(kpi.reports_delivered, charts.SECOND)],
                f"{kpi.reports_delivered} / {kpi.target_reports}",
            ),
        ],
        maximum=max(kpi.target_sessions, kpi.target_reports, 1),
        target=max(kpi.target_sessions, kpi.target_reports, 1),
    )
    return kpi_rows, output_rows


def session_report(session: Session, language: str) -> SessionReport:
    session = (
        Session.objects.select_related("year")
        .prefetch_related("cities", "agenda")
        .get(pk=session.pk)
    )
    bma = list(
        BMAParticipant.objects.filter(session=session)
        .select_related("user")
        .order_by("office", "pk")
    )
    city_people = list(
        CityParticipant.objects.filter(session=session)
        .select_related("city", "contact")
        .order_by("city__name_en", "pk")
    )
    vendors, missing = vendor_blocks(session)
    teams = session_teams_attendance(session)
    for group, people in (
        ("bma", bma),
        ("city", city_people),
        ("vendor", [b.entry for b in vendors]),
    ):
        for person in people:
            # Read by the report template; set on these rows only, here.
            person.teams_attendance = teams.for_participant(group, person.pk)  # type: ignore[union-attr]
    kpi = outcome_figures.kpi(year=session.year)
    kpi_rows, output_rows = kpi_charts(kpi)
    evaluation = evaluation_for(session=session)
    outcomes = outcome_figures.for_session(session=session)
    return SessionReport(
        session=session,
        language=language,
        local_times=session_local_times(session, language),
        cities=list(session.cities.all()),
        bma_participants=bma,
        city_participants=city_people,
        vendor_attendance=attendance_of(b.entry for b in vendors),
        bma_attendance=attendance_of(bma),
        city_attendance=attendance_of(city_people),
        vendors=vendors,
        agenda=sorted(session.agenda.all(), key=lambda a: (a.position, a.pk)),
        evaluation=evaluation,
        carried_actions=carried_actions_for(session=session),
        outcomes=outcomes,
        kpi=kpi,
        kpi_chart=kpi_rows,
        output_chart=output_rows,
        fiscal_label=session.year.fiscal.label(language),
        missing_photos=missing,
        teams=teams,
        summary=executive_summary(kpi, outcomes, evaluation),
    )


@dataclass
class SessionSummary:
    session: Session
    date: str
    cities: str
    shortlisted: int
    attended: int
    evaluation: object | None


# --- The annual report compared with the previous year -------------------------------------


@dataclass(frozen=True)
class ComparisonRow:
    label: str
    current: str
    previous: str
    change: str


@dataclass
class YearComparison:
    current_heading: str
    previous_heading: str
    previous_label: str  # the previous fiscal year in full
    rows: list[ComparisonRow]  # empty when the portal has no previous programme year


def _signed(difference, text: str) -> str:
    if difference > 0:
        return "+" + text
    if difference < 0:
        return "−" + text.lstrip("-")
    return text


def year_comparison(
    year: ProgrammeYear,
    current: outcome_figures.YearFigures,
    previous: outcome_figures.YearFigures | None,
    language: str,
) -> YearComparison:
    """The year's indicators beside the previous year's, each with its change."""

    def heading(fiscal_year: int) -> str:
        return pgettext("fiscal year column", "FY %(year)s") % {"year": fiscal_year}

    previous_fiscal = FiscalYear(year.fiscal_year - 1)
    comparison = YearComparison(
        current_heading=heading(year.fiscal_year),
        previous_heading=heading(previous_fiscal.be_year),
        previous_label=previous_fiscal.label(language),
        rows=[],
    )
    if previous is None:
        return comparison

    def counts(figures: outcome_figures.YearFigures) -> list:
        kpi, stats = figures.kpi, figures.statistics
        return [
            kpi.sessions_held,
            kpi.reports_delivered,
            kpi.participants,
            kpi.achieved,
            kpi.percent,
            stats.contacts,
            stats.buying_contacts,
            stats.orders,
            stats.value_thb,
        ]

    labels = [
        _("Sessions held"),
        _("Session reports delivered"),
        _("Participating vendors"),
        _("Vendors with a buying contact"),
        _("Outcome KPI"),
        pgettext("outcomes", "Contacts"),
        _("Contacts about buying"),
        pgettext("outcomes", "Orders"),
        _("Value of orders (baht)"),
    ]
    for index, (label, now, before) in enumerate(
        zip(labels, counts(current), counts(previous), strict=True)
    ):
        if index == 4:  # the KPI, a percentage: its change is in points
            show = lambda v: "–" if v is None else f"{v}%"  # noqa: E731
            change = (
                "–"
                if now is None or before is None
                else _("%(change)s points")
                % {"change": _signed(now - before, f"{abs(now - before):.2f}")}
            )
        elif index == 8:  # baht
            show = money
            change = _signed(now - before, money(abs(now - before)))
        else:
            show = str
            change = _signed(now - before, str(abs(now - before)))
        comparison.rows.append(
            ComparisonRow(label=label, current=show(now), previous=show(before), change=change)
        )
    return comparison


@dataclass
class AnnualReport:
    year: ProgrammeYear
    language: str
    fiscal_label: str
    period: str
    sessions: list[SessionSummary]
    vendor_chart: list[charts.ChartRow]
    kpi: outcome_figures.KpiFigures | None
    kpi_chart: list[charts.ChartRow]
    output_chart: list[charts.ChartRow]
    statistics: outcome_figures.Statistics | None
    statistics_chart: list[charts.ChartRow]
    recommendations: list
    comparison: YearComparison | None = None


def annual_report(year: ProgrammeYear, language: str) -> AnnualReport:
    sessions = list(
        Session.objects.filter(year=year)
        .exclude(status=Session.Status.CANCELLED)
        .prefetch_related(
            "cities",
            "shortlist",
            Prefetch(
                "evaluation__findings", queryset=EvaluationFinding.objects.order_by("position")
            ),
            Prefetch("evaluation__actions", queryset=EvaluationAction.objects.order_by("position")),
        )
        .select_related("evaluation")
        .order_by("number")
    )
    summaries = []
    for session in sessions:
        shortlist = list(session.shortlist.all())
        summaries.append(
            SessionSummary(
                session=session,
                date=short_date(
                    session.starts_at.astimezone(BANGKOK) if session.starts_at else None, language
                ),
                cities=", ".join(city.name for city in session.cities.all()),
                shortlisted=len(shortlist),
                attended=sum(1 for e in shortlist if e.attended is True),
                evaluation=getattr(session, "evaluation", None),
            )
        )
    vendor_chart = charts.rows(
        [
            (
                _("Session %(number)s") % {"number": s.session.number},
                [charts.Bar(s.shortlisted), charts.Bar(s.attended, charts.SECOND)],
                f"{s.attended} / {s.shortlisted}",
            )
            for s in summaries
        ],
        target=year.vendors_per_session,
    )
    kpi = outcome_figures.kpi(year=year)
    kpi_rows, output_rows = kpi_charts(kpi)
    statistics = outcome_figures.statistics(year=year)
    statistics_rows = []
    if statistics is not None and statistics.by_city:
        statistics_rows = charts.rows(
            [
                (
                    row.label,
                    [charts.Bar(row.contacts), charts.Bar(row.orders, charts.SECOND)],
                    f"{row.contacts} / {row.orders}",
                )
                for row in statistics.by_city
            ]
        )
    fiscal = year.fiscal
    return AnnualReport(
        year=year,
        language=language,
        fiscal_label=fiscal.label(language),
        period=" – ".join(short_date(day, language) for day in (fiscal.first_day, fiscal.last_day)),
        sessions=summaries,
        vendor_chart=vendor_chart,
        kpi=kpi,
        kpi_chart=kpi_rows,
        output_chart=output_rows,
        statistics=statistics,
        statistics_chart=statistics_rows,
        recommendations=carried_into_next_year(year=year),
        comparison=year_comparison(
            year,
            outcome_figures.YearFigures(year=year, kpi=kpi, statistics=statistics),
            outcome_figures.previous_year_figures(year=year),
            language,
        ),
    )
