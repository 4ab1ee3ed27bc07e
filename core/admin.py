from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from core.formsets import BoundedFormSetMixin

from .audit import delete_audited, save_audited
from .models import WorkerPing
from .permissions import signed_in_user


class ReadOnlyAdminMixin:
    """For rows that only services write (the worker, the portal's pages): the admin
    shows them and their history but adds, changes and deletes nothing."""

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


class CheckedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget, which looks the posted value up to show it again: a
    value that is no id at all ("abc") made that look-up raise ValueError, a 500 instead
    of the form's own "Select a valid choice" error."""

    def optgroups(
        self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        pk = self.field.remote_field.model._meta.pk
        ids = []
        for item in value:
            try:
                pk.to_python(item)
            except ValidationError:
                continue
            ids.append(item)
        return super().optgroups(name, ids, attr)


class AuditedAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple_history ships no types
    """Admin edits go through the audit helpers, as service writes do, and each record's
    "History" page shows who changed what."""

    # Django builds up to 1,000 more inline forms than max_num from the posted TOTAL_FORMS
    # (a forged 2**31 meant 2,000 forms per inline to check and render).
    max_inline_forms = 200

    def get_formsets_with_inlines(
        self, request: HttpRequest, obj: models.Model | None = None
    ) -> Iterator[tuple[type[forms.BaseFormSet[Any]], admin.options.InlineModelAdmin[Any, Any]]]:
        for inline in self.get_inline_instances(request, obj):
            limit = inline.get_max_num(request, obj) or self.max_inline_forms
            formset = inline.get_formset(request, obj, max_num=limit, absolute_max=limit)
            # Over the cap, only the stored rows are built again (core/formsets.py).
            yield type(formset.__name__, (BoundedFormSetMixin, formset), {}), inline

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        field: forms.ModelChoiceField[Any] | None = super().formfield_for_foreignkey(
            db_field, request, **kwargs
        )
        return field

    def save_model(
        self, request: HttpRequest, obj: models.Model, form: forms.BaseForm, change: bool
    ) -> None:
        save_audited(obj, acting_user=signed_in_user(request))

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        delete_audited(obj, acting_user=signed_in_user(request))


@admin.register(WorkerPing)
class WorkerPingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic in the stubs only
    list_display = ["requested_at", "requested_by", "answered_at", "worker_hostname"]
    list_select_related = ["requested_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: WorkerPing | None = None) -> bool:
        return False
