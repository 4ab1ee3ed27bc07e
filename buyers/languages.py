"""The showcase's language and currency for a city.

The languages themselves are core.languages' (one list for every public page). A visitor
chooses the language in the URL; the default is the city's. Pages are rendered under
translation.override, so settings.LANGUAGES (the staff's) is left alone.
"""

from __future__ import annotations

from core.languages import chosen, city_language

# The currency of a sister city, by country (ISO 3166). A city elsewhere gets prices in US
# dollars.
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


def city_currency(city) -> str:
    return COUNTRY_CURRENCY.get(str(city.country), DEFAULT_CURRENCY)


def showcase_language(requested: str | None, *, city) -> str:
    """The language asked for in the URL when the showcase has it, else the city's."""
    return chosen(requested) or city_language(city)
