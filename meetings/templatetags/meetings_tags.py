"""`{% load meetings_tags %}`: moments in a city's own time, status badges."""

from django import template

from ..localtime import DAY_TIME, format_in_zone, format_span_in_zone, utc_offset_label

register = template.Library()

STATUS_BADGES = {
    "planned": "text-bg-secondary",
    "city_invited": "text-bg-info",
    "city_confirmed": "text-bg-info",
    "connection_tested": "text-bg-primary",
    "scheduled": "text-bg-primary",
    "held": "text-bg-success",
    "reported": "text-bg-success",
    "cancelled": "text-bg-danger",
    "pending": "text-bg-warning",
    "succeeded": "text-bg-success",
    "failed": "text-bg-danger",
    "superseded": "text-bg-light",
    "running": "text-bg-info",
    "sent": "text-bg-success",
    "sending": "text-bg-info",
    "requested": "text-bg-warning",
    "active": "text-bg-success",
    "cancel_requested": "text-bg-warning",
}


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


@register.filter
def badge(status: str) -> str:
    return STATUS_BADGES.get(str(status), "text-bg-secondary")
