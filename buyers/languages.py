"""The languages of the showcase and its contact form (settings.SHOWCASE_LANGUAGES when the
project defines it): Thai and English, and the working languages of the sister cities.
Korean, Japanese and Chinese are drafts awaiting FAO's review."""

from __future__ import annotations

from django.conf import settings

DEFAULT_SHOWCASE_LANGUAGES = ("th", "en", "ko", "ja", "zh-hans")
# A city's default language, by its country; any other country reads English.
BY_COUNTRY = {"TH": "th", "KR": "ko", "JP": "ja", "CN": "zh-hans", "TW": "zh-hans"}


def showcase_languages() -> tuple[str, ...]:
    return tuple(getattr(settings, "SHOWCASE_LANGUAGES", DEFAULT_SHOWCASE_LANGUAGES))


def showcase_language(requested: str | None, *, city) -> str:
    """The language asked for in the URL when the showcase has it, else the city's."""
    lang = (requested or "").strip().lower().replace("_", "-")
    if lang in showcase_languages():
        return lang
    country = str(getattr(city, "country", "") or "").upper()
    return BY_COUNTRY.get(country, "en")
