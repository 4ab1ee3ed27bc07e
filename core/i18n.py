"""Bilingual records: each name is kept in Thai and English, shown in the UI language."""

from typing import TYPE_CHECKING

from django.utils import translation


def pick(thai: str, english: str) -> str:
    """The Thai or English text for the current language, falling back to the other."""
    language = translation.get_language() or "th"
    if language.startswith("th"):
        return thai or english
    return english or thai


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
