"""Issues found in a workbook, kept as a code with parameters so that each reader sees the
message in their own language, even when the issue was found by a worker in another."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.i18n import pick

ERROR = "error"
WARNING = "warning"

# code -> message with %(name)s placeholders. An import may add its own with register().
MESSAGES: dict[str, Promise] = {
    # The file as a whole
    "file_empty": _("The file is empty."),
    "file_too_large": _("The file is %(size)s; the limit is %(limit)s."),
    "not_xlsx_xls": _(
        "This is an old Excel 97–2003 file (.xls). Open it in Excel and save it as "
        "“Excel Workbook (.xlsx)”."
    ),
    "not_xlsx_text": _(
        "This file contains plain text (such as CSV), not an Excel workbook. Open it in "
        "Excel and save it as “Excel Workbook (.xlsx)”."
    ),
    "not_xlsx_other_zip": _(
        "This file is a zip archive but not an Excel workbook (.xlsx). Save the sheet as "
        "“Excel Workbook (.xlsx)”."
    ),
    "not_xlsx_ods": _(
        "This is an OpenDocument spreadsheet (.ods). Save it as “Excel Workbook (.xlsx)”."
    ),
    "not_xlsx_binary": _(
        "This is an Excel binary workbook (.xlsb). Save it as “Excel Workbook (.xlsx)”."
    ),
    "not_xlsx": _("This file is not an Excel workbook (.xlsx)."),
    "encrypted": _(
        "This workbook is protected with a password. Remove the password in Excel "
        "(File › Info › Protect Workbook) and upload it again."
    ),
    "zip_bomb": _(
        "This workbook unpacks to more than %(limit)s, which no workbook of this kind "
        "needs; it was not opened."
    ),
    "zip_corrupt": _("This workbook is damaged and cannot be read: %(detail)s"),
    "xml_forbidden": _(
        "This workbook contains XML features that are not allowed (a document type or "
        "entity declaration); Excel never writes them. Open the file in Excel, save it "
        "again as “Excel Workbook (.xlsx)” and upload it again."
    ),
    "workbook_empty": _("The workbook is empty."),
    "write_refused": _("The database refused the write, so nothing was imported: %(detail)s"),
    # Sheets
    "sheet_missing": _("The workbook has no sheet named “%(sheet)s”."),
    "sheet_missing_suggest": _(
        "The workbook has no sheet named “%(sheet)s”. Did you mean “%(suggestion)s”?"
    ),
    "sheet_empty": _("The sheet “%(sheet)s” is empty."),
    "sheet_no_rows": _("The sheet “%(sheet)s” has headers but no rows."),
    "too_many_rows": _("The sheet “%(sheet)s” has %(rows)s rows; the limit is %(limit)s."),
    "header_merged": _(
        "The header cells %(range)s are merged. Unmerge them so that each column has its "
        "own header."
    ),
    "cells_merged": _("The cells %(range)s are merged. Unmerge them and fill in each cell."),
    # Headers
    "column_missing": _("The required column “%(column)s” is missing."),
    "column_unknown_suggest": _(
        "The column “%(found)s” is not known. Did you mean “%(suggestion)s”?"
    ),
    "column_unknown": _("The column “%(found)s” is not known and was ignored."),
    "column_not_in_template": _(
        "The column “%(found)s” is not in the template. Correct its header or remove the "
        "column, or choose to ignore columns that are not in the template."
    ),
    "column_read_as": _(
        "The header “%(found)s” is not exactly the template's; it was read as “%(column)s”."
    ),
    "column_duplicate": _(
        "The column “%(column)s” appears twice (columns %(first)s and %(second)s)."
    ),
    # Rows and cells
    "blank_row": _("This row is blank and was skipped."),
    "required": _("This cell is required."),
    "too_long": _("This text is %(length)s characters long; the limit is %(limit)s."),
    "not_integer": _("Enter a whole number, such as 120 or ๑๒๐."),
    "not_number": _("Enter a number, such as 1200.50 or ๑,๒๐๐.๕๐."),
    "too_small": _("The number must be at least %(limit)s."),
    "too_large": _("The number must be at most %(limit)s."),
    "too_many_decimals": _("Use at most %(places)s decimal places."),
    "too_many_digits": _("The number is too large (at most %(digits)s digits)."),
    "not_date": _(
        "Enter a date as day/month/year, such as 23/11/2569 or 23/11/2026, or as an Excel date."
    ),
    "date_out_of_range": _("The date %(date)s is not plausible."),
    "two_digit_year": _("Write the year in full (2569 or 2026), not “%(year)s”."),
    "not_boolean": _("Enter yes or no (ใช่ or ไม่ใช่)."),
    "not_choice": _("“%(value)s” is not one of the allowed values."),
    "not_choice_suggest": _(
        "“%(value)s” is not one of the allowed values. Did you mean “%(suggestion)s”?"
    ),
    "not_email": _("Enter a valid e-mail address."),
    "not_url": _("Enter a valid web address, such as https://example.com."),
    "duplicate_row": _("This row repeats row %(row)s (%(key)s)."),
    "formula_error": _("The cell shows an Excel error (%(value)s); enter a value instead."),
}


def register(**messages: Promise) -> None:
    """Add the messages of one import; codes must not collide with the generic ones."""
    for code, message in messages.items():
        if code in MESSAGES and MESSAGES[code] is not message:
            raise ValueError(f"message code {code!r} is already registered")
        MESSAGES[code] = message


def bilingual(obj: Any) -> dict[str, str]:
    """A parameter shown in the reader's language: anything with `th` and `en`."""
    return {"th": obj.th, "en": obj.en}


def _param(value: Any) -> Any:
    if isinstance(value, dict) and value.keys() == {"th", "en"}:
        return pick(value["th"], value["en"])
    return value


def render(code: str, params: dict[str, Any] | None = None) -> str:
    text = str(MESSAGES[code])
    if not params:
        return text
    return text % {key: _param(value) for key, value in params.items()}


def json_safe(value: Any) -> Any:
    """A parameter as it will come back from a JSON field: an issue is stored as JSON
    (a job's report) and rendered later, so a limit that is a Decimal (0.01) or a date
    must not reach json.dumps as one, and reads the same before and after storage."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return str(value)


@dataclass
class Issue:
    """One problem (or note) found in the file, located as the user sees it in Excel."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = ERROR
    sheet: str = ""
    row: int | None = None  # the row number Excel shows
    column: str = ""  # the column letter Excel shows
    column_th: str = ""
    column_en: str = ""
    value: str = ""  # the cell as the user typed it, shortened

    def __post_init__(self) -> None:
        self.params = json_safe(self.params)

    @property
    def message(self) -> str:
        return render(self.code, self.params)

    @property
    def column_label(self) -> str:
        return pick(self.column_th, self.column_en)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "params": self.params,
            "severity": self.severity,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "column_th": self.column_th,
            "column_en": self.column_en,
            "value": self.value,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Issue:
        return cls(**data)

    def describe(self, language: str | None = None) -> str:
        """One line for a terminal: where, what was there, and what is wrong."""
        with translation.override(language or translation.get_language()):
            where = [self.sheet] if self.sheet else []
            if self.row:
                where.append(str(_("row %(row)s") % {"row": self.row}))
            if self.column:
                label = self.column_label
                where.append(f"{self.column} ({label})" if label else self.column)
            prefix = ", ".join(where)
            value = f" [{self.value}]" if self.value else ""
            return f"{prefix}{value}: {self.message}" if prefix else self.message
