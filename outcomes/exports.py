"""Excel files the portal hands out: the statistics database, its contact and order
lines, and an upload's error report, written by core.spreadsheets (text that would run
as a formula is neutralised)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.fiscal import FiscalHalf
from core.i18n import pick
from core.spreadsheets import ExportSheet, write_export
from core.spreadsheets.messages import Issue

from .figures import StatisticsLines, StatisticsRow
from .models import Contact, OutcomeUpload


def statistics_workbook(rows: list[StatisticsRow], *, fiscal_year: int) -> bytes:
    headers = [
        _("Fiscal year (BE)"),
        _("Half"),
        _("Reporting period"),
        _("Sister city"),
        _("Country"),
        _("Category code"),
        _("Category"),
        pgettext("outcomes", "Contacts"),
        _("Contacts about buying"),
        _("Products asked about"),
        _("Orders"),
        _("Products ordered"),
        _("Value (THB)"),
    ]
    data = (
        [
            r.fiscal_year,
            r.half,
            r.period_label,
            r.city.name,
            str(r.city.country.name),
            r.category.code if r.category else None,
            r.category.name if r.category else _("Not stated"),
            r.contacts,
            r.buying_contacts,
            r.products_contacted,
            r.orders,
            r.products_ordered,
            r.value_thb,
        ]
        for r in rows
    )
    return write_export(
        [
            ExportSheet(
                title=_("Statistics FY %(year)s") % {"year": fiscal_year},
                headers=headers,
                rows=data,
                widths=[10, 6, 34, 24, 16, 10, 40, 10, 12, 12, 10, 12, 14],
            )
        ]
    )


def upload_errors_workbook(upload: OutcomeUpload) -> bytes:
    issues = [Issue.from_dict(i) for i in upload.report.get("issues", [])]
    return write_export(
        [
            ExportSheet(
                title=_("Problems"),
                headers=[
                    _("Severity"),
                    _("Sheet"),
                    _("Row"),
                    _("Column"),
                    _("Column name"),
                    _("Value"),
                    _("Message"),
                ],
                rows=(
                    [
                        _("Error") if i.is_error else _("Warning"),
                        i.sheet,
                        i.row,
                        i.column,
                        i.column_label,
                        i.value,
                        i.message,
                    ]
                    for i in issues
                ),
                widths=[10, 20, 6, 8, 24, 30, 70],
            )
        ]
    )


def statistics_lines_sheets(lines: StatisticsLines, *, fiscal_year: int) -> list[ExportSheet]:
    """Every contact and order line of the year's accepted submissions, one sheet each,
    with the vendor's notes on each line; names in the reader's language. The rows are
    generators: the sheets are written as the lines are read."""
    # Every label is translated once, not once per line: the lines can be many thousands.
    yes, no = _("Yes"), _("No")
    kinds = {k: str(v) for k, v in Contact.CounterpartKind.choices}
    directions = {k: str(v) for k, v in Contact.Direction.choices}
    channels = {k: str(v) for k, v in Contact.Channel.choices}
    periods = {half: FiscalHalf(fiscal_year, half).label() for half in (1, 2)}
    session_label = _("Session %(number)s, FY %(year)s")
    contacts = (
        [
            periods[half],
            pick(vendor_th, vendor_en),
            certificate,
            pick(city_th, city_en),
            day,
            counterpart,
            organisation,
            kinds.get(kind, kind),
            directions.get(direction, direction),
            channels.get(channel, channel),
            yes if about_buying else no,
            pick(product_th or "", product_en or "") or None,
            (
                session_label % {"number": number, "year": session_year}
                if number is not None
                else None
            ),
            notes,
        ]
        for (
            fy,
            half,
            vendor_th,
            vendor_en,
            certificate,
            city_th,
            city_en,
            day,
            counterpart,
            organisation,
            kind,
            direction,
            channel,
            about_buying,
            product_th,
            product_en,
            number,
            session_year,
            notes,
        ) in lines.contacts
    )
    orders = (
        [
            periods[half],
            pick(vendor_th, vendor_en),
            certificate,
            pick(city_th, city_en),
            day,
            pick(product_th, product_en),
            pick(category_th, category_en),
            quantity,
            unit,
            value,
            notes,
        ]
        for (
            fy,
            half,
            vendor_th,
            vendor_en,
            certificate,
            city_th,
            city_en,
            day,
            product_th,
            product_en,
            category_th,
            category_en,
            quantity,
            unit,
            value,
            notes,
        ) in lines.orders
    )
    common = [_("Reporting period"), _("Vendor"), _("Certificate number"), _("Sister city")]
    return [
        ExportSheet(
            title=_("Contacts FY %(year)s") % {"year": fiscal_year},
            headers=[
                *common,
                _("Date"),
                _("Counterpart"),
                _("Organisation"),
                _("Counterpart is a"),
                _("Who contacted whom"),
                _("Channel"),
                _("About buying"),
                _("Product asked about"),
                _("Followed from session"),
                _("Notes"),
            ],
            rows=contacts,
            widths=[30, 30, 14, 20, 12, 24, 24, 14, 22, 14, 10, 24, 22, 40],
        ),
        ExportSheet(
            title=_("Orders FY %(year)s") % {"year": fiscal_year},
            headers=[
                *common,
                _("Date"),
                _("Product"),
                _("Category"),
                _("Quantity"),
                _("Unit"),
                _("Value (THB)"),
                _("Notes"),
            ],
            rows=orders,
            widths=[30, 30, 14, 20, 12, 28, 30, 10, 10, 14, 40],
        ),
    ]
