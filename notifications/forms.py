from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms

from .models import StaffPreference

# django-stubs makes ModelForm generic; Django's own class is not subscriptable at run time
# (the project does not install django_stubs_ext's monkeypatch).
if TYPE_CHECKING:
    _PreferenceForm = forms.ModelForm[StaffPreference]
else:
    _PreferenceForm = forms.ModelForm


class StaffPreferenceForm(_PreferenceForm):
    class Meta:
        model = StaffPreference
        fields = ["delivery", "language"]
        widgets = {
            "delivery": forms.RadioSelect(attrs={"class": "form-check-input"}),
            "language": forms.RadioSelect(attrs={"class": "form-check-input"}),
        }
