"""A moment shown in a given city's time, with the BE year in Thai."""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone, translation

from core import thai

# "Tue 12 Jan 2027, 09:00" (the year is BE in Thai).
DAY_TIME = "D j M Y, H:i"
TIME = "H:i"
# Korean, Japanese and Chinese put the year first, as Django's own DATE_FORMAT of each does
# ("Y년 n월 j일", "Y年n月j日"), and the weekday after: "2027년 1월 12일 (화요일) 11:00".
# DAY_TIME there would read "화요일 12 1월 2027".
DAY_TIME_FORMATS = {
    "ko": r"Y\년 n\월 j\일 (D) H:i",
    "ja": r"Y\年n\月j\日 (D) H:i",
    "zh-hans": r"Y\年n\月j\日 (D) H:i",
}


def utc_offset_label(moment: dt.datetime, time_zone: str) -> str:
    offset = moment.astimezone(ZoneInfo(time_zone)).utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def format_in_zone(
    moment: dt.datetime, time_zone: str, fmt: str = DAY_TIME, language: str | None = None
) -> str:
    with timezone.override(ZoneInfo(time_zone)):
        return thai.format_date(moment, fmt, language=language or translation.get_language())


def format_span_in_zone(
    start: dt.datetime, end: dt.datetime, time_zone: str, language: str | None = None
) -> str:
    """ "Tue 12 Jan 2027, 11:00–13:00 (UTC+9)" ("2027년 1월 12일 (화요일) 11:00–13:00 (UTC+9)"
    in Korean), or both full dates when the span crosses a
    local midnight."""
    return _span(start, end, time_zone, language or translation.get_language())


# The year page shows each session's time in Bangkok and in each of its cities, on every
# view: the text depends only on the two instants, the zone named and the language (#19).
@functools.lru_cache(maxsize=4096)
def _span(start: dt.datetime, end: dt.datetime, time_zone: str, language: str) -> str:
    zone = ZoneInfo(time_zone)
    same_day = start.astimezone(zone).date() == end.astimezone(zone).date()
    day_time = DAY_TIME_FORMATS.get(language or "", DAY_TIME)
    first = format_in_zone(start, time_zone, day_time, language)
    second = format_in_zone(end, time_zone, TIME if same_day else day_time, language)
    return f"{first}–{second} ({utc_offset_label(start, time_zone)})"


@receiver(setting_changed)
def _forget_spans(**_kwargs: object) -> None:
    """As core.thai forgets its dates: a test that overrides a format sees its own."""
    _span.cache_clear()
