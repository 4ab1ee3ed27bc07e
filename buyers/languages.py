"""The showcase's languages, apart from the staff portal's (Thai and English only).

A visitor chooses the language in the URL; the default is the city's. Pages are rendered
under translation.override, so settings.LANGUAGES (the staff's) is left alone.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Names in their own language: a visitor who does not read the current one finds theirs.
SHOWCASE_LANGUAGES = [
    ("th", "ไทย"),
    ("en", "English"),
    ("ko", "한국어"),
    ("ja", "日本語"),
    ("zh-hans", "简体中文"),
]
CODES = [code for code, _name in SHOWCASE_LANGUAGES]
FALLBACK = "en"

# The language and currency of a sister city, by country (ISO 3166). A city elsewhere
# gets the English page and prices in US dollars.
COUNTRY_LANGUAGE = {"KR": "ko", "JP": "ja", "CN": "zh-hans", "TW": "zh-hans", "TH": "th"}
COUNTRY_CURRENCY = {
    "KR": "KRW",
    "JP": "JPY",
    "CN": "CNY",
    "TW": "TWD",
    "HK": "HKD",
    "VN": "VND",
    "LA": "LAK",
    "KH": "KHR",
    "MY": "MYR",
    "SG": "SGD",
    "ID": "IDR",
    "PH": "PHP",
    "IN": "INR",
    "AU": "AUD",
    "GB": "GBP",
    "US": "USD",
    "CA": "CAD",
    "RU": "RUB",
    "FR": "EUR",
    "DE": "EUR",
    "IT": "EUR",
    "ES": "EUR",
    "NL": "EUR",
    "AT": "EUR",
    "BE": "EUR",
    "FI": "EUR",
    "PT": "EUR",
    "IE": "EUR",
    "GR": "EUR",
    "SK": "EUR",
    "LT": "EUR",
}
DEFAULT_CURRENCY = "USD"

LANGUAGE_LABEL = _("Language")


def city_language(city) -> str:
    return COUNTRY_LANGUAGE.get(str(city.country), FALLBACK)


def city_currency(city) -> str:
    return COUNTRY_CURRENCY.get(str(city.country), DEFAULT_CURRENCY)


def chosen(code: str | None) -> str | None:
    """The showcase language a URL names, or None when it names none of them."""
    if not code:
        return None
    code = code.lower()
    return code if code in CODES else None


# The contact form's view of the same list: settings.SHOWCASE_LANGUAGES, when the project
# defines one, narrows it.
DEFAULT_SHOWCASE_LANGUAGES = tuple(CODES)
BY_COUNTRY = COUNTRY_LANGUAGE


def showcase_languages() -> tuple[str, ...]:
    return tuple(getattr(settings, "SHOWCASE_LANGUAGES", DEFAULT_SHOWCASE_LANGUAGES))


def showcase_language(requested: str | None, *, city) -> str:
    """The language asked for in the URL when the showcase has it, else the city's."""
    lang = (requested or "").strip().lower().replace("_", "-")
    if lang in showcase_languages():
        return lang
    country = str(getattr(city, "country", "") or "").upper()
    return BY_COUNTRY.get(country, FALLBACK)
