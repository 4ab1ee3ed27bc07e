from __future__ import annotations

from django import forms

from .models import StaffPreference


class StaffPreferenceForm(forms.ModelForm[StaffPreference]):
    class Meta:
        model = StaffPreference
        fields = ["delivery", "language"]
        widgets = {
            "delivery": forms.RadioSelect(attrs={"class": "form-check-input"}),
            "language": forms.RadioSelect(attrs={"class": "form-check-input"}),
        }
