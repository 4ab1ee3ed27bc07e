"""Form fields for Thai users: dates typed with a BE or CE year, and Thai digits."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from . import thai


class BEDateInput(forms.DateInput):
    """Shows the date as d/m/yyyy with the BE year when the page is in Thai."""

    input_type = "text"

    def format_value(self, value):
        if isinstance(value, dt.date):
            return thai.format_date(value, "j/n/Y")
        return value


class BEDateField(forms.DateField):
    """Accepts 23/11/2569 (BE), 23/11/2026 (CE), 2569-11-23, and Thai digits.

    A four-digit year above 2400 is a BE year.
    """

    widget = BEDateInput
    default_error_messages = {
        "invalid": _("Enter a date as day/month/year, for example 23/11/2569 or 23/11/2026."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        parsed = thai.parse_date(str(value))
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class BEYearField(forms.IntegerField):
    """A year typed as BE (2569) or CE (2026); cleaned to the BE year."""

    def to_python(self, value):
        if isinstance(value, str):
            value = thai.arabic_digits(value.strip())
        year = super().to_python(value)
        if year is None:
            return None
        return year if year > thai.BE_YEAR_THRESHOLD else thai.to_be_year(year)
