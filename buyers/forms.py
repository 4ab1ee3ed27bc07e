from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LinkEnableForm(forms.Form):
    expires_on = forms.DateField(
        label=_("Open until"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ExchangeRateForm(forms.Form):
    currency = forms.RegexField(
        label=_("Currency"), regex=r"^[A-Za-z]{3}$", max_length=3, help_text=_("Such as KRW")
    )
    thb_per_unit = forms.DecimalField(
        label=_("Baht per unit"), max_digits=14, decimal_places=6, min_value=0.000001
    )
    rate_on = forms.DateField(label=_("Rate of"), widget=forms.DateInput(attrs={"type": "date"}))
