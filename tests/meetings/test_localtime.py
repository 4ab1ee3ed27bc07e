"""A session's time as each place reads it; remembered per text, never across languages or
zones (#19: the year page formats the same twelve spans on every view)."""

import datetime as dt

from meetings.localtime import _span, format_span_in_zone

START = dt.datetime(2027, 1, 12, 4, 0, tzinfo=dt.UTC)  # 11:00 in Bangkok, 13:00 in Seoul
END = START + dt.timedelta(hours=2)


def test_a_span_in_each_place_and_language():
    assert format_span_in_zone(START, END, "Asia/Bangkok", "en") == (
        "Tue 12 Jan 2027, 11:00–13:00 (UTC+7)"
    )
    assert format_span_in_zone(START, END, "Asia/Bangkok", "th") == (
        "อ. 12 ม.ค. 2570, 11:00–13:00 (UTC+7)"
    )
    assert format_span_in_zone(START, END, "Asia/Seoul", "ko") == (
        "2027년 1월 12일 (화요일) 13:00–15:00 (UTC+9)"
    )
    # Across a local midnight in Los Angeles: both dates.
    assert format_span_in_zone(
        START + dt.timedelta(hours=3), END + dt.timedelta(hours=7), "America/Los_Angeles", "en"
    ) == ("Mon 11 Jan 2027, 23:00–Tue 12 Jan 2027, 05:00 (UTC−8)")


def test_the_same_span_again_is_read_from_the_memo():
    format_span_in_zone(START, END, "Asia/Tokyo", "ja")
    hits = _span.cache_info().hits
    again = format_span_in_zone(
        START.astimezone(dt.timezone(dt.timedelta(hours=7))), END, "Asia/Tokyo", "ja"
    )
    assert _span.cache_info().hits == hits + 1
    assert again == "2027年1月12日 (火) 13:00–15:00 (UTC+9)"
