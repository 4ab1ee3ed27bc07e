"""Reading a workbook against a schema: headers, row numbers as Excel shows them, every
problem located by sheet, row and column, and nothing written when anything is wrong."""

import datetime as dt
import io

import pytest
from django.test import override_settings
from django.utils import translation

from .builders import xlsx
from .schema_for_tests import ItemsImport

HEADER = ["Name", "Quantity", "Date", "Kind", "Passed"]


def check(data: bytes, **options):
    ItemsImport.written = []
    return ItemsImport().validate(io.BytesIO(data), **options)


def messages(result) -> list[tuple]:
    return [(i.sheet, i.row, i.column, i.value, i.message) for i in result.issues]


def test_clean_file_gives_a_plan_and_values():
    result = check(xlsx({"Items": [HEADER, ["ขนม", "๑๒", "23/11/2569", "Kind A", "ใช่"]]}))
    assert result.ok and messages(result) == []
    assert result.plan.counts["item"]["create"] == 1


def test_row_numbers_are_the_ones_excel_shows():
    # Two title rows and an empty column A: calamine would start at B3 and call it row 1.
    rows = [
        ["", "รายการสินค้า / Item list"],
        [],
        ["", *HEADER],
        ["", "ok", 1],
        ["", "bad", "many"],
    ]
    result = check(xlsx({"Items": rows}, merges={"Items": ["B1:D1"]}))
    assert messages(result) == [
        ("Items", 5, "C", "many", "Enter a whole number, such as 120 or ๑๒๐."),
    ]


def test_thai_and_bilingual_headers_are_recognised():
    rows = [["ชื่อ *", "จำนวน\nQuantity", "วันที่ / Date"], ["x", 1, 46349]]
    result = check(xlsx({"รายการ": rows}))
    assert result.ok
    assert result.plan.counts["item"]["create"] == 1


def test_misspelt_header_suggests_the_closest():
    result = check(xlsx({"Items": [["Name", "Quantty"], ["x", 1]]}))
    assert messages(result) == [
        ("Items", 1, "B", "Quantty", "The column “Quantty” is not known. Did you mean “Quantity”?")
    ]
    assert not result.ok


def test_misspelt_thai_header_suggests_in_the_readers_language():
    result = check(xlsx({"Items": [["ชื่", "Quantity"], ["x", 1]]}))
    assert [i.message for i in result.issues] == [
        "The column “ชื่” is not known. Did you mean “Name”?"
    ]
    with translation.override("th"):
        assert [i.message for i in result.issues] == ["ไม่รู้จักคอลัมน์ “ชื่” หมายถึง “ชื่อ” หรือไม่"]


def test_missing_required_column():
    result = check(xlsx({"Items": [["Quantity", "Notes"], [1, "x"]]}), ignore_extra_columns=True)
    assert messages(result) == [
        ("Items", 1, "B", "Notes", "The column “Notes” is not known and was ignored."),
        ("Items", 1, "", "", "The required column “Name” is missing."),
    ]
    assert [i.is_error for i in result.issues] == [False, True]


def test_merged_header_cells():
    rows = [["Name", "", "Date"], ["x", 1, "1/1/2569"]]
    result = check(xlsx({"Items": rows}, merges={"Items": ["A1:B1"]}))
    assert messages(result) == [
        (
            "Items",
            1,
            "A",
            "",
            "The header cells A1:B1 are merged. Unmerge them so that each column has its own "
            "header.",
        )
    ]


def test_merged_data_cells():
    rows = [HEADER, ["x", 1], ["y", ""], ["z", 2]]
    result = check(xlsx({"Items": rows}, merges={"Items": ["B2:B3"]}))
    assert (
        "Items",
        2,
        "B",
        "",
        "The cells B2:B3 are merged. Unmerge them and fill in each cell.",
    ) in messages(result)


def test_blank_rows_in_between_are_skipped_with_a_note():
    rows = [HEADER, ["a"], [], ["", "  "], ["b"], [], []]
    result = check(xlsx({"Items": rows}))
    assert result.ok
    assert messages(result) == [
        ("Items", 3, "", "", "This row is blank and was skipped."),
        ("Items", 4, "", "", "This row is blank and was skipped."),
    ]
    assert result.plan.counts["item"]["create"] == 2


def test_duplicate_rows():
    result = check(xlsx({"Items": [HEADER, ["ขนม"], ["x"], ["ขนม "]]}))
    assert messages(result) == [("Items", 4, "A", "ขนม", "This row repeats row 2 (ขนม).")]


def test_over_long_text():
    result = check(xlsx({"Items": [HEADER, ["abcdefghijk"]]}))
    assert messages(result) == [
        ("Items", 2, "A", "abcdefghijk", "This text is 11 characters long; the limit is 10.")
    ]


def test_required_cell_and_choice_suggestion():
    rows = [HEADER, ["", 1], ["x", 1, "", "Type Q"], ["y", 1, "", "Kidn A"]]
    result = check(xlsx({"Items": rows}))
    assert messages(result) == [
        ("Items", 2, "A", "", "This cell is required."),
        ("Items", 3, "D", "Type Q", "“Type Q” is not one of the allowed values."),
        (
            "Items",
            4,
            "D",
            "Kidn A",
            "“Kidn A” is not one of the allowed values. Did you mean “แบบเอ / Kind A”?",
        ),
    ]


