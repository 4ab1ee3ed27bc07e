"""The e-mail that brings a city its coordination pack (notifications outbox), in the
city's language when its catalogue has the message, else English."""

from __future__ import annotations

from django.utils.translation import gettext as _

from notifications.rendering import MessageTemplate, Rendered, SkipMessage, register_template

from .models import CityPack
from .packs import format_span
from .services.packs import PACK_MESSAGE, pack_url

BANGKOK = "Asia/Bangkok"


def _render(message) -> Rendered:
    pack = (
        CityPack.objects.select_related("session", "city")
        .filter(pk=message.context.get("pack_id"))
        .first()
    )
    if pack is None:
        raise SkipMessage("gone")
    if pack.revoked_at is not None or not pack.enabled:
        raise SkipMessage("withdrawn")
    if pack.session.is_cancelled:
        raise SkipMessage("session_cancelled")
    session, city, lang = pack.session, pack.city, message.language
    subject = _("Bangkok Brand video conference: your coordination pack")
    lines = [subject, ""]
    if session.starts_at and session.ends_at:
        lines.append(
            _("When: %(city_time)s (your time), %(bangkok_time)s (Bangkok time)")
            % {
                "city_time": format_span(session.starts_at, session.ends_at, city.time_zone, lang),
                "bangkok_time": format_span(session.starts_at, session.ends_at, BANGKOK, lang),
            }
        )
    lines.append(
        _(
            "The pack gives the agenda, the delegation, the vendors and their products, the "
            "connection test and how to join on Teams. Please enter your participants on "
            "its form:"
        )
    )
    lines.append(pack_url(pack))
    text = "\n".join(lines)
    return Rendered(subject=subject, text=text, line_text=text)


def register() -> None:
    register_template(
        MessageTemplate(
            PACK_MESSAGE,
            _render,
            probe="Bangkok Brand video conference: your coordination pack",
        )
    )
