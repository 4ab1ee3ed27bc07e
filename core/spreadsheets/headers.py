"""Finding the sheets and the header row of a workbook, and mapping its headers to the
schema's columns (with the closest known header suggested for a misspelt one)."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

from openpyxl.utils import get_column_letter

from . import cells
from .messages import bilingual
from .schema import Column, SheetSchema, WorkbookSchema

if TYPE_CHECKING:
    from .reader import Issues, ParsedSheet

HEADER_SEARCH_ROWS = 20


def match_sheets(schema: WorkbookSchema, names: list[str], issues: Issues) -> dict[str, str]:
    by_norm = {cells.normalise_key(n): n for n in names}
    matches: dict[str, str] = {}
    for sheet in schema.sheets:
        for candidate in sheet.names():
            found = by_norm.get(cells.normalise_key(candidate))
            if found is not None and found not in matches.values():
                matches[sheet.key] = found
                break
    # A one-sheet import takes a one-sheet workbook whatever its tab is called.
    if len(schema.sheets) == 1 and not matches and len(names) == 1:
        matches[schema.sheets[0].key] = names[0]
    for sheet in schema.sheets:
        # A workbook needs its required sheets, and at least one sheet of the import: when
        # every sheet is optional and none is there, the first is the one to name.
        wanted = sheet.required or (not matches and sheet is schema.sheets[0])
        if sheet.key in matches or not wanted:
            continue
        unused = [cells.normalise_key(n) for n in names if n not in matches.values()]
        close = []
        for candidate in sheet.names():
            close = difflib.get_close_matches(
                cells.normalise_key(candidate), unused, n=1, cutoff=0.6
            )
            if close:
                break
        if close:
            suggestion = by_norm[close[0]]
            issues.error(
                "sheet_missing_suggest", params={"sheet": sheet.title, "suggestion": suggestion}
            )
        else:
            issues.error("sheet_missing", params={"sheet": sheet.title})
    return matches


def header_index(schema: SheetSchema) -> dict[str, str]:
    index: dict[str, str] = {}
    for column in schema.columns:
        for name in column.names():
            index.setdefault(cells.normalise_key(name), column.key)
    return index


def _parts(text: str) -> list[str]:
    # The template's header is "Thai *\nEnglish *"; people also write "Thai / English".
    return [p for p in text.replace(" / ", "\n").split("\n") if cells.normalise_key(p)]


def match_header(text: str, index: dict[str, str]) -> str | None:
    """The column a header cell names, by its whole text or by any one of its lines."""
    key = cells.normalise_key(text)
    if key in index:
        return index[key]
    for part in _parts(text):
        found = index.get(cells.normalise_key(part))
        if found:
            return found
    return None


def is_exact_header(text: str, key: str, index: dict[str, str]) -> bool:
    """Whether every line of the header cell is a name of that column: a misspelt English
    line under an intact Thai one ("หมวดผลิตภัณฑ์ / Caetgory") is not the template's."""
    if index.get(cells.normalise_key(text)) == key:
        return True
    return all(index.get(cells.normalise_key(part)) == key for part in _parts(text))


def find_header_row(rows: list[list[Any]], index: dict[str, str]) -> int | None:
    first_filled = None
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [c for c in row if isinstance(c, str) and c.strip()]
        if not texts and not any(not cells.is_blank(c) for c in row):
            continue
        if first_filled is None:
            first_filled = i
        if any(match_header(t, index) for t in texts):
            return i
    return first_filled


def _template_header(column: Column) -> str:
    return f"{column.th} / {column.en}"


def _closest(text: str, names: dict[str, Any]) -> Any:
    """The column whose name is nearest the header (or one of its lines), if any is near."""
    close = difflib.get_close_matches(cells.normalise_key(text), list(names), n=1, cutoff=0.6)
    for part in _parts(text):
        if close:
            break
        close = difflib.get_close_matches(cells.normalise_key(part), list(names), n=1, cutoff=0.6)
    return names[close[0]] if close else None


def map_headers(
    header: list[Any],
    schema: SheetSchema,
    index: dict[str, str],
    parsed: ParsedSheet,
    issues: Issues,
    *,
    ignore_extra_columns: bool = False,
) -> None:
    """Map each header cell to a column. A cell that is not a header of the template is
    an error (with the nearest template header suggested), so that no column of the file
    is dropped unnoticed, unless the user chose to ignore columns not in the template."""
    unknown: list[tuple[str, str]] = []
    for pos, cell in enumerate(header):
        if cells.is_blank(cell):
            continue
        text = cells.clean_text(cell, multiline=True)
        letter = get_column_letter(pos + 1)
        key = match_header(text, index)
        if key is None:
            unknown.append((letter, text))
            continue
        column = schema.by_key[key]
        if not is_exact_header(text, key, index):
            shown = text.replace("\n", " ")
            if not ignore_extra_columns:
                issues.error(
                    "column_unknown_suggest",
                    sheet=parsed.name,
                    row=parsed.header_row,
                    column=letter,
                    value=cells.shown(text),
                    params={"found": shown, "suggestion": _template_header(column)},
                )
                parsed.letters.setdefault(key, letter)  # no "missing column" besides
                continue
            issues.warning(
                "column_read_as",
                sheet=parsed.name,
                row=parsed.header_row,
                column=letter,
                value=cells.shown(text),
                params={"found": shown, "column": _template_header(column)},
            )
        if key in parsed.positions:
            issues.error(
                "column_duplicate",
                sheet=parsed.name,
                row=parsed.header_row,
                column=letter,
                column_th=column.th,
                column_en=column.en,
                params={
                    "column": bilingual(column),
                    "first": parsed.letters[key],
                    "second": letter,
                },
            )
            continue
        parsed.letters[key] = letter
        parsed.positions[key] = pos
        parsed.present.append(key)
    missing = [c for c in schema.columns if c.key not in parsed.letters]
    names: dict[str, Any] = {}
    for column in missing:
        for name in (column.th, column.en, *column.aliases):
            names.setdefault(cells.normalise_key(name), column)
    every: dict[str, Any] = {}
    for column in schema.columns:
        for name in (column.th, column.en, *column.aliases):
            every.setdefault(cells.normalise_key(name), column)
    suggested: set[str] = set()
    for letter, text in unknown:
        shown = text.replace("\n", " ")
        where = {
            "sheet": parsed.name,
            "row": parsed.header_row,
            "column": letter,
            "value": cells.shown(text),
        }
        column = _closest(text, names)
        if column is not None and (column.required or not ignore_extra_columns):
            # A misspelt header of a column the file lacks: the likeliest reading.
            suggested.add(column.key)
            issues.error(
                "column_unknown_suggest",
                params={"found": shown, "suggestion": bilingual(column)},
                **where,
            )
        elif ignore_extra_columns:
            issues.warning("column_unknown", params={"found": shown}, **where)
        elif (column := _closest(text, every)) is not None:
            issues.error(
                "column_unknown_suggest",
                params={"found": shown, "suggestion": bilingual(column)},
                **where,
            )
        else:
            issues.error("column_not_in_template", params={"found": shown}, **where)
    for column in missing:
        if column.required and column.key not in suggested:
            issues.error(
                "column_missing",
                sheet=parsed.name,
                row=parsed.header_row,
                column_th=column.th,
                column_en=column.en,
                params={"column": bilingual(column)},
            )
