"""Reading a workbook against a schema with python-calamine.

calamine is several times faster than openpyxl's read-only mode. It starts at the first
used cell unless told otherwise, so sheets are read with `skip_empty_area=False` and every
row and column number reported is the one Excel shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import python_calamine
from openpyxl.utils import get_column_letter

from . import cells
from .cells import CellError
from .headers import HEADER_SEARCH_ROWS, find_header_row, header_index, map_headers, match_sheets
from .messages import ERROR, WARNING, Issue
from .safety import Limits, WorkbookRejected
from .schema import Column, SheetSchema, WorkbookSchema
from .xlsx import unneutralise

MAX_ISSUES_KEPT = 1000
Progress = Callable[[int, int], None]


class Issues:
    """The issues of one import; keeps the first MAX_ISSUES_KEPT and counts the rest."""

    def __init__(self, limit: int = MAX_ISSUES_KEPT):
        self.limit = limit
        self.items: list[Issue] = []
        self.error_count = 0
        self.warning_count = 0
        self.dropped = 0

    def add(self, issue: Issue) -> None:
        if issue.severity == ERROR:
            self.error_count += 1
        else:
            self.warning_count += 1
        if len(self.items) < self.limit:
            self.items.append(issue)
        else:
            self.dropped += 1

    def error(self, code: str, **kwargs: Any) -> None:
        self.add(Issue(code=code, severity=ERROR, **kwargs))

    def warning(self, code: str, **kwargs: Any) -> None:
        self.add(Issue(code=code, severity=WARNING, **kwargs))

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.items if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.items if i.severity == WARNING]

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass
class ParsedRow:
    number: int  # the row number Excel shows
    values: dict[str, Any]
    valid: bool = True


@dataclass
class ParsedSheet:
    schema: SheetSchema
    name: str  # as in the workbook
    header_row: int = 0
    present: list[str] = field(default_factory=list)
    letters: dict[str, str] = field(default_factory=dict)
    positions: dict[str, int] = field(default_factory=dict)
    rows: list[ParsedRow] = field(default_factory=list)

    def has(self, key: str) -> bool:
        return key in self.letters

    def valid_rows(self) -> list[ParsedRow]:
        return [r for r in self.rows if r.valid]

    def cell_issue(
        self,
        issues: Issues,
        row: ParsedRow,
        key: str,
        code: str,
        params: dict[str, Any] | None = None,
    ) -> None:
        """Record a problem found after conversion (a rule across rows or the database)."""
        column = self.schema.by_key[key]
        value = row.values.get(key)
        issues.error(
            code,
            params=params or {},
            sheet=self.name,
            row=row.number,
            column=self.letters.get(key, ""),
            column_th=column.th,
            column_en=column.en,
            value=cells.shown(value) if value not in (None, "", []) else "",
        )
        row.valid = False


@dataclass
class ParsedWorkbook:
    sheets: dict[str, ParsedSheet]
    row_count: int

    def get(self, key: str) -> ParsedSheet | None:
        return self.sheets.get(key)


def read_workbook(
    stream: IO[bytes],
    schema: WorkbookSchema,
    issues: Issues,
    *,
    limits: Limits,
    progress: Progress | None = None,
    ignore_extra_columns: bool = False,
) -> ParsedWorkbook:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(stream)
    except python_calamine.PasswordError as exc:
        raise WorkbookRejected("encrypted") from exc
    except (
        python_calamine.CalamineError,
        python_calamine.ZipError,
        python_calamine.XmlError,
    ) as exc:
        raise WorkbookRejected("zip_corrupt", detail=str(exc)[:200]) from exc
    try:
        return _read_workbook(workbook, schema, issues, limits, progress, ignore_extra_columns)
    except python_calamine.CalamineError as exc:
        # Parts are parsed only when a sheet is read; the safety checks refuse what they
        # know of beforehand, and anything else is still a message, not a server error.
        raise WorkbookRejected("zip_corrupt", detail=str(exc)[:200]) from exc


def _read_workbook(
    workbook: python_calamine.CalamineWorkbook,
    schema: WorkbookSchema,
    issues: Issues,
    limits: Limits,
    progress: Progress | None,
    ignore_extra_columns: bool,
) -> ParsedWorkbook:
    with workbook:
        visible = [
            m.name
            for m in workbook.sheets_metadata
            if m.visible == python_calamine.SheetVisibleEnum.Visible
            and m.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        matches = match_sheets(schema, visible, issues)
        loaded = {}
        total = 0
        for sheet_schema in schema.sheets:
            name = matches.get(sheet_schema.key)
            if name is None:
                continue
            sheet = workbook.get_sheet_by_name(name)
            end = sheet.end
            height = end[0] + 1 if end else 0
            if height > limits.max_rows + HEADER_SEARCH_ROWS:
                issues.error(
                    "too_many_rows",
                    sheet=name,
                    params={"sheet": name, "rows": height, "limit": limits.max_rows},
                )
                continue
            loaded[sheet_schema.key] = (sheet, name)
            total += height
        parsed: dict[str, ParsedSheet] = {}
        done = 0
        for sheet_schema in schema.sheets:
            if sheet_schema.key not in loaded:
                continue
            sheet, name = loaded[sheet_schema.key]
            result = _read_sheet(
                sheet,
                name,
                sheet_schema,
                issues,
                limits,
                progress,
                done,
                total,
                ignore_extra_columns=ignore_extra_columns,
            )
            if result is not None:
                parsed[sheet_schema.key] = result
                done += len(result.rows)
    if not parsed and not issues.has_errors:
        if loaded:  # only optional sheets, all of them empty: name the first
            _, name = next(iter(loaded.values()))
            issues.error("sheet_empty", sheet=name, params={"sheet": name})
        else:
            issues.error("workbook_empty")
    return ParsedWorkbook(sheets=parsed, row_count=sum(len(s.rows) for s in parsed.values()))


def _range_label(r1: int, c1: int, r2: int, c2: int) -> str:
    return f"{get_column_letter(c1 + 1)}{r1 + 1}:{get_column_letter(c2 + 1)}{r2 + 1}"


def _read_sheet(
    sheet: python_calamine.CalamineSheet,
    name: str,
    schema: SheetSchema,
    issues: Issues,
    limits: Limits,
    progress: Progress | None,
    done_before: int,
    total: int,
    *,
    ignore_extra_columns: bool = False,
) -> ParsedSheet | None:
    rows = sheet.to_python(skip_empty_area=False)
    index = header_index(schema)
    header_at = find_header_row(rows, index)
    if header_at is None:
        if schema.required:
            issues.error("sheet_empty", sheet=name, params={"sheet": name})
        return None
    data_rows = len(rows) - header_at - 1
    if data_rows > limits.max_rows:
        issues.error(
            "too_many_rows",
            sheet=name,
            params={"sheet": name, "rows": data_rows, "limit": limits.max_rows},
        )
        return None
    errors_before = issues.error_count
    for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or ():
        if r2 < header_at:
            continue  # a title above the table may be merged
        code = "header_merged" if r1 <= header_at else "cells_merged"
        label = _range_label(r1, c1, r2, c2)
        issues.error(
            code, sheet=name, row=r1 + 1, column=get_column_letter(c1 + 1), params={"range": label}
        )
    parsed = ParsedSheet(schema=schema, name=name, header_row=header_at + 1)
    map_headers(
        rows[header_at], schema, index, parsed, issues, ignore_extra_columns=ignore_extra_columns
    )
    if issues.error_count > errors_before:
        return parsed
    plan = [(parsed.positions[k], schema.by_key[k], parsed.letters[k]) for k in parsed.present]
    # The data rows change hands: _read_rows drops each raw row once converted, so the
    # sheet's cells are never held twice (raw and converted) in full.
    body: list[list[Any] | None] = [*rows[header_at + 1 :]]
    del rows
    _read_rows(body, header_at, plan, parsed, issues, progress, done_before, total)
    if not parsed.rows and not schema.allow_empty:
        issues.error("sheet_no_rows", sheet=name, params={"sheet": name})
    _check_duplicates(parsed, issues)
    return parsed


def _read_rows(
    body: list[list[Any] | None],
    header_at: int,
    plan: list[tuple[int, Column, str]],
    parsed: ParsedSheet,
    issues: Issues,
    progress: Progress | None,
    done_before: int,
    total: int,
) -> None:
    # The hot loop of every import: one pass, converters resolved once per column.
    name = parsed.name
    columns = [
        (pos, column.key, column.fast_converter(), column.blank_value(), column, letter)
        for pos, column, letter in plan
    ]
    blank_run: list[int] = []
    append = parsed.rows.append
    for offset in range(len(body)):
        row = body[offset]
        body[offset] = None
        if not row or not any(row):
            blank_run.append(header_at + 2 + offset)
            continue
        number = header_at + 2 + offset
        width = len(row)
        values: dict[str, Any] = {}
        missing: list[tuple[Column, str]] = []
        failed: list[tuple[Column, str, CellError, Any]] = []
        filled = False
        for pos, key, convert, blank, column, letter in columns:
            raw = row[pos] if pos < width else None
            if raw is None or raw == "" or (raw.__class__ is str and raw.isspace()):
                if column.required:
                    missing.append((column, letter))
                values[key] = blank.copy() if blank.__class__ is list else blank
                continue
            filled = True
            if raw.__class__ is str and raw[:1] == "'":
                raw = unneutralise(raw)  # an export's protection against formulas
            try:
                values[key] = convert(raw)
            except CellError as exc:
                failed.append((column, letter, exc, raw))
        if not filled:
            blank_run.append(number)
            continue
        for blank_number in blank_run:
            issues.warning("blank_row", sheet=name, row=blank_number)
        blank_run.clear()
        for column, letter in missing:
            issues.error(
                "required",
                sheet=name,
                row=number,
                column=letter,
                column_th=column.th,
                column_en=column.en,
            )
        for column, letter, cell_error, raw in failed:
            issues.error(
                cell_error.code,
                params=cell_error.params,
                sheet=name,
                row=number,
                column=letter,
                column_th=column.th,
                column_en=column.en,
                value=cells.shown(raw),
            )
        append(ParsedRow(number=number, values=values, valid=not (missing or failed)))
        if progress is not None and offset % 2000 == 0:
            progress(done_before + offset, total)


def _check_duplicates(parsed: ParsedSheet, issues: Issues) -> None:
    identity = [k for k in parsed.schema.identity if k in parsed.letters]
    if not identity or len(identity) != len(parsed.schema.identity):
        return
    fold = parsed.schema.identity_fold
    if fold is None:
        folded = None
    else:
        folded = fold(
            v for row in parsed.rows for k in identity if isinstance(v := row.values.get(k), str)
        )

    def identity_value(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        return value.casefold() if folded is None else folded.get(value, value)

    seen: dict[tuple[Any, ...], int] = {}
    for row in parsed.rows:
        key = tuple(identity_value(row.values.get(k)) for k in identity)
        if any(v in (None, "") for v in key):
            continue
        first = seen.setdefault(key, row.number)
        if first != row.number:
            label = ", ".join(str(row.values.get(k)) for k in identity)
            parsed.cell_issue(
                issues, row, identity[-1], "duplicate_row", {"row": first, "key": label}
            )
