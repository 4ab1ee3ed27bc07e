from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fiscal import BANGKOK, FiscalHalf, half_of
from core.forms import BEDateField, PortalModelForm
from core.formsets import BoundedInlineFormSet, bounded

from .lines import ContactInput, OrderInput, line_date_error
from .links import DEFAULT_DAYS, MAX_DAYS
from .models import Contact, OrderLine, ReportingPeriod, Submission
from .selectors import EntryChoices, vendor_choices_for_new_submission

HALVES_OFFERED = 6  # the half under way and the five before it


class CachedModelChoiceField(forms.ModelChoiceField):
    """A model choice over objects read once for a whole formset: each of its forms
    renders and validates without a query of its own."""

    def __init__(self, objects, *, label=None, required=True, label_from_instance=str, **kw):
        self.objects = {str(obj.pk): obj for obj in objects}
        model = type(next(iter(objects))) if objects else None
        queryset = model._default_manager.none() if model else ReportingPeriod.objects.none()
        super().__init__(queryset=queryset, label=label, required=required, **kw)
        self.choices = [("", "---------")] + [
            (str(obj.pk), label_from_instance(obj)) for obj in objects
        ]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = str(getattr(value, "pk", value))
        if key not in self.objects:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return self.objects[key]


def session_day(session) -> dt.date:
    return session.starts_at.astimezone(BANGKOK).date()


def _session_label(session) -> str:
    cities = ", ".join(city.name for city in session.cities.all())
    return f"{session} – {cities}" if cities else str(session)


def _product_label(product) -> str:
    return f"{product.name} ({product.category.name})"


