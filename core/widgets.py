from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse


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
