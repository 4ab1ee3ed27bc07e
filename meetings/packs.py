"""What the coordination pack of a city shows, read in one language at a time.

Apps built on meetings add links to the pack (the buyers' showcase) through
`register_pack_extra`, so that meetings never imports them: a function of (session, city,
language) returns {"label": ..., "url": ...} or None when it has nothing for this city.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import translation

from cities.models import SisterCity
from core.languages import NAMES, city_language

from .localtime import format_span_in_zone
from .models import AgendaItem, BMAParticipant, CityPack, Session, ShortlistEntry

BANGKOK = "Asia/Bangkok"

# The pack and the participants' e-mails write a day and a time alike (localtime).
format_span = format_span_in_zone


PackExtra = Callable[[Session, SisterCity, str], dict | None]
_EXTRAS: dict[str, PackExtra] = {}


def register_pack_extra(key: str, fn: PackExtra) -> None:
    _EXTRAS[key] = fn


def unregister_pack_extra(key: str) -> None:
    _EXTRAS.pop(key, None)


def pack_languages(city: SisterCity) -> list[tuple[str, str]]:
    """English, then the city's language when it is another: the pack's two columns."""
    codes = ["en"]
    own = city_language(city)
    if own != "en":
        codes.append(own)
    return [(code, NAMES[code]) for code in codes]


@dataclass
class PackSection:
    language: str
    language_name: str
    when_bangkok: str = ""
    when_city: str = ""
    test_bangkok: str = ""
    test_city: str = ""
    agenda: list = field(default_factory=list)
    extras: list[dict] = field(default_factory=list)


@dataclass
class PackPage:
    pack: CityPack
    session: Session
    city: SisterCity
    sections: list[PackSection]
    delegation: list[BMAParticipant]
    vendors: list[ShortlistEntry]


def pack_for_page(pack_id: int) -> CityPack:
    return CityPack.objects.select_related("session__year", "city").get(pk=pack_id)


def _extras(session: Session, city: SisterCity, language: str) -> list[dict]:
    found = []
    for key in sorted(_EXTRAS):
        item = _EXTRAS[key](session, city, language)
        if item and item.get("url"):
            found.append({"key": key, "label": str(item.get("label", "")), "url": item["url"]})
    return found


def _section(session: Session, city: SisterCity, code: str, name: str, agenda) -> PackSection:
    with translation.override(code):
        section = PackSection(language=code, language_name=name)
        if session.starts_at and session.ends_at:
            section.when_bangkok = format_span(session.starts_at, session.ends_at, BANGKOK, code)
            section.when_city = format_span(
                session.starts_at, session.ends_at, city.time_zone, code
            )
        if session.connection_test_starts_at and session.connection_test_ends_at:
            section.test_bangkok = format_span(
                session.connection_test_starts_at, session.connection_test_ends_at, BANGKOK, code
            )
            section.test_city = format_span(
                session.connection_test_starts_at,
                session.connection_test_ends_at,
                city.time_zone,
                code,
            )
        # The Thai title is for Thai readers only; everyone else reads the English one.
        section.agenda = [
            {
                "title": item.title_th if code == "th" else (item.title_en or item.title_th),
                "minutes": item.duration_minutes,
            }
            for item in agenda
        ]
        section.extras = _extras(session, city, code)
    return section


def pack_page(pack: CityPack) -> PackPage:
    """Everything the pack shows, in English and the city's language (4 queries)."""
    session, city = pack.session, pack.city
    agenda = list(AgendaItem.objects.filter(session=session).order_by("position", "pk"))
    delegation = list(
        BMAParticipant.objects.filter(session=session).select_related("user").order_by("office")
    )
    vendors = list(
        ShortlistEntry.objects.filter(session=session)
        .select_related("vendor")
        .prefetch_related(Prefetch("products"))
        .order_by("position", "pk")
    )
    sections = [_section(session, city, code, name, agenda) for code, name in pack_languages(city)]
    return PackPage(pack, session, city, sections, delegation, vendors)
