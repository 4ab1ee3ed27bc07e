"""Form fields for Thai users: dates typed with a BE or CE year, and Thai digits.

`BEDateField` and `BESplitDateTimeField` are the portal's only date inputs: the admin
gets them for every date and date-time column (core.apps.PortalAdminConfig), portal
ModelForms through `PortalModelForm`, and plain forms declare them.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import thai
from .compiled import compiled_rows
from .i18n import picker

# The example of the format hint, shown in the reader's year (BE in Thai).
HINT_EXAMPLE = dt.date(2026, 11, 23)


def date_format_hint() -> str:
    """Shown beside every date input from the start, not only after an error."""
    return _("%(format)s, for example %(example)s") % {
        "format": _("dd/mm/yyyy"),
        "example": thai.format_input_date(HINT_EXAMPLE),
    }


class BEDateInput(forms.DateInput):
    """Shows the date as dd/mm/yyyy, the year BE when the page is in Thai, with the format
    beside it, so that what is shown is what is typed and reads back unchanged."""

    input_type = "text"
    template_name = "core/widgets/be_date.html"

    def format_value(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return thai.format_input_date(value)
        return value  # what the user typed, shown back as typed

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        hint = date_format_hint()
        widget_attrs = context["widget"]["attrs"]
        if widget_attrs.get("id"):
            context["widget"]["hint_id"] = f"{widget_attrs['id']}_hint"
            widget_attrs.setdefault("aria-describedby", context["widget"]["hint_id"])
        context["widget"]["hint"] = hint
        return context


class BEAdminDateWidget(BEDateInput, admin_widgets.AdminDateWidget):
    """The admin's date input (with its calendar), showing and hinting as `BEDateInput`."""

    template_name = "core/widgets/be_admin_date.html"

    @property
    def media(self) -> forms.Media:
        # After core.js, whose Date.strftime and String.strptime it wraps.
        return super().media + forms.Media(js=["admin/js/core.js", "js/be-dates.js"])


class BESplitDateTimeWidget(forms.SplitDateTimeWidget):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        forms.MultiWidget.__init__(
            self, [BEDateInput, forms.TimeInput(attrs={"type": "time"}, format="%H:%M")], attrs
        )


class BEAdminSplitDateTime(admin_widgets.AdminSplitDateTime):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        forms.MultiWidget.__init__(self, [BEAdminDateWidget, admin_widgets.AdminTimeWidget], attrs)


class BEDateField(forms.DateField):
    """Accepts 23/11/2569 (BE), 23/11/2026 (CE), 2569-11-23, and Thai digits.

    A four-digit year above 2400 is a BE year.
    """

    widget = BEDateInput
    default_error_messages = {
        "invalid": _("Enter a date as day/month/year, for example 23/11/2569 or 23/11/2026."),
        "no_month": _("%(typed)s does not exist: there is no month %(month)s."),
        "no_day": _("%(typed)s does not exist: %(month)s has %(days)s days."),
    }

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        parsed = thai.parse_date(str(value))
        missing = thai.missing_day(str(value)) if parsed is None else None
        if missing is not None:
            # The format was right: saying so again would hide that the day is not real.
            typed = str(value).strip()
            if missing.days is None:
                message = self.error_messages["no_month"]
                params = {"typed": typed, "month": missing.month}
            else:
                message = self.error_messages["no_day"]
                month = thai.format_date(dt.date(missing.year, missing.month, 1), "F Y")
                params = {"typed": typed, "month": month, "days": missing.days}
            raise forms.ValidationError(message, code="nonexistent", params=params)
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class BESplitDateTimeField(forms.SplitDateTimeField):
    """A date (BE or CE, as `BEDateField`) and a time, in the current time zone."""

    widget = BESplitDateTimeWidget

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        date_field = BEDateField(localize=kwargs.get("localize", False))
        self.fields = (date_field, self.fields[1])


