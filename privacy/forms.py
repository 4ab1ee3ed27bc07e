from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

REASON_REQUIRED = _("Give the reason for the erasure, such as the person's written request.")
CONFIRM_REQUIRED = _("Tick the box to confirm that the erasure cannot be undone.")


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or e-mail"),
        min_length=2,
        max_length=255,
        error_messages={"min_length": _("Type at least two characters.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "pdpa-search"
        self.helper.add_input(Submit("search", _("Search")))


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": REASON_REQUIRED},
    )
    confirm = forms.BooleanField(
        label=_("I understand that the erased data cannot be restored."),
        error_messages={"required": CONFIRM_REQUIRED},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(REASON_REQUIRED)
        return reason

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "pdpa-erase"
        self.helper.add_input(Submit("erase", _("Erase personal data"), css_class="btn-danger"))