class ContactForm(PortalModelForm):
    contacted_on = BEDateField(label=_("Date"))

    class Meta:
        model = Contact
        fields = [
            "city",
            "counterpart_name",
            "counterpart_organisation",
            "counterpart_kind",
            "direction",
            "contacted_on",
            "channel",
            "session",
            "product",
            "about_buying",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 1})}

    def __init__(self, *args, choices: EntryChoices, period: ReportingPeriod, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period
        self.fields["city"] = CachedModelChoiceField(
            choices.cities, label=Contact._meta.get_field("city").verbose_name.capitalize()
        )
        self.fields["session"] = CachedModelChoiceField(
            choices.sessions,
            label=_("Followed from session"),
            required=False,
            label_from_instance=_session_label,
        )
        self.fields["product"] = CachedModelChoiceField(
            choices.products,
            label=_("Product asked about"),
            required=False,
            label_from_instance=_product_label,
        )
        self.fields["about_buying"].label = _("About buying")
        self.fields["counterpart_name"].label = _("Counterpart (person)")
        self.fields["counterpart_organisation"].label = pgettext_lazy("outcomes", "Organisation")
        self.fields["counterpart_kind"].label = _("Counterpart is a")
        self.fields["direction"].label = _("Who contacted whom")
        self.fields["channel"].label = _("Channel")
        self.fields["notes"].label = _("Notes")

    def clean(self):
        data = super().clean()
        assert data is not None  # ModelForm.clean returns cleaned_data
        day = data.get("contacted_on")
        if day:
            problem = line_date_error(day, self.period, timezone.localdate())
            if problem:
                self.add_error("contacted_on", problem)
        session = data.get("session")
        if day and session and session.starts_at and day < session_day(session):
            self.add_error(
                "contacted_on", _("The contact is dated before the session it followed from.")
            )
        return data


class OrderForm(PortalModelForm):
    ordered_on = BEDateField(label=_("Date"))

    class Meta:
        model = OrderLine
        fields = ["product", "city", "quantity", "unit", "value_thb", "ordered_on", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 1})}

    def __init__(self, *args, choices: EntryChoices, period: ReportingPeriod, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period
        self.fields["product"] = CachedModelChoiceField(
            choices.products, label=_("Product"), label_from_instance=_product_label
        )
        self.fields["city"] = CachedModelChoiceField(choices.cities, label=_("Sister city"))
        self.fields["unit"].required = False
        self.fields["unit"].help_text = _("Left blank: the product's unit.")
        self.fields["quantity"].label = _("Quantity")
        self.fields["unit"].label = _("Unit")
        self.fields["value_thb"].label = _("Value (THB)")
        self.fields["notes"].label = _("Notes")

    def clean(self):
        data = super().clean()
        assert data is not None  # ModelForm.clean returns cleaned_data
        product = data.get("product")
        if not data.get("unit") and product is not None:
            if product.unit:
                data["unit"] = product.unit
            else:
                self.add_error("unit", _("Enter the unit: the product has none."))
        day = data.get("ordered_on")
        if day:
            problem = line_date_error(day, self.period, timezone.localdate())
            if problem:
                self.add_error("ordered_on", problem)
        return data


# More lines than this go by the upload (core/formsets.py: why a bound at all).
MAX_LINES = 200
ContactFormSet = inlineformset_factory(
    Submission,
    Contact,
    form=ContactForm,
    formset=BoundedInlineFormSet,
    extra=1,
    can_delete=True,
    **bounded(MAX_LINES),
)
OrderFormSet = inlineformset_factory(
    Submission,
    OrderLine,
    form=OrderForm,
    formset=BoundedInlineFormSet,
    extra=1,
    can_delete=True,
    **bounded(MAX_LINES),
)


def line_formsets(
    *, submission: Submission, choices: EntryChoices, data=None
) -> tuple[
    forms.BaseInlineFormSet[Contact, Submission, ContactForm],
    forms.BaseInlineFormSet[OrderLine, Submission, OrderForm],
]:
    kwargs = {"choices": choices, "period": submission.period}
    contacts = ContactFormSet(
        data,
        instance=submission,
        prefix="contacts",
        queryset=submission.contacts.all(),
        form_kwargs=kwargs,
    )
    orders = OrderFormSet(
        data,
        instance=submission,
        prefix="orders",
        queryset=submission.orders.all(),
        form_kwargs=kwargs,
    )
    return contacts, orders


def _kept_forms(formset):
    """(form, delete) for each form that adds, changes or removes a line."""
    for form in formset.forms:
        pk = form.instance.pk
        delete = formset.can_delete and formset._should_delete_form(form)
        if pk is None and (delete or not form.has_changed()):
            continue
        yield form, pk, delete


def contact_inputs(
    formset: forms.BaseInlineFormSet[Contact, Submission, ContactForm],
) -> list[ContactInput]:
    lines = []
    for form, pk, delete in _kept_forms(formset):
        if delete:
            lines.append(ContactInput.removal(pk))
            continue
        data = form.cleaned_data
        lines.append(
            ContactInput(
                id=pk,
                city_id=data["city"].pk,
                counterpart_name=data["counterpart_name"],
                counterpart_organisation=data.get("counterpart_organisation", ""),
                counterpart_kind=data["counterpart_kind"],
                direction=data["direction"],
                contacted_on=data["contacted_on"],
                channel=data["channel"],
                session_id=data["session"].pk if data.get("session") else None,
                product_id=data["product"].pk if data.get("product") else None,
                about_buying=data.get("about_buying", False),
                notes=data.get("notes", ""),
            )
        )
    return lines


def order_inputs(
    formset: forms.BaseInlineFormSet[OrderLine, Submission, OrderForm],
) -> list[OrderInput]:
    lines = []
    for form, pk, delete in _kept_forms(formset):
        if delete:
            lines.append(OrderInput.removal(pk))
            continue
        data = form.cleaned_data
        lines.append(
            OrderInput(
                id=pk,
                product_id=data["product"].pk,
                city_id=data["city"].pk,
                quantity=data["quantity"],
                unit=data["unit"],
                value_thb=data["value_thb"],
                ordered_on=data["ordered_on"],
                notes=data.get("notes", ""),
            )
        )
    return lines


class SubmissionNotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes for FAO"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def half_choices(today=None) -> list[tuple[str, str]]:
    half = half_of(today or timezone.localdate())
    choices = []
    for _n in range(HALVES_OFFERED):
        choices.append((f"{half.fiscal_year}-{half.half}", half.label()))
        half = half_of(half.first_day - dt.timedelta(days=1))
    return choices


class SubmissionCreateForm(forms.Form):
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=Submission.objects.none())
    half = forms.ChoiceField(label=_("Reporting period"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["vendor"]
        ).queryset = vendor_choices_for_new_submission()
        cast(forms.ChoiceField, self.fields["half"]).choices = half_choices()

    def clean_half(self) -> FiscalHalf:
        year, half = self.cleaned_data["half"].split("-")
        return FiscalHalf(int(year), int(half))


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("SDO sees this reason and corrects the submission."),
    )


class VendorLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail the link to"),
        required=False,
        help_text=_("Leave blank to copy the link and send it yourself."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Outcome form (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=_("FAO's outcome form filled in for this vendor and period."),
    )
    ignore_extra_columns = forms.BooleanField(
        label=_("Ignore columns that are not in the template"),
        required=False,
        help_text=_(
            "Leave this unticked to be told about every header that is not the template's; "
            "tick it to import the file without those columns."
        ),
    )
