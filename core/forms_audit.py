from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .audit_log import ACTIONS, audited_models
from .forms import BEDateField, ShortListChoiceField
from .widgets import Select as QuickSelect


class AuditFilterForm(forms.Form):
    # QuickSelect: the same HTML as Django's select, without two includes an option.
    model = forms.ChoiceField(label=_("Record type"), required=False, widget=QuickSelect)
    user = ShortListChoiceField(
        label=_("Changed by"),
        required=False,
        queryset=get_user_model().objects.none(),
        widget=QuickSelect,
    )
    action = forms.ChoiceField(
        label=_("Change"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("Any"))] + [(key, label) for key, label in ACTIONS.items()],
    )
    since = BEDateField(label=_("From"), required=False)
    until = BEDateField(label=_("Until"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_field = cast(forms.ChoiceField, self.fields["model"])  # declared above
        user_field = cast("forms.ModelChoiceField[Any]", self.fields["user"])
        model_field.choices = [("", _("All records"))] + [
            (m._meta.label_lower, f"{m._meta.app_config.verbose_name} – {m._meta.verbose_name}")
            for m in audited_models()
        ]
        user_field.queryset = get_user_model().objects.order_by("username")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Row(
                Column("model", css_class="col-md-3"),
                Column("user", css_class="col-md-3"),
                Column("action", css_class="col-md-2"),
                Column("since", css_class="col-md-2"),
                Column("until", css_class="col-md-2"),
            ),
            Submit("filter", _("Show"), css_class="btn-primary"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "model_label": data.get("model") or "",
            "user_id": data["user"].pk if data.get("user") else None,
            "action": data.get("action") or "",
            "since": data.get("since"),
            "until": data.get("until"),
        }
