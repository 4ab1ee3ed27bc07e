"""Formsets whose size the browser cannot choose.

TOTAL_FORMS is posted by the browser. Django caps it at `absolute_max` (max_num + 1,000
unless given) and then builds, checks and renders that many forms: a forged 2**31 cost
tens of seconds per request. These formsets take `max_num` as the cap and, when the posted
count is over it, build only the rows already stored, with Django's "Please submit at most
… forms" error."""

from __future__ import annotations

from django import forms
from django.forms.formsets import TOTAL_FORM_COUNT


class BoundedFormSetMixin:
    def total_form_count(self) -> int:
        if (
            self.is_bound
            and self.management_form.is_valid()
            and self.management_form.cleaned_data[TOTAL_FORM_COUNT] > self.absolute_max
        ):
            # INITIAL_FORMS is posted too: bounded as well.
            return min(self.initial_form_count(), self.absolute_max)
        return super().total_form_count()


class BoundedFormSet(BoundedFormSetMixin, forms.BaseFormSet):
    pass


class BoundedInlineFormSet(BoundedFormSetMixin, forms.BaseInlineFormSet):
    pass


def bounded(max_num: int) -> dict:
    """The factory arguments of a bounded formset of at most `max_num` rows."""
    return {"max_num": max_num, "absolute_max": max_num, "validate_max": True}
