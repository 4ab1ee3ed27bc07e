import datetime as dt

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from core import thai
from core.forms import BEDateField, BEYearField


def test_thai_date_shows_the_buddhist_era_year():
    assert thai.format_date(dt.date(2026, 11, 23), language="th") == "23 พฤศจิกายน 2569"


def test_english_date_keeps_the_common_era_year():
    assert thai.format_date(dt.date(2026, 11, 23), language="en") == "23 November 2026"


def test_thai_digits_are_optional():
    text = thai.format_date(dt.date(2026, 11, 23), language="th", digits="thai")
    assert text == "๒๓ พฤศจิกายน ๒๕๖๙"


def test_escaped_y_is_left_alone_and_two_digit_year_is_be():
    assert thai.format_date(dt.date(2026, 1, 5), r"\Y: d/m/y", language="th") == "Y: 05/01/69"


def test_aware_datetime_is_shown_in_bangkok_time():
    moment = dt.datetime(2026, 12, 31, 18, 30, tzinfo=dt.UTC)  # 1 Jan 2027 01:30 in Bangkok
    with timezone.override("Asia/Bangkok"):
        assert thai.format_date(moment, "j F Y H:i", language="th") == "1 มกราคม 2570 01:30"


def test_template_filter_follows_the_active_language():
    template = Template("{% load thai %}{{ d|bedate }}|{{ d|bedate:'Y' }}|{{ '2569'|thai_digits }}")
    context = Context({"d": dt.date(2021, 9, 30)})
    with translation.override("th"):
        assert template.render(context) == "30 กันยายน 2564|2564|๒๕๖๙"
    with translation.override("en"):
        assert template.render(context) == "30 September 2021|2021|๒๕๖๙"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("23/11/2569", dt.date(2026, 11, 23)),
        ("23/11/2026", dt.date(2026, 11, 23)),
        ("2569-11-23", dt.date(2026, 11, 23)),
        ("๒๓/๑๑/๒๕๖๙", dt.date(2026, 11, 23)),
        ("1.10.2563", dt.date(2020, 10, 1)),
    ],
)
def test_date_field_accepts_be_and_ce_years(typed, expected):
    assert BEDateField().clean(typed) == expected


@pytest.mark.parametrize("typed", ["tomorrow", "23/11/69", "01/01/0000"])
def test_date_field_explains_a_bad_date(typed):
    with pytest.raises(forms.ValidationError) as excinfo:
        BEDateField().clean(typed)
    assert excinfo.value.messages == [
        "Enter a date as day/month/year, for example 23/11/2569 or 23/11/2026."
    ]


@pytest.mark.parametrize(
    ("language", "typed", "message"),
    [
        ("en", "31/02/2569", "31/02/2569 does not exist: February 2026 has 28 days."),
        ("th", "31/02/2569", "ไม่มีวันที่ 31/02/2569: เดือนกุมภาพันธ์ 2569 มี 28 วัน"),
        ("en", "29/02/2027", "29/02/2027 does not exist: February 2027 has 28 days."),
        ("th", "31/04/2026", "ไม่มีวันที่ 31/04/2026: เดือนเมษายน 2569 มี 30 วัน"),
        ("en", "2569-13-01", "2569-13-01 does not exist: there is no month 13."),
        ("th", "10/13/2569", "ไม่มีวันที่ 10/13/2569: ไม่มีเดือนที่ 13"),
        ("en", "00/05/2569", "00/05/2569 does not exist: May 2026 has 31 days."),
    ],
)
def test_date_field_says_an_impossible_date_does_not_exist(language, typed, message):
    """Issue 16 item 12: a date that matches the format but is not in the calendar gets
    its own message, not the format's."""
    with translation.override(language):
        with pytest.raises(forms.ValidationError) as excinfo:
            BEDateField().clean(typed)
        assert excinfo.value.messages == [message]
        assert excinfo.value.error_list[0].code == "nonexistent"


@pytest.mark.parametrize(
    ("language", "hint"),
    [("en", "dd/mm/yyyy, for example 23/11/2026"), ("th", "วว/ดด/ปปปป (พ.ศ.) เช่น 23/11/2569")],
)
def test_date_input_always_shows_the_format_with_an_example(language, hint):
    """Issue 16 item 12: the hint is there before any error, the example in the reader's
    year (BE in Thai)."""
    with translation.override(language):
        html = BEDateField().widget.render("day", None, attrs={"id": "id_day"})
    hint_html = f'<small class="form-text text-muted bb-date-hint" id="id_day_hint">{hint}</small>'
    assert hint_html in html
    assert 'aria-describedby="id_day_hint"' in html


def test_date_field_message_in_thai():
    with translation.override("th"):
        with pytest.raises(forms.ValidationError) as excinfo:
            BEDateField().clean("tomorrow")
        assert excinfo.value.messages == [
            "กรุณากรอกวันที่ในรูปแบบ วัน/เดือน/ปี เช่น 23/11/2569 หรือ 23/11/2026"
        ]


def test_date_widget_shows_be_year_in_thai():
    field = BEDateField()
    with translation.override("th"):
        assert field.widget.format_value(dt.date(2026, 11, 23)) == "23/11/2569"


