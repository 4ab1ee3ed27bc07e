"""Excel files the portal hands out: the statistics database and an upload's error
report, written by core.spreadsheets (text that would run as a formula is neutralised)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.spreadsheets import ExportSheet, write_export
from core.spreadsheets.messages import Issue

from .figures import StatisticsRow
from .models import OutcomeUpload


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
