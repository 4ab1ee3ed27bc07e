"""Cell normalisation: what people type into Excel, as the import reads it."""

import datetime as dt
from decimal import Decimal

import pytest

from core.spreadsheets.cells import (
    CellError,
    clean_text,
    is_clean_text,
    normalise_key,
    to_boolean,
    to_date,
    to_decimal,
    to_integer,
)
from core.spreadsheets.messages import render


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  ร้าน   ขนม  ", "ร้าน ขนม"),
        ("line_x000D_\nbreak", "line break"),
        ("zero\u200bwidth", "zerowidth"),
        ("no\u00a0break space", "no break space"),
        ("tab\there", "tab here"),
        (1234.0, "1234"),
        (12.5, "12.5"),
        (None, ""),
    ],
)
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


def test_clean_text_keeps_line_breaks_when_multiline():
    assert clean_text("first_x000D_\nsecond \r\n\r\n\r\nthird", multiline=True) == (
        "first\nsecond\n\nthird"
    )


def test_decomposed_thai_is_composed():
    # Sara am typed as nikhahit + sara aa composes to U+0E33 under NFC.
    assert clean_text("น\u0e4d\u0e32") == "น\u0e4d\u0e32"  # stays stable
    assert clean_text("e\u0301") == "é"


@pytest.mark.parametrize("text", ["ร้านค้า", "BB-0001", "a b", "Community shop 12"])
def test_clean_text_fast_path_agrees(text):
    assert is_clean_text(text)
    assert clean_text(text) == text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("๑,๒๐๐.๕๐", Decimal("1200.50")),
        ("1,200.50", Decimal("1200.50")),
        ("฿ 99", Decimal("99")),
        ("120 บาท", Decimal("120")),
        (19.99, Decimal("19.99")),
        (7, Decimal("7")),
    ],
)
def test_to_decimal(raw, expected):
    assert to_decimal(raw) == expected


@pytest.mark.parametrize("raw", ["twelve", "๑๒ก", "1.2.3", True])
def test_to_decimal_refuses(raw):
    with pytest.raises(CellError) as caught:
        to_decimal(raw)
    assert render(caught.value.code) == "Enter a number, such as 1200.50 or ๑,๒๐๐.๕๐."


def test_to_integer_thai_digits_and_floats():
    assert to_integer("๕๐") == 50
    assert to_integer(50.0) == 50
    with pytest.raises(CellError) as caught:
        to_integer(50.5)
    assert render(caught.value.code) == "Enter a whole number, such as 120 or ๑๒๐."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("23/11/2569", dt.date(2026, 11, 23)),
        ("23/11/2026", dt.date(2026, 11, 23)),
        ("๒๓/๑๑/๒๕๖๙", dt.date(2026, 11, 23)),
        ("2569-11-23", dt.date(2026, 11, 23)),
        ("2026-11-23 00:00:00", dt.date(2026, 11, 23)),
        ("23 พ.ย. 2569", dt.date(2026, 11, 23)),
        ("23 พฤศจิกายน 2569", dt.date(2026, 11, 23)),
        ("23 Nov 2026", dt.date(2026, 11, 23)),
        (46349.0, dt.date(2026, 11, 23)),  # an Excel serial in a cell without date format
        ("46349", dt.date(2026, 11, 23)),
        (dt.date(2569, 11, 23), dt.date(2026, 11, 23)),  # BE year typed into English Excel
        (dt.datetime(2026, 11, 23, 9, 30), dt.date(2026, 11, 23)),
    ],
)
def test_to_date(raw, expected):
    assert to_date(raw) == expected


def test_to_date_messages():
    with pytest.raises(CellError) as caught:
        to_date("31/02/2569")
    assert render(caught.value.code, caught.value.params) == (
        "Enter a date as day/month/year, such as 23/11/2569 or 23/11/2026, or as an Excel date."
    )
    with pytest.raises(CellError) as caught:
        to_date("23/11/69")
    assert render(caught.value.code, caught.value.params) == (
        "Write the year in full (2569 or 2026), not “69”."
    )
    with pytest.raises(CellError) as caught:
        to_date(12.0)  # a quantity in the date column, not 11 January 1900
    assert caught.value.code == "not_date"
    with pytest.raises(CellError) as caught:
        to_date("1/1/1850")
    assert render(caught.value.code, caught.value.params) == "The date 1850-01-01 is not plausible."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("ใช่", True), ("ไม่ใช่", False), ("Yes", True), ("no", False), (1.0, True), (False, False)],
)
def test_to_boolean(raw, expected):
    assert to_boolean(raw) is expected


def test_to_boolean_refuses():
    with pytest.raises(CellError) as caught:
        to_boolean("maybe")
    assert render(caught.value.code) == "Enter yes or no (ใช่ or ไม่ใช่)."


def test_excel_error_values_are_reported():
    with pytest.raises(CellError) as caught:
        to_decimal("#DIV/0!")
    assert render(caught.value.code, caught.value.params) == (
        "The cell shows an Excel error (#DIV/0!); enter a value instead."
    )


def test_normalise_key_ignores_case_stars_and_punctuation():
    assert normalise_key("Business name (Thai) *") == normalise_key("business  NAME thai")
