"""`{% load meetings_tags %}`: moments in a city's own time."""

from django import template

from ..localtime import DAY_TIME, format_in_zone, format_span_in_zone, utc_offset_label

register = template.Library()


@register.simple_tag
def in_zone(moment, time_zone: str, fmt: str = DAY_TIME) -> str:
    if not moment:
        return ""
    return format_in_zone(moment, time_zone, fmt)


@register.simple_tag
def span_in_zone(start, end, time_zone: str) -> str:
    if not start or not end:
        return ""
    return format_span_in_zone(start, end, time_zone)


@register.simple_tag
def utc_offset(moment, time_zone: str) -> str:
    return utc_offset_label(moment, time_zone) if moment else ""
