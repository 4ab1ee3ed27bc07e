"""The forms of the coordination pack: FAO's (a city's pack, the review) and the city's
list of participants, which it fills in without an account."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.formsets import BoundedFormSet, bounded
from core.languages import PUBLIC_LANGUAGES

from .forms import UNKNOWN_LANGUAGE
from .services.packs import MAX_PARTICIPANTS, ParticipantInput


class PackCreateForm(forms.Form):
    city: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Sister city")
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["city"]).queryset = session.cities.exclude(
            session_packs__session=session
        ).order_by("name_en")


class ParticipantRowForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=(),
        initial="en",
        error_messages={"invalid_choice": UNKNOWN_LANGUAGE},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["language"]).choices = list(PUBLIC_LANGUAGES)


# Five empty rows to start with; rows left empty are skipped.
ParticipantFormSet = forms.formset_factory(
    ParticipantRowForm, formset=BoundedFormSet, extra=5, **bounded(MAX_PARTICIPANTS)
)


class HoneypotForm(forms.Form):
    # Hidden from people; a robot filling in every field fills this one too.
    website = forms.CharField(required=False, max_length=200)

    def is_robot(self) -> bool:
        return self.is_valid() and bool(self.cleaned_data["website"].strip())


def participant_formset(data=None, *, entries=()) -> forms.BaseFormSet:
    """The form, holding the list the city sent last (to correct or extend it)."""
    initial = [
        {"name": e.name, "organisation": e.organisation, "email": e.email, "language": e.language}
        for e in entries
    ]
    return ParticipantFormSet(data, prefix="p", initial=initial or None)


def participant_inputs(formset) -> list[ParticipantInput]:
    return [
        ParticipantInput(
            f.cleaned_data["name"],
            f.cleaned_data.get("organisation", ""),
            f.cleaned_data["email"],
            f.cleaned_data["language"],
        )
        for f in formset.forms
        if f.cleaned_data.get("name")
    ]


class ReviewForm(forms.Form):
    ACTIONS = ("accept_all", "accept", "reject")
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    entries = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())

    def __init__(self, *args, pending_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.pending_ids = pending_ids
        entries = cast(forms.TypedMultipleChoiceField, self.fields["entries"])
        entries.choices = [(pk, pk) for pk in pending_ids]

    def accept_reject(self) -> tuple[list[int], list[int]]:
        action = self.cleaned_data["action"]
        chosen = self.cleaned_data["entries"]
        if action == "accept_all":
            return list(self.pending_ids), []
        if action == "accept":
            return chosen, []
        return [], chosen
