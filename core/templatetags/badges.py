"""`{% load badges %}`: `{{ x.status|badge:"app.kind" }}`, the classes of a status badge
(tones registered by the apps, see core.badges)."""

from django import template

from core.badges import badge_class

register = template.Library()


@register.filter
def badge(status: object, name: str) -> str:
    return badge_class(status, name)
