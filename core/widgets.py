from __future__ import annotations

from typing import Any

from django import forms
from django.template import Context
from django.template.base import render_value_in_context
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeData, SafeString, mark_safe


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
_AUTOESCAPE = Context(autoescape=True)


def _shown(value: Any) -> str:
    """`{{ value }}` as a template writes it (localized, escaped unless safe)."""
    return render_value_in_context(value, _AUTOESCAPE)


def _stringformat(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`."""
    text = "%s" % (value,)  # noqa: UP031  # the filter's own formatting
    # The filter keeps a safe value safe; anything else is escaped.
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_stringformat(value)}"'
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
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
            for option in group_choices:
                if option["template_name"] != _OPTION:
                    return super().render(name, value, attrs, renderer)
                parts.append(
                    f'\n  <option value="{_stringformat(option["value"])}"'
                    f"{_attrs(option['attrs'])}>{_shown(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308  # every value escaped above
