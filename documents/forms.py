from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BEDateField

from .models import Document, Kind, Language


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    session = forms.IntegerField(required=False)
    city = forms.IntegerField(required=False)


class GenerateConfirmForm(GenerateForm):
    """The same choice carried, unseen, by the confirmation page's button."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget = forms.HiddenInput()


class SentForm(forms.Form):
    sent_on = BEDateField(label=_("Sent on"))


class SignedCopyForm(forms.Form):
    signed_copy = forms.FileField(
        label=_("Signed copy (PDF scan)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (Document.Reply.ACCEPTED, _("Accepted")),
            (Document.Reply.DECLINED, _("Declined")),
        ],
    )
    replied_on = BEDateField(label=_("Replied on"))
    note = forms.CharField(
        label=_("What the city said"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachment = forms.FileField(
        label=_("The reply (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
