from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.formsets import BoundedFormSet, bounded

from .models import ReportGeneration
from .services import ActionInput, FindingInput


class GenerateReportForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the report"),
        choices=ReportGeneration.Language.choices,
        widget=forms.RadioSelect,
    )
    thai_digits = forms.BooleanField(
        label=_("Thai digits (๐๑๒๓)"),
        required=False,
        help_text=_("Thai report only: numbers and page numbers in Thai digits."),
    )


def _text(label, required=False, rows=3):
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class EvaluationForm(forms.Form):
    plan_th = _text(_("Plan: what was planned (Thai)"), required=True)
    plan_en = _text(_("Plan: what was planned (English)"))
    did_th = _text(_("Do: what happened (Thai)"), required=True)
    did_en = _text(_("Do: what happened (English)"))


class FindingForm(forms.Form):
    problem_th = _text(_("Problem (Thai)"), rows=2)
    problem_en = _text(_("Problem (English)"), rows=2)
    cause_th = _text(_("Why (Thai)"), rows=2)
    cause_en = _text(_("Why (English)"), rows=2)

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        filled = any((data.get(k) or "").strip() for k in self.fields)
        if filled and not (data.get("problem_th") or "").strip():
            self.add_error("problem_th", _("Describe the problem in Thai."))
        return data

    def as_input(self) -> FindingInput | None:
        data = self.cleaned_data
        if not data or data.get("DELETE") or not (data.get("problem_th") or "").strip():
            return None
        return FindingInput(
            problem_th=data["problem_th"],
            problem_en=data.get("problem_en", ""),
            cause_th=data.get("cause_th", ""),
            cause_en=data.get("cause_en", ""),
        )


class ActionForm(forms.Form):
    action_th = _text(_("Action (Thai)"), rows=2)
    action_en = _text(_("Action (English)"), rows=2)
    responsible = forms.CharField(label=_("Responsible"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        filled = any((data.get(k) or "").strip() for k in self.fields)
        if filled and not (data.get("action_th") or "").strip():
            self.add_error("action_th", _("Describe the action in Thai."))
        return data

    def as_input(self) -> ActionInput | None:
        data = self.cleaned_data
        if not data or data.get("DELETE") or not (data.get("action_th") or "").strip():
            return None
        return ActionInput(
            action_th=data["action_th"],
            action_en=data.get("action_en", ""),
            responsible=data.get("responsible", ""),
        )


MAX_ROWS = 50  # core/formsets.py: why a bound at all
FindingFormSet = forms.formset_factory(
    FindingForm, formset=BoundedFormSet, extra=2, can_delete=True, **bounded(MAX_ROWS)
)
ActionFormSet = forms.formset_factory(
    ActionForm, formset=BoundedFormSet, extra=2, can_delete=True, **bounded(MAX_ROWS)
)
