"""The buyer's contact form and the staff's forms about leads."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cities.models import SisterCity
from core.forms import BilingualShortListChoiceField, ShortListChoiceField
from core.widgets import Select as QuickSelect
from meetings.models import Session

from .models_leads import Lead


class LeadRequestForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    company = forms.CharField(label=_("Company"), max_length=200)
    country = forms.CharField(label=_("Country"), max_length=100)
    buyer_city = forms.CharField(label=_("City"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    phone = forms.RegexField(
        label=_("Phone"),
        required=False,
        max_length=40,
        regex=r"^[0-9+()\-. ]{5,40}$",
        error_messages={"invalid": _("Enter a phone number of digits, spaces and + ( ) -.")},
    )
    messenger = forms.ChoiceField(
        label=_("Messaging app"),
        required=False,
        choices=[("", "—"), *Lead.Messenger.choices],
    )
    messenger_handle = forms.CharField(label=_("Messaging ID"), required=False, max_length=100)
    interest = forms.CharField(
        label=_("What are you interested in?"), max_length=2000, widget=forms.Textarea({"rows": 4})
    )
    quantity = forms.CharField(label=_("How much?"), required=False, max_length=200)
    consent = forms.BooleanField(
        label=_(
            "I agree that the Bangkok Metropolitan Administration keeps these details and "
            "passes them to the vendor so that they can contact me (Thailand's Personal "
            "Data Protection Act)."
        ),
        error_messages={"required": _("Please agree to the use of your data.")},
    )
    # The honeypot: hidden from people, filled in by robots.
    website = forms.CharField(required=False, max_length=200, label="Website")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-check-input" if name == "consent" else "form-control"
            if name == "messenger":
                css = "form-select"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean() or {}
        if not data.get("email") and not data.get("phone"):
            raise forms.ValidationError(_("Please give an e-mail address or a phone number."))
        if data.get("messenger_handle") and not data.get("messenger"):
            self.add_error("messenger", _("Which app is this ID for?"))
        return data


class LeadFilterForm(forms.Form):
    # As the vendor list's filter bar (#19): selects without Django's two template
    # includes an option, lists read in one plain SELECT, the cities as plain values.
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("All")), *Lead.Status.choices],
        widget=QuickSelect,
    )
    session = ShortListChoiceField(
        label=_("session"),
        required=False,
        queryset=Session.objects.select_related("year"),
        widget=QuickSelect,
    )
    city = BilingualShortListChoiceField(
        label=_("sister city"), required=False, queryset=SisterCity.objects, widget=QuickSelect
    )
    due = forms.BooleanField(label=_("to follow up"), required=False)


class LeadFollowUpForm(forms.Form):
    notes = forms.CharField(
        label=_("notes"), required=False, max_length=5000, widget=forms.Textarea({"rows": 4})
    )
    follow_up_on = forms.DateField(
        label=_("follow up on"), required=False, widget=forms.DateInput({"type": "date"})
    )


class LeadStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Lead.Status.choices)


class FollowUpMeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("starts at"), widget=forms.DateTimeInput({"type": "datetime-local"})
    )
    minutes = forms.IntegerField(label=_("duration (minutes)"), min_value=15, max_value=240)
