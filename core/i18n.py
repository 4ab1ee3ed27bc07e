"""Bilingual records: each name is kept in Thai and English, shown in the UI language."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils import translation


def pick(thai: str, english: str) -> str:
    """The Thai or English text for the current language, falling back to the other."""
    return picker()(thai, english)


def _thai_first(thai: str, english: str) -> str:
    return thai or english


def _english_first(thai: str, english: str) -> str:
    return english or thai


def picker() -> Callable[[str, str], str]:
    """`pick` for the current language, the language read once: for a list of names
    (reading it is a lookup in asgiref's context-local storage, each time)."""
    language = translation.get_language() or "th"
    return _thai_first if language.startswith("th") else _english_first


class BilingualNameMixin:
    """For models with `name_th` and `name_en`: `.name` follows the UI language."""

    if TYPE_CHECKING:  # the model's fields
        name_th: str
        name_en: str

    @property
    def name(self) -> str:
        return pick(self.name_th, self.name_en)

    def __str__(self) -> str:
        return self.name
