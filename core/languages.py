"""The languages of the pages people outside the BMA read: the showcase, the lead form,
the coordination pack and the product texts behind them.

Staff pages stay in settings.LANGUAGES (Thai and English). A sister city's businesses read
Korean, Japanese, Chinese or English, so the public pages add those; every public page,
form and stored text takes its list from here, so a language added here is added to all.
"""

from __future__ import annotations

from typing import Protocol

# Names in their own language: a visitor who does not read the current one finds theirs.
PUBLIC_LANGUAGES: list[tuple[str, str]] = [
    ("th", "ไทย"),
    ("en", "English"),
    ("ko", "한국어"),
    ("ja", "日本語"),
    ("zh-hans", "简体中文"),
]
PUBLIC_CODES: tuple[str, ...] = tuple(code for code, _name in PUBLIC_LANGUAGES)
NAMES: dict[str, str] = dict(PUBLIC_LANGUAGES)
# Thai and English texts live on the records themselves (name_th, name_en, ...); the
# others are translations kept beside them (vendors.ProductTranslation).
STAFF_CODES: tuple[str, ...] = ("th", "en")
TRANSLATED_LANGUAGES: list[tuple[str, str]] = [
    (code, name) for code, name in PUBLIC_LANGUAGES if code not in STAFF_CODES
]
# What a page shows when the text in the reader's language is missing.
FALLBACK = "en"

# A sister city's language, by country (ISO 3166). A city elsewhere reads English.
COUNTRY_LANGUAGE: dict[str, str] = {
    "KR": "ko",
    "JP": "ja",
    "CN": "zh-hans",
    "TW": "zh-hans",
    "TH": "th",
}


class HasCountry(Protocol):
    country: object


def city_language(city: HasCountry | None) -> str:
    """The city's own language among the public ones, or English."""
    country = str(getattr(city, "country", "") or "").upper()
    return COUNTRY_LANGUAGE.get(country, FALLBACK)


def chosen(code: str | None) -> str | None:
    """The public language a URL or a form names (zh_Hans, ZH-HANS and zh-hans alike), or
    None when it names none of them."""
    if not code:
        return None
    normalised = code.strip().lower().replace("_", "-")
    return normalised if normalised in PUBLIC_CODES else None
