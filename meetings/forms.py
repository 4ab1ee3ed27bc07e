from __future__ import annotations

import datetime as dt
from typing import Any, cast

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import CityContact, InquiryLetter, SisterCity
from core.fiscal import BANGKOK, current_fiscal_year
from core.forms import BEDateField, BEYearField
from core.formsets import BoundedFormSet, bounded
from core.languages import FALLBACK, PUBLIC_LANGUAGES
from core.roles import GROUP_NAMES
from core.thai import format_date
from vendors.models import Product, Vendor

from . import planner
from .models import BMAParticipant, CityParticipant, Office, Session
from .services.people import AgendaRow

# Django's own "Select a valid choice" does not say what the choice is about; a language
# typed into a crafted request (or an old bookmark) gets told what is wrong.
UNKNOWN_LANGUAGE = _("The portal sends no e-mails in “%(value)s”: choose a language from the list.")

MONTHS = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]


class PortalForm(forms.Form):
    """Rendered with crispy-forms inside the template's own <form> tag."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class YearPlanForm(PortalForm):
    fiscal_year = BEYearField(
        label=_("Fiscal year"), help_text=_("The BE year in which it ends, e.g. 2570.")
    )
    month_1 = forms.TypedChoiceField(
        label=_("Month of session 1"), choices=MONTHS, coerce=int, initial=1
    )
    month_2 = forms.TypedChoiceField(
        label=_("Month of session 2"), choices=MONTHS, coerce=int, initial=5
    )
    month_3 = forms.TypedChoiceField(
        label=_("Month of session 3"), choices=MONTHS, coerce=int, initial=9
    )
    vendors_per_session = forms.TypedChoiceField(
        label=_("Vendors per session"),
        choices=[(3, _("3 (as in the source)")), (5, _("5 (as the study recommends)"))],
        coerce=int,
        initial=5,
    )
    session_minutes = forms.TypedChoiceField(
        label=_("Length of a session"),
        choices=[(120, _("2 hours")), (150, _("2½ hours")), (180, _("3 hours"))],
        coerce=int,
        initial=120,
    )

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["fiscal_year"].initial = current_fiscal_year().next().be_year

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        months = [data.get(f"month_{i}") for i in (1, 2, 3)]
        if all(months) and len(set(months)) != len(months):
            raise forms.ValidationError(_("Two sessions cannot share a month."))
        if data.get("fiscal_year"):
            for index, month in enumerate(months, start=1):
                if month and planner.month_has_passed(data["fiscal_year"], month, self.today):
                    first_day = dt.date(
                        planner.session_month_year(data["fiscal_year"], month), month, 1
                    )
                    self.add_error(
                        f"month_{index}",
                        _("%(month)s has already passed: choose a month from %(first)s on.")
                        % {
                            "month": format_date(first_day, "F Y"),
                            "first": format_date(self.today, "F Y"),
                        },
                    )
        data["session_months"] = months
        return data


class SessionDetailsForm(PortalForm):
    cities = forms.ModelMultipleChoiceField(
        label=_("Sister cities"),
        queryset=SisterCity.objects.order_by("name_en"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The source recommends several cities per session."),
    )
    organizer_mailbox = forms.EmailField(
        label=_("Organiser mailbox"),
        required=False,
        help_text=_("The work account that organises the Teams meetings."),
    )


class SlotForm(PortalForm):
    """A date and a start and end time in Bangkok."""

    date = BEDateField(label=_("Date"))
    start_time = forms.TimeField(
        label=_("Starts (Bangkok time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("Ends (Bangkok time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if data.get("date") and data.get("start_time") and data.get("end_time"):
            data["starts_at"] = dt.datetime.combine(data["date"], data["start_time"], BANGKOK)
            data["ends_at"] = dt.datetime.combine(data["date"], data["end_time"], BANGKOK)
            if data["ends_at"] <= data["starts_at"]:
                raise forms.ValidationError(_("The end must come after the start."))
        return data

    @classmethod
    def initial_for(cls, start: dt.datetime | None, end: dt.datetime | None) -> dict:
        if not start or not end:
            return {}
        start, end = start.astimezone(BANGKOK), end.astimezone(BANGKOK)
        return {"date": start.date(), "start_time": start.time(), "end_time": end.time()}


class RescheduleForm(SlotForm):
    """The slot, and once the page has warned of it (a holiday, night hours), the box that
    keeps it all the same."""

    keep_anyway = forms.BooleanField(label=_("Keep this time despite the warnings"), required=False)

    def __init__(self, *args, warned: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not warned:
            del self.fields["keep_anyway"]


class ReasonForm(PortalForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class NotesForm(PortalForm):
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class BMAParticipantForm(PortalForm):
    user = forms.ModelChoiceField(label=_("User"), queryset=get_user_model().objects.none())
    office = forms.ChoiceField(
        label=_("Office"),
        choices=[("", _("From the user's role")), *Office.choices],
        required=False,
    )
    role_in_session = forms.CharField(label=_("Role in the session"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=GROUP_NAMES.values())
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        # Set per instance, as Django documents; the stubs know it only as a method.
        cast(Any, self.fields["user"]).label_from_instance = lambda u: (
            f"{u.get_full_name() or u.get_username()} ({u.get_username()})"
        )


class CityParticipantForm(PortalForm):
    city = forms.ModelChoiceField(label=_("Sister city"), queryset=SisterCity.objects.none())
    contact = forms.ModelChoiceField(
        label=_("City contact"),
        queryset=CityContact.objects.none(),
        required=False,
        help_text=_("Or leave empty and type the participant below."),
    )
    name = forms.CharField(label=_("Name"), required=False)
    title = forms.CharField(label=_("Title"), required=False)
    organisation = forms.CharField(label=_("Organisation"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    language = forms.ChoiceField(
        label=_("Language of e-mails"),
        choices=PUBLIC_LANGUAGES,
        initial=FALLBACK,
        error_messages={"invalid_choice": UNKNOWN_LANGUAGE},
    )

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        cities = session.cities.order_by("name_en")
        cast(forms.ModelChoiceField, self.fields["city"]).queryset = cities
        cast(forms.ModelChoiceField, self.fields["contact"]).queryset = CityContact.objects.filter(
            city__in=cities
        ).select_related("city")
        # Set per instance, as Django documents; the stubs know it only as a method.
        cast(Any, self.fields["contact"]).label_from_instance = lambda c: (
            f"{c.name} ({c.city.name})"
        )

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        contact, city = data.get("contact"), data.get("city")
        if contact and city and contact.city_id != city.pk:
            self.add_error("contact", _("This contact belongs to another city."))
        if not contact and not (data.get("name") or "").strip():
            self.add_error("name", _("Choose a city contact or type the participant's name."))
        return data


class VendorPickForm(PortalForm):
    vendors = forms.ModelMultipleChoiceField(
        label=_("Vendors"),
        queryset=Vendor.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        cast(forms.ModelMultipleChoiceField, self.fields["vendors"]).queryset = (
            Vendor.objects.filter(is_active=True)
            .select_related("district")
            .order_by("business_name_th")
        )
        # Set per instance, as Django documents; the stubs know it only as a method.
        cast(Any, self.fields["vendors"]).label_from_instance = lambda v: (
            f"{v.business_name} ({v.district})"
        )
        self.fields["vendors"].help_text = _(
            "%(count)s vendors per session are planned for this year."
        ) % {"count": session.year.vendors_per_session}


class LetterSentForm(PortalForm):
    """An inquiry letter FAO sent outside the documents app (step 4)."""

    target = forms.ChoiceField(label=_("Session and sister city"))
    sent_on = BEDateField(label=_("Sent on"))
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("The letter's number, such as กท 1402/123."),
    )
    signed_by = forms.CharField(label=_("Signed by"), max_length=255)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target"]).choices = [
            (f"{session.pk}:{city.pk}", f"{session} · {city.name}") for session, city in targets
        ]

    def clean_target(self) -> tuple[int, int]:
        session_id, city_id = self.cleaned_data["target"].split(":")
        return int(session_id), int(city_id)


class LetterReplyForm(PortalForm):
    reply = forms.ChoiceField(
        label=_("Reply"),
        choices=[
            (InquiryLetter.Reply.ACCEPTED, _("Accepted")),
            (InquiryLetter.Reply.DECLINED, _("Declined")),
        ],
        widget=forms.RadioSelect,
    )
    replied_on = BEDateField(label=_("Replied on"))
    note = forms.CharField(
        label=_("What the city said"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PresentedProductsForm(PortalForm):
    """One checkbox list per vendor of the shortlist: the products it presents."""

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            field = forms.ModelMultipleChoiceField(
                label=entry.vendor.business_name,
                queryset=Product.objects.filter(vendor=entry.vendor),
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=[p.pk for p in entry.products.all()],
            )
            # The choices from the prefetched products: no query per vendor.
            field.choices = [
                (p.pk, f"{p.name} · {p.category.name}") for p in entry.vendor.products.all()
            ]
            self.fields[f"entry_{entry.pk}"] = field

    def choices(self) -> dict[int, list]:
        return {e.pk: list(self.cleaned_data[f"entry_{e.pk}"]) for e in self.entries}


class AgendaItemForm(forms.Form):
    item_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title_th = forms.CharField(label=_("Title (Thai)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    duration_minutes = forms.IntegerField(
        label=_("Planned minutes"), required=False, min_value=1, max_value=240
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def row(self, delete: bool) -> AgendaRow:
        data = self.cleaned_data
        return AgendaRow(
            item_id=data.get("item_id"),
            title_th=data.get("title_th", ""),
            title_en=data.get("title_en", ""),
            duration_minutes=data.get("duration_minutes"),
            minutes=data.get("minutes", ""),
            delete=delete,
        )


MAX_AGENDA_ITEMS = 50  # core/formsets.py: why a bound at all
AgendaFormSet = forms.formset_factory(
    AgendaItemForm,
    formset=BoundedFormSet,
    extra=1,
    can_delete=True,
    **bounded(MAX_AGENDA_ITEMS),
)


class AttendanceForm(PortalForm):
    """One box per vendor, city participant and BMA participant of the session.

    `proposal` is the attendance imported from Teams (`session_teams_attendance`): a person
    Teams matched by e-mail starts ticked, one it only suggests by name does not, and each
    box carries its Teams row (`field.field.teams`) for the page to show."""

    def __init__(self, *args, session: Session, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.groups: dict[str, list[str]] = {"vendor": [], "city": [], "bma": []}
        person: CityParticipant | BMAParticipant
        for entry in session.shortlist.all():
            self._add("vendor", entry.pk, entry.vendor.business_name, entry.attended)
        for person in session.city_participants.all():
            label = f"{person.display_name} ({person.city.name})"
            self._add("city", person.pk, label, person.attended)
        for person in session.bma_participants.all():
            label = f"{person.display_name} ({person.get_office_display()})"
            self._add("bma", person.pk, label, person.attended)

    def _add(self, group: str, pk: int, label: str, attended: bool | None) -> None:
        name = f"{group}_{pk}"
        teams_row = self.proposal.for_participant(group, pk) if self.proposal else None
        if attended is None and teams_row is not None:
            # Proposed by Teams; a match by name alone stays a suggestion to tick by hand.
            attended = not teams_row.is_suggestion
        # Nobody is ticked until someone (or Teams, by e-mail) says so: attendance counts
        # for the KPI.
        self.fields[name] = forms.BooleanField(label=label, required=False, initial=bool(attended))
        self.fields[name].teams = teams_row  # type: ignore[attr-defined]  # read by the page
        self.groups[group].append(name)

    def attendance(self, group: str) -> dict[int, bool]:
        return {
            int(name.split("_", 1)[1]): bool(self.cleaned_data.get(name))
            for name in self.groups[group]
        }

    def bound_group(self, group: str):
        return [self[name] for name in self.groups[group]]

    @property
    def vendor_fields(self):
        return self.bound_group("vendor")

    @property
    def city_fields(self):
        return self.bound_group("city")

    @property
    def bma_fields(self):
        return self.bound_group("bma")


class StepTickForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
