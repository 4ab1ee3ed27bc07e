"""A filter bar's field, written in Python where crispy-forms would draw a template.

crispy's bootstrap5 field template is some forty tags deep (checkbox, radio, file and
input-group branches, help text and error includes) for a plain text box or select; a
list page's filter bar drew four of them on every page, more of its time than the list
it filters (#19). The HTML is crispy's for such a field, without its blank lines; any
field that is not that simple (an error to show, help text, a required mark, another
widget) is drawn by crispy itself."""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.forms import BoundField
from django.utils.safestring import SafeString

from core.html import html_format
from core.widgets import Select

register = template.Library()

# The classes crispy gives each widget: its class name lowercased, then Bootstrap's.
_CLASSES: dict[type[forms.Widget], str] = {
    forms.TextInput: "textinput form-control",
    Select: "select form-select",
}


@register.filter
def as_filter_field(field: BoundField) -> SafeString:
    css = _CLASSES.get(type(field.field.widget))
    if (
        css is None
        or field.errors
        or field.help_text
        or field.field.required
        or not field.label
        or field.field.widget.attrs.get("class")
    ):
        crispy: SafeString = as_crispy_field(field)
        return crispy
    return html_format(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}</div>',
        field.auto_id,
        field.id_for_label,
        field.label,
        field.as_widget(attrs={"class": css}),
    )
