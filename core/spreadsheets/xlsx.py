"""Writing .xlsx files with openpyxl: exports of records and import templates.

Every text cell passes through `neutralise`: a spreadsheet program treats a cell that
starts with = + - @ (or a tab or carriage return before one) as a formula, so a vendor
name such as `=HYPERLINK(...)` typed into the portal must never reach Excel as one. The
reader undoes it with `unneutralise`, so that an export imports back unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .schema import BooleanColumn, ChoiceColumn, DateColumn, MultiChoiceColumn, WorkbookSchema

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
REQUIRED_FILL = PatternFill("solid", fgColor="9C2A00")
DATE_FORMAT = "d/m/yyyy"
TEMPLATE_ROWS = 5000  # drop-downs and formats reach this far down
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Text that already starts with an apostrophe gets one more, so that the reader can tell
# the apostrophe it must remove from one that belongs to the value.
_PROTECTED = (*FORMULA_TRIGGERS, "'")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_PROTECTED):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """The value `neutralise` protected: exactly one added apostrophe removed, and only
    where `neutralise` would have added it (`'quoted` stays as it is)."""
    if text[:1] == "'" and text[1:].startswith(_PROTECTED):
        return text[1:]
    return text


# What every import does to text, said in every template (cells.clean_text, unneutralise).
# A leading tab or line break is never meaningful in a name, a phone number or a code, and
# trimming it also keeps a value from reaching an export as a hidden formula trigger.
NORMALISATION_NOTES = (
    (
        "ช่องว่าง แท็บ และการขึ้นบรรทัดใหม่ที่ต้นและท้ายข้อความจะถูกตัดออก ช่องว่างที่ติดกันหลายช่อง"
        "จะเหลือช่องเดียว อักขระที่มองไม่เห็น (เช่น zero-width space) จะถูกลบ และการขึ้นบรรทัดใหม่"
        "จะคงไว้เฉพาะในคอลัมน์รายละเอียด",
        "Spaces, tabs and line breaks at the start and end of a cell are removed, runs of "
        "spaces become one, invisible characters (such as zero-width spaces) are dropped, "
        "and line breaks are kept only in description columns.",
    ),
    (
        "ข้อความที่ขึ้นต้นด้วย = + - @ หรือ ' ในไฟล์ที่ส่งออกจากพอร์ทัลจะมีเครื่องหมาย ' นำหน้า "
        "เพื่อไม่ให้ Excel ถือเป็นสูตร เครื่องหมายนี้จะถูกตัดออกเมื่อนำเข้า",
        "In files exported by the portal, text starting with = + - @ or ' has an apostrophe "
        "in front so that Excel does not run it as a formula; the import removes it.",
    ),
)


@dataclass
class ExportSheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = ()


def _cell_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool | int | float | Decimal | dt.date):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)  # Excel has no time zones; callers localise
        return value
    if isinstance(value, list | tuple | set):
        value = ", ".join(str(v) for v in value)
    return neutralise(str(value))


def write_export(sheets: Sequence[ExportSheet]) -> bytes:
    """A workbook of plain tables, written in openpyxl's streaming mode."""
    buffer = io.BytesIO()
    write_export_into(sheets, buffer)
    return buffer.getvalue()


def write_export_into(sheets: Sequence[ExportSheet], target: IO[bytes]) -> None:
    """`write_export` into a file: a worker's export of many thousand rows goes to disk
    row by row (openpyxl's write-only mode), never whole in memory."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])
        for i, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.freeze_panes = "A2"
        header = []
        for text in spec.headers:
            cell = WriteOnlyCell(sheet, value=neutralise(str(text)))
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            header.append(cell)
        sheet.append(header)
        for row in spec.rows:
            out = []
            for value in row:
                value = _cell_value(value)
                if isinstance(value, dt.date):
                    # openpyxl writes a date as a date; its stubs allow only datetime.
                    cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
                    cell.number_format = DATE_FORMAT
                    out.append(cell)
                else:
                    out.append(value)
            sheet.append(out)
    workbook.save(target)


def write_template(
    schema: WorkbookSchema,
    *,
    title: tuple[str, str],
    instructions: Sequence[tuple[str, str]],
    examples: dict[str, list[dict[str, Any]]] | None = None,
) -> bytes:
    """The import template: an instructions sheet, one sheet per schema sheet with the
    headers in Thai and English, drop-downs for the choice columns (their lists on a
    hidden sheet) and, optionally, example rows."""
    workbook = Workbook()
    guide = cast(Worksheet, workbook.active)  # a new workbook's one sheet
    guide.title = "คำอธิบาย Instructions"
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 60
    guide.column_dimensions["C"].width = 60
    guide.append([title[0]])
    guide.append([title[1]])
    guide["A1"].font = Font(bold=True, size=14)
    guide["A2"].font = Font(bold=True, size=12)
    guide.append([])
    for thai, english in (*instructions, *NORMALISATION_NOTES):
        guide.append(["•", thai, english])
    guide.append([])
    guide.append(["ชีต / Sheet", "คอลัมน์ / Column", "คำอธิบาย / Notes"])
    for cell in guide[guide.max_row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    lists = workbook.create_sheet("lists")
    lists.sheet_state = "hidden"
    list_col = 0
    for sheet_schema in schema.sheets:
        sheet = workbook.create_sheet(sheet_schema.title)
        sheet.freeze_panes = "A2"
        for pos, column in enumerate(sheet_schema.columns, start=1):
            letter = get_column_letter(pos)
            cell = sheet.cell(row=1, column=pos, value=column.header)
            cell.font = HEADER_FONT
            cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.column_dimensions[letter].width = column.width
            data_range = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
            options = None
            if (
                isinstance(column, ChoiceColumn) and not isinstance(column, MultiChoiceColumn)
            ) or isinstance(column, BooleanColumn):
                options = column.options()
            if options:
                list_col += 1
                list_letter = get_column_letter(list_col)
                for i, option in enumerate(options, start=1):
                    lists.cell(row=i, column=list_col, value=neutralise(option))
                source = (
                    f"{quote_sheetname('lists')}!${list_letter}$1:${list_letter}${len(options)}"
                )
                validation = DataValidation(
                    type="list", formula1=source, allow_blank=not column.required
                )
                validation.error = "เลือกจากรายการ / Choose from the list"
                validation.errorTitle = column.en
                validation.showErrorMessage = True
                validation.add(data_range)
                sheet.add_data_validation(validation)
            if isinstance(column, DateColumn):
                for row in range(2, 52):
                    sheet.cell(row=row, column=pos).number_format = DATE_FORMAT
            notes = " ".join(filter(None, [column.help_th, column.help_en]))
            if isinstance(column, MultiChoiceColumn):
                notes = f"{notes} ({', '.join(column.options())})".strip()
            required = "จำเป็น / required" if column.required else ""
            guide.append(
                [
                    sheet_schema.title,
                    column.header.replace("\n", " / "),
                    "; ".join(filter(None, [required, notes])),
                ]
            )
        for row_values in (examples or {}).get(sheet_schema.key, []):
            sheet.append([neutralise(row_values.get(c.key)) for c in sheet_schema.columns])
    for guide_row in guide.iter_rows(min_row=4):
        for cell in guide_row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    # Open on the first data sheet; the instructions are one click away.
    workbook.active = 2
    guide.sheet_view.tabSelected = False  # else Excel groups both tabs and edits go to both
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