def test_year_field_returns_the_be_year():
    assert BEYearField().clean("2021") == 2564
    assert BEYearField().clean("๒๕๖๔") == 2564


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2300, 12, 31)))
def test_round_trip_through_the_be_form(day):
    typed = f"{day.day}/{day.month}/{day.year + 543}"
    assert BEDateField().clean(typed) == day


def test_sister_city_countries_have_thai_names():
    # django-countries ships only an untranslated th_TH catalogue, which Django's "th"
    # never loads: the portal's own catalogue names the countries of the sister cities.
    from django_countries import countries

    with translation.override("th"):
        assert [countries.name(code) for code in ("JP", "KR", "CN", "US")] == [
            "ญี่ปุ่น",
            "เกาหลีใต้",
            "จีน",
            "สหรัฐอเมริกา",
        ]


def test_english_dates_and_times_are_day_first_with_a_24_hour_clock():
    moment = dt.datetime(2026, 11, 24, 21, 5, tzinfo=dt.UTC)  # 25 Nov 04:05 in Bangkok
    with timezone.override("Asia/Bangkok"):
        assert thai.format_date(moment, "DATETIME_FORMAT", language="en") == (
            "25 November 2026, 04:05"
        )


def test_a_date_typed_in_english_is_read_day_first():
    from django import forms

    with translation.override("en"):
        field = forms.DateField()
        assert field.clean("05/02/2026") == dt.date(2026, 2, 5)  # 5 February, not 2 May
        assert field.clean("2026-02-05") == dt.date(2026, 2, 5)


@pytest.mark.parametrize("language", ["th", "en"])
@given(day=st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9000, 12, 31)))
def test_a_date_input_reads_back_what_it_shows(language, day):
    """Re-saving a form unchanged keeps every date, even a BE year once stored as CE."""
    field = BEDateField()
    with translation.override(language):
        assert field.clean(field.widget.format_value(day)) == day


@pytest.mark.parametrize(
    ("day", "language", "shown"),
    [
        (dt.date(2026, 11, 10), "th", "10/11/2569"),
        (dt.date(2026, 11, 10), "en", "10/11/2026"),
        (dt.date(2569, 11, 10), "en", "10/11/2569 CE"),  # a BE year stored as CE
        (dt.date(2569, 11, 10), "th", "10/11/3112"),
        (dt.date(1800, 1, 2), "th", "02/01/2343 พ.ศ."),
    ],
)
def test_the_era_follows_a_date_only_where_the_year_alone_would_be_misread(day, language, shown):
    with translation.override(language):
        assert BEDateField().widget.format_value(day) == shown


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("10/11/2569 CE", dt.date(2569, 11, 10)),
        ("10/11/2569 ค.ศ.", dt.date(2569, 11, 10)),
        ("10/11/2300 พ.ศ.", dt.date(1757, 11, 10)),
        ("10/11/2569 พ.ศ.", dt.date(2026, 11, 10)),
        ("10/11/2569 B.E.", dt.date(2026, 11, 10)),
    ],
)
def test_an_era_written_after_the_date_decides_how_its_year_is_read(typed, expected):
    assert BEDateField().clean(typed) == expected


def test_a_formatted_date_is_remembered_but_never_for_another_zone_fold_or_language():
    """#19: list pages format the same dates again and again; the memo keys on what the
    text depends on, not on the instant alone (equal instants read differently)."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from core import thai

    moment = dt.datetime(2027, 1, 12, 2, 0, tzinfo=dt.UTC)
    texts = {}
    for zone in ("Asia/Bangkok", "Asia/Seoul", "UTC"):
        with timezone.override(ZoneInfo(zone)):
            for language in ("th", "en"):
                texts[zone, language] = thai.format_date(
                    moment, "D j M Y, H:i T", language=language
                )
    assert texts["Asia/Bangkok", "en"] == "Tue 12 Jan 2027, 09:00 +07"
    assert texts["Asia/Seoul", "en"] == "Tue 12 Jan 2027, 11:00 KST"
    assert texts["UTC", "en"] == "Tue 12 Jan 2027, 02:00 UTC"
    assert texts["Asia/Bangkok", "th"] == "อ. 12 ม.ค. 2570, 09:00 +07"
    # The same wall time on the night the clocks go back in New York: two instants an hour
    # apart ("U": seconds since 1970).
    new_york = ZoneInfo("America/New_York")
    first = dt.datetime(2026, 11, 1, 1, 30, tzinfo=new_york)
    second = first.replace(fold=1)
    with timezone.override(new_york):
        assert thai.format_date(first, "H:i U", language="en") == "01:30 1793511000"
        assert thai.format_date(second, "H:i U", language="en") == "01:30 1793514600"
    hits = thai._formatted.cache_info().hits
    day = dt.date(2027, 3, 5)
    assert thai.format_date(day, language="th") == thai.format_date(day, language="th")
    assert thai._formatted.cache_info().hits == hits + 1
    assert thai.format_date(day, language="en") != thai.format_date(day, language="th")