# The form fields a model's date columns get, in the admin and in portal ModelForms.
DATE_FORMFIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.DateTimeField: {"form_class": BESplitDateTimeField},
    models.DateField: {"form_class": BEDateField},
}
ADMIN_DATE_FORMFIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.DateTimeField: {**DATE_FORMFIELDS[models.DateTimeField], "widget": BEAdminSplitDateTime},
    models.DateField: {**DATE_FORMFIELDS[models.DateField], "widget": BEAdminDateWidget},
}


def be_formfield_callback(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """A ModelForm's form field for a model field: the BE date fields for dates."""
    for model_class in type(db_field).__mro__:
        if model_class in DATE_FORMFIELDS:
            kwargs = {**DATE_FORMFIELDS[model_class], **kwargs}
            break
    return db_field.formfield(**kwargs)


class PortalModelForm(forms.ModelForm):  # type: ignore[type-arg]  # generic in the stubs only
    """The portal's ModelForms: a date column is typed and shown as `BEDateField` does."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Django reads the callback from the form's own Meta only; a subclass's Meta
        # gets it here, before the metaclass builds the fields.
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(be_formfield_callback)
        super().__init_subclass__(**kwargs)


class BEYearField(forms.IntegerField):
    """A year typed as BE (2569) or CE (2026); cleaned to the BE year."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = thai.arabic_digits(value.strip())
        year = super().to_python(value)
        if year is None:
            return None
        return year if year > thai.BE_YEAR_THRESHOLD else thai.to_be_year(year)


class _WholeListIterator(forms.models.ModelChoiceIterator):
    """The choices read with one plain SELECT. Django's iterator reads them through
    `QuerySet.iterator()`, which on PostgreSQL is a server-side cursor (DECLARE ... WITH
    HOLD, FETCH, CLOSE: three round trips, the result materialised on the server first),
    made for lists too long to hold in memory."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ShortListChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice among a short reference list (districts, categories, staff users): read
    whole, in one query, each time the field is drawn (#19: a filter form's two lists were
    six round trips on every page of the vendor list)."""

    iterator: type[forms.models.ModelChoiceIterator] = _WholeListIterator


class _BilingualNamesIterator(forms.models.ModelChoiceIterator):
    """The choices as (pk, name) pairs read as plain values: a list of fifty districts made
    fifty model instances on every page that draws it, to print a name each (#19). The
    read is compiled once for the field's queryset (core.compiled): building it cost
    more than its SQL on every page of the vendor list."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        name = picker()
        field: BilingualShortListChoiceField = self.field  # type: ignore[assignment]
        for pk, name_th, name_en in compiled_rows(field.names_read):
            yield (pk, name(name_th, name_en))


def _bilingual_names(queryset: models.QuerySet[Any]) -> models.QuerySet[Any, Any]:
    return queryset.all().values_list("pk", "name_th", "name_en")


class BilingualShortListChoiceField(ShortListChoiceField):
    """A ShortListChoiceField over a model with `name_th` and `name_en`
    (core.i18n.BilingualNameMixin), labelled, as the model's `name`, in the reader's
    language."""

    iterator = _BilingualNamesIterator
    # The read of the choices, for core.compiled: one per queryset given to the field.
    # A form's copy of its declared field keeps the declaration's (__deepcopy__), so the
    # list is compiled once per declaration; a queryset set on a form later (choices
    # limited for one request) is read as given.
    names_read: Callable[[], models.QuerySet[Any, Any]]

    # Django's own setter and copy of a ModelChoiceField, which its stubs do not declare.
    def _set_queryset(self, queryset: Any) -> None:
        super()._set_queryset(queryset)  # type: ignore[misc]
        self.names_read = functools.partial(_bilingual_names, self.queryset)

    queryset = property(
        forms.ModelChoiceField._get_queryset,  # type: ignore[attr-defined]
        _set_queryset,
    )

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        result = super().__deepcopy__(memo)  # type: ignore[misc]
        result.names_read = self.names_read
        return result
