"""Column converters: the quick paths give exactly what the plain conversion gives."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.spreadsheets import (
    Choice,
    EmailColumn,
    IntegerColumn,
    MultiChoiceColumn,
    TextColumn,
    URLColumn,
)
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


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Shop1@Example.org", "shop1@example.org"),
        ("a.b+c@mail.example.co.th", "a.b+c@mail.example.co.th"),
        ("shop@ตัวอย่าง.ไทย", "shop@ตัวอย่าง.ไทย"),  # not plain: Django's validator decides
    ],
)
def test_email_column(value, expected):
    assert EmailColumn("e", th="อีเมล", en="E-mail").convert(value) == expected


@pytest.mark.parametrize("value", ["a..b@example.org", "a@example", "@example.org", "a@-x.org"])
def test_email_column_refuses(value):
    with pytest.raises(CellError) as caught:
        EmailColumn("e", th="อีเมล", en="E-mail").convert(value)
    assert caught.value.code == "not_email"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("www.shop.example.org", "https://www.shop.example.org"),
        ("http://shop.example.org:8080/p?q=1#x", "http://shop.example.org:8080/p?q=1#x"),
        ("https://ร้าน.ไทย/", "https://ร้าน.ไทย/"),
    ],
)
def test_url_column(value, expected):
    assert URLColumn("w", th="เว็บไซต์", en="Website").convert(value) == expected


@pytest.mark.parametrize("value", ["not a url", "ftp://example.org", "https://-x.org"])
def test_url_column_refuses(value):
    with pytest.raises(CellError) as caught:
        URLColumn("w", th="เว็บไซต์", en="Website").convert(value)
    assert caught.value.code == "not_url"


_ADDRESS_CHARS = "abcXYZ019-._%+@:/?#"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ADDRESS_CHARS, min_size=3, max_size=30))
def test_quick_address_checks_accept_only_what_django_accepts(text):
    from django.core.exceptions import ValidationError
    from django.core.validators import EmailValidator, URLValidator

    from core.spreadsheets.schema import _PLAIN_EMAIL, _PLAIN_URL

    if _PLAIN_EMAIL.fullmatch(text):
        EmailValidator()(text)
    url = f"https://{text}"
    if _PLAIN_URL.fullmatch(url):
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:  # pragma: no cover - the assertion below explains
            pytest.fail(f"{url!r} passed the quick check but not Django's")
