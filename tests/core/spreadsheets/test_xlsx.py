"""Exports that are safe to open, and templates with drop-downs."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.spreadsheets import ExportSheet, neutralise, write_export, write_template
from core.spreadsheets.xlsx import unneutralise

from .schema_for_tests import schema


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+66 2 123 4567", "'+66 2 123 4567"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("ร้าน =ขนม", "ร้าน =ขนม"),
        ("'quoted", "''quoted"),
        ("'=1+1", "''=1+1"),
        (-5, -5),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize(
    "value",
    ["+66 81 234 5678", "=1+1", "-5", "@x", "\t=1+1", "'quoted", "'=1+1", "''", "'", "plain"],
)
def test_unneutralise_gives_back_exactly_what_was_exported(value):
    assert unneutralise(neutralise(value)) == value


def test_unneutralise_keeps_an_apostrophe_that_belongs_to_the_value():
    assert unneutralise("'quoted") == "'quoted"
    assert unneutralise("'") == "'"


def test_export_cells_never_become_formulas():
    data = write_export(
        [
            ExportSheet(
                "Vendors",
                ["Name", "Price", "Date", "Languages"],
                [
                    ["=cmd|' /C calc'!A0", Decimal("12.50"), dt.date(2026, 11, 23), ["th", "en"]],
                    ["@SUM(1+1)", -3, None, []],
                ],
            )
        ]
    )
    sheet = load_workbook(io.BytesIO(data))["Vendors"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert sheet["A2"].data_type == "s"
    assert rows[1][1] == 12.5 and rows[2][1] == -3
    assert rows[1][2] == dt.datetime(2026, 11, 23)
    assert rows[1][3] == "th, en"
    assert rows[2][0] == "'@SUM(1+1)"


def test_template_has_headers_dropdowns_and_instructions():
    data = write_template(
        schema(),
        title=("แบบฟอร์ม", "Template"),
        instructions=[("กรอกหนึ่งแถวต่อรายการ", "One item per row.")],
    )
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["คำอธิบาย Instructions", "lists", "รายการ Items"]
    assert workbook["lists"].sheet_state == "hidden"
    items = workbook["รายการ Items"]
    assert items["A1"].value == "ชื่อ *\nName *"
    assert items["B1"].value == "จำนวน\nQuantity"
    formulas = {
        str(dv.sqref).split(":")[0]: dv.formula1 for dv in items.data_validations.dataValidation
    }
    assert formulas == {"D2": "'lists'!$A$1:$A$2", "E2": "'lists'!$B$1:$B$2"}
    assert [c.value for c in workbook["lists"]["A"]] == ["แบบเอ / Kind A", "แบบบี / Kind B"]
    guide = [c.value for c in workbook["คำอธิบาย Instructions"]["B"] if c.value]
    assert "กรอกหนึ่งแถวต่อรายการ" in guide
    assert workbook.active.title == "รายการ Items"


def test_every_template_says_what_the_import_normalises():
    data = write_template(schema(), title=("แบบฟอร์ม", "Template"), instructions=[])
    guide = load_workbook(io.BytesIO(data))["คำอธิบาย Instructions"]
    rows = [(r[1], r[2]) for r in guide.iter_rows(values_only=True) if len(r) > 2 and r[1]]
    assert (
        "ช่องว่าง แท็บ และการขึ้นบรรทัดใหม่ที่ต้นและท้ายข้อความจะถูกตัดออก ช่องว่างที่ติดกันหลายช่อง"
        "จะเหลือช่องเดียว อักขระที่มองไม่เห็น (เช่น zero-width space) จะถูกลบ และการขึ้นบรรทัดใหม่"
        "จะคงไว้เฉพาะในคอลัมน์รายละเอียด",
        "Spaces, tabs and line breaks at the start and end of a cell are removed, runs of "
        "spaces become one, invisible characters (such as zero-width spaces) are dropped, "
        "and line breaks are kept only in description columns.",
    ) in rows
    assert (
        "ข้อความที่ขึ้นต้นด้วย = + - @ หรือ ' ในไฟล์ที่ส่งออกจากพอร์ทัลจะมีเครื่องหมาย ' นำหน้า "
        "เพื่อไม่ให้ Excel ถือเป็นสูตร เครื่องหมายนี้จะถูกตัดออกเมื่อนำเข้า",
        "In files exported by the portal, text starting with = + - @ or ' has an apostrophe "
        "in front so that Excel does not run it as a formula; the import removes it.",
    ) in rows
