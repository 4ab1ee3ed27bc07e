from __future__ import annotations

import functools
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.safestring import SafeData, SafeString, mark_safe

from .html import escaped, shown


class ProtectedFileInput(forms.ClearableFileInput):
    """The admin's file widget, linking to the permission-checked view of the file
    instead of a media URL (media is never served)."""

    def __init__(self, *args: Any, url_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.url_name = url_name

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if value and getattr(value, "instance", None) is not None and value.instance.pk:
            context["widget"]["value"] = _Link(
                str(value), reverse(self.url_name, args=[value.instance.pk])
            )
        return context


class _Link:
    def __init__(self, text: str, url: str) -> None:
        self.text, self.url = text, url

    def __str__(self) -> str:
        return self.text


# Django's own templates for a select: Select below writes the same HTML without them.
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"


def _stringformat(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`."""
    text = "%s" % (value,)  # noqa: UP031  # the filter's own formatting
    # The filter keeps a safe value safe; anything else is escaped.
    return text if isinstance(value, SafeData) else escaped(text)


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {shown(name)}" if value is True else f' {shown(name)}="{_stringformat(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """A select written in Python, byte for byte what Django's select.html, option and
    attrs templates write: those are two template includes per option, and a filter
    form's district list made them the largest part of the vendor list's time (#19).
    Named Select because crispy writes the widget's class name into the HTML."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        if self.template_name != _SELECT or self.option_template_name != _OPTION:
            return super().render(name, value, attrs, renderer)
        if _plain_options(type(self)):
            # Not list(): it would ask a model choice iterator its length, a COUNT query.
            choices = [choice for choice in self.choices]  # noqa: C416
            if not any(isinstance(label, (list, tuple)) for _value, label in choices):
                return self._render_flat(name, value, attrs, choices)
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{shown(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{shown(group_name)}">')
            for option in group_choices:
                if option["template_name"] != _OPTION:
                    return super().render(name, value, attrs, renderer)
                parts.append(
                    f'\n  <option value="{_stringformat(option["value"])}"'
                    f"{_attrs(option['attrs'])}>{shown(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308  # every value escaped above

    def _render_flat(
        self, name: str, value: Any, attrs: dict[str, Any] | None, choices: list[Any]
    ) -> SafeString:
        """A select without option groups: the options written straight from the choices,
        without the dictionary Django builds for each (ChoiceWidget.create_option), with
        its selection rule (ChoiceWidget.optgroups): the first option whose value is among
        the values, or each of them if several may be selected."""
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        if self.allow_multiple_selected:  # as forms.Select.get_context marks it
            widget["attrs"]["multiple"] = True
        values = widget["value"]
        parts = [f'<select name="{shown(widget["name"])}"{_attrs(widget["attrs"])}>']
        has_selected = False
        for option_value, label in choices:
            shown_value = "" if option_value is None else option_value
            selected = (not has_selected or self.allow_multiple_selected) and str(
                shown_value
            ) in values
            has_selected |= selected
            parts.append(
                f'\n  <option value="{_stringformat(shown_value)}"'
                f"{' selected' if selected else ''}>{shown(label)}</option>\n"
            )
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308  # every value escaped above


@functools.cache
def _plain_options(widget_class: type[forms.Select]) -> bool:
    """Whether the widget's options are Django's own: options that neither take the
    select's attributes nor are built or grouped differently by a subclass."""
    return (
        not widget_class.option_inherits_attrs
        and widget_class.create_option is forms.Select.create_option
        and widget_class.optgroups is forms.Select.optgroups
        and widget_class.checked_attribute == {"selected": True}
        and widget_class.format_value is forms.Select.format_value
        and widget_class.get_context is forms.Select.get_context
    )