@pytest.mark.django_db
def test_dates_as_text_serials_and_be_years():
    rows = [
        HEADER,
        ["a", 1, "23/11/2569"],
        ["b", 1, 46349],
        ["c", 1, dt.date(2026, 11, 23)],
        ["d", 1, "๒๓/๑๑/๒๕๖๙"],
    ]
    result = check(xlsx({"Items": rows}))
    assert result.ok, messages(result)
    ItemsImport().commit(io.BytesIO(xlsx({"Items": rows})), acting_user=None)
    assert {r["when"] for r in ItemsImport.written} == {dt.date(2026, 11, 23)}


def test_empty_sheet():
    result = check(xlsx({"Items": []}))
    assert messages(result) == [("Items", None, "", "", "The sheet “Items” is empty.")]


def test_headers_without_rows():
    result = check(xlsx({"Items": [HEADER]}))
    assert messages(result) == [
        ("Items", None, "", "", "The sheet “Items” has headers but no rows.")
    ]


def test_missing_sheet_suggests_a_close_name():
    result = check(xlsx({"Itemz": [HEADER, ["x"]], "Other": [["a"]]}))
    assert messages(result) == [
        ("", None, "", "", "The workbook has no sheet named “รายการ Items”. Did you mean “Itemz”?")
    ]


@override_settings(SPREADSHEET_MAX_ROWS=3)
def test_row_limit():
    result = check(xlsx({"Items": [HEADER, *[[f"r{i}"] for i in range(5)]]}))
    assert messages(result) == [
        ("Items", None, "", "", "The sheet “Items” has 5 rows; the limit is 3.")
    ]


@pytest.mark.django_db
def test_nothing_is_written_when_anything_is_wrong():
    data = xlsx({"Items": [HEADER, ["good"], ["bad", "x"]]})
    ItemsImport.written = []
    result = ItemsImport().commit(io.BytesIO(data), acting_user=None)
    assert not result.applied
    assert ItemsImport.written == []


@pytest.mark.parametrize("language", ["th", "en"])
def test_issues_render_in_the_readers_language(language):
    result = check(xlsx({"Items": [HEADER, ["x", "y"]]}))
    stored = [i.as_dict() for i in result.issues]  # as a job keeps them
    from core.spreadsheets import Issue

    with translation.override(language):
        text = Issue.from_dict(stored[0]).message
    assert (
        text
        == {
            "en": "Enter a whole number, such as 120 or ๑๒๐.",
            "th": "กรอกจำนวนเต็ม เช่น 120 หรือ ๑๒๐",
        }[language]
    )


NOT_IN_TEMPLATE = (
    "The column “Notes” is not in the template. Correct its header or remove the column, "
    "or choose to ignore columns that are not in the template."
)
NOT_IN_TEMPLATE_TH = (
    "คอลัมน์ “Notes” ไม่มีในแบบฟอร์ม กรุณาแก้หัวคอลัมน์หรือลบคอลัมน์นี้ หรือเลือกละเว้นคอลัมน์ที่ไม่มีในแบบฟอร์ม"
)


def test_a_column_not_in_the_template_stops_the_import_until_fixed():
    result = check(xlsx({"Items": [["Name", "Notes"], ["x", "y"]]}))
    assert messages(result) == [("Items", 1, "B", "Notes", NOT_IN_TEMPLATE)]
    assert not result.ok
    with translation.override("th"):
        assert [i.message for i in result.issues] == [NOT_IN_TEMPLATE_TH]


def test_a_column_not_in_the_template_can_be_ignored_explicitly():
    result = check(xlsx({"Items": [["Name", "Notes"], ["x", "y"]]}), ignore_extra_columns=True)
    assert result.ok
    assert messages(result) == [
        ("Items", 1, "B", "Notes", "The column “Notes” is not known and was ignored.")
    ]
    with translation.override("th"):
        assert [i.message for i in result.issues] == ["ไม่รู้จักคอลัมน์ “Notes” ระบบจึงข้ามคอลัมน์นี้"]


def test_a_misspelt_line_under_an_intact_one_is_reported_with_the_template_header():
    result = check(xlsx({"Items": [["ชื่อ\nName", "จำนวน\nQuantty"], ["x", 1]]}))
    assert messages(result) == [
        (
            "Items",
            1,
            "B",
            "จำนวน⏎Quantty",
            "The column “จำนวน Quantty” is not known. Did you mean “จำนวน / Quantity”?",
        )
    ]
    assert not result.ok
    with translation.override("th"):
        assert [i.message for i in result.issues] == [
            "ไม่รู้จักคอลัมน์ “จำนวน Quantty” หมายถึง “จำนวน / Quantity” หรือไม่"
        ]


def test_a_misspelt_line_is_read_by_its_intact_one_when_extra_columns_are_ignored():
    data = xlsx({"Items": [["ชื่อ\nName", "จำนวน\nQuantty"], ["x", 7]]})
    result = check(data, ignore_extra_columns=True)
    assert result.ok
    assert messages(result) == [
        (
            "Items",
            1,
            "B",
            "จำนวน⏎Quantty",
            "The header “จำนวน Quantty” is not exactly the template's; it was read as "
            "“จำนวน / Quantity”.",
        )
    ]
    with translation.override("th"):
        assert [i.message for i in result.issues] == [
            "หัวคอลัมน์ “จำนวน Quantty” ไม่ตรงกับแบบฟอร์ม จึงอ่านเป็น “จำนวน / Quantity”"
        ]
    assert result.plan.payload["rows"][0]["quantity"] == 7


def test_a_misspelt_header_of_a_present_column_suggests_it():
    result = check(xlsx({"Items": [["Name", "Quantity", "Quantty"], ["x", 1, 2]]}))
    assert messages(result) == [
        ("Items", 1, "C", "Quantty", "The column “Quantty” is not known. Did you mean “Quantity”?")
    ]
