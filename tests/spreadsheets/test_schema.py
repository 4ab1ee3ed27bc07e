"""Column converters: the quick paths give exactly what the plain conversion gives."""

import datetime as dt

import pytest

from core.spreadsheets import Choice, IntegerColumn, MultiChoiceColumn, TextColumn
from core.spreadsheets.cells import CellError
from core.spreadsheets.schema import memoised

LANGUAGES = [Choice(1, "ไทย", "Thai", aliases=("th",)), Choice(2, "อังกฤษ", "English")]


@pytest.mark.parametrize(
    "value",
    [
        "ร้านขนม",
        "  ร้าน  ขนม ",
        "x_x000D_y",
        "tab\there",
        "#N/A",
        1234.0,
        "๑๒๓",
        "é",
        "e\u0301",
        "a" * 20,
    ],
)
def test_text_fast_path_matches_the_plain_conversion(value):
    column = TextColumn("name", th="ชื่อ", en="Name", max_length=12, arabic_digits=True)
    fast = column.fast_converter()
    try:
        expected = column.convert(value)
    except CellError as exc:
        with pytest.raises(CellError) as caught:
            fast(value)
        assert caught.value.code == exc.code
    else:
        assert fast(value) == expected


def test_memoised_keeps_types_apart_and_lists_unshared():
    column = IntegerColumn("n", th="จำนวน", en="Number")
    fast = column.fast_converter()
    assert fast(1.0) == 1
    with pytest.raises(CellError):
        fast(True)  # equal to 1.0 as a key, but not a number
    languages = MultiChoiceColumn("languages", th="ภาษา", en="Languages", choices=lambda: LANGUAGES)
    fast = languages.fast_converter()
    first, second = fast("ไทย, English"), fast("ไทย, English")
    assert first == second == [1, 2]
    first.append(99)
    assert second == [1, 2] and fast("ไทย, English") == [1, 2]


def test_memoised_raises_every_time():
    calls = []

    def convert(value):
        calls.append(value)
        raise CellError("not_date")

    fast = memoised(convert)
    for _ in range(2):
        with pytest.raises(CellError):
            fast(dt.date(2026, 1, 1))
    assert len(calls) == 2
