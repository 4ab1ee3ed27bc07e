"""Formsets whose size the browser cannot choose.

TOTAL_FORMS is posted by the browser. Django caps it at `absolute_max` (max_num + 1,000
unless given) and then builds, checks and renders that many forms: a forged 2**31 cost
tens of seconds per request. These formsets take `max_num` as the cap and, when the posted
count is over it, build only the rows already stored, with Django's "Please submit at most
… forms" error. The stored rows are counted, not taken from the posted INITIAL_FORMS: forged
with TOTAL_FORMS, it made every such request build and render `max_num` forms (3.6 s)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.formsets import TOTAL_FORM_COUNT

if TYPE_CHECKING:  # what the mixin is mixed into
    _FormSet = forms.BaseFormSet[Any]
    _Mixin = _FormSet
    _InlineFormSet = forms.BaseInlineFormSet[Any, Any, Any]
else:
    _Mixin = object
    _FormSet = forms.BaseFormSet
    _InlineFormSet = forms.BaseInlineFormSet


class BoundedFormSetMixin(_Mixin):
    def total_form_count(self) -> int:
        # formset_factory always sets absolute_max, and a valid management form holds an
        # int; the stubs allow None for both.
        limit = self.absolute_max or 0
        if (
            self.is_bound
            and self.management_form.is_valid()
            and (self.management_form.cleaned_data[TOTAL_FORM_COUNT] or 0) > limit
        ):
            # INITIAL_FORMS is posted too, and was forged with it: the rows actually
            # stored are built again (with the error), never `limit` posted ones.
            return min(self._stored_form_count(), limit)
        return super().total_form_count()

    def _stored_form_count(self) -> int:
        get_queryset = getattr(self, "get_queryset", None)
        if get_queryset is not None:  # a model formset: its rows in the database
            return len(get_queryset())
        return len(self.initial or ())


class BoundedFormSet(BoundedFormSetMixin, _FormSet):
    pass


class BoundedInlineFormSet(BoundedFormSetMixin, _InlineFormSet):
    pass


def bounded(max_num: int) -> dict[str, Any]:
    """The factory arguments of a bounded formset of at most `max_num` rows."""
    return {"max_num": max_num, "absolute_max": max_num, "validate_max": True}
