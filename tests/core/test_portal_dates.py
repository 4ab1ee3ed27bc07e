"""Dates in the portal's own forms: typed in BE or CE, shown in the reader's year with a
format hint, and unchanged when a form is re-saved as shown (issue 11, item 1)."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import os
import re
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from core.forms import BEDateField, BESplitDateTimeField, PortalModelForm
from core.forms_audit import AuditFilterForm
from meetings.forms import SlotForm
from outcomes.forms import ContactForm, OrderForm
from outcomes.selectors import EntryChoices

from ..factories import OutcomeContactFactory, ReportingPeriodFactory

BANGKOK = ZoneInfo("Asia/Bangkok")
PORTAL_APPS = ("core", "cities", "vendors", "meetings", "outcomes", "reports")


def _input(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input named {name}"
    return match.group(0)


@pytest.mark.parametrize(
    ("language", "shown", "hint"),
    [
        ("th", "01/11/2569", "วว/ดด/ปปปป (พ.ศ.) เช่น 23/11/2569"),
        ("en", "01/11/2026", "dd/mm/yyyy, for example 23/11/2026"),
    ],
)
def test_core_audit_filter_reads_and_shows_the_reader_s_year(language, shown, hint):
    with translation.override(language):
        form = AuditFilterForm({"since": shown, "until": "30/11/2569"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["since"] == dt.date(2026, 11, 1)
        assert form.cleaned_data["until"] == dt.date(2026, 11, 30)
        html = str(AuditFilterForm(initial={"since": dt.date(2026, 11, 1)})["since"])
    assert f'value="{shown}"' in _input(html, "since")
    assert hint in html


@pytest.mark.django_db
def test_the_audit_trail_page_keeps_a_typed_be_date(client_for, fao_user):
    response = client_for(fao_user, "th").get(reverse("core:audit"), {"since": "01/11/2569"})
    assert response.status_code == 200
    assert response.context["form"].cleaned_data["since"] == dt.date(2026, 11, 1)
    assert 'value="01/11/2569"' in _input(response.content.decode(), "since")


def test_meetings_slot_form_takes_a_be_date_and_shows_it_back():
    start = dt.datetime(2026, 11, 10, 9, 30, tzinfo=BANGKOK)
    initial = SlotForm.initial_for(start, start + dt.timedelta(hours=2))
    with translation.override("th"):
        html = str(SlotForm(initial=initial)["date"])
        assert 'value="10/11/2569"' in _input(html, "date")
        form = SlotForm({"date": "10/11/2569", "start_time": "09:30", "end_time": "11:30"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"] == start


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "shown"), [("th", "20/01/2569"), ("en", "20/01/2026")])
def test_outcomes_contact_form_shows_and_resaves_its_date_unchanged(language, shown):
    contact = OutcomeContactFactory(contacted_on=dt.date(2026, 1, 20))
    period = ReportingPeriodFactory()
    choices = EntryChoices(cities=[contact.city], sessions=[], products=[])
    with translation.override(language):
        html = str(ContactForm(instance=contact, choices=choices, period=period)["contacted_on"])
        assert f'value="{shown}"' in _input(html, "contacted_on")
        field = ContactForm.base_fields["contacted_on"]
        assert field.clean(shown) == dt.date(2026, 1, 20)


def _portal_form_classes():
    for app in PORTAL_APPS:
        path = apps.get_app_config(app).path
        for module_name in sorted(
            name.removesuffix(".py")
            for name in os.listdir(path)
            if name.startswith("forms") and name.endswith(".py")
        ):
            module = importlib.import_module(f"{app}.{module_name}")
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def test_every_portal_date_field_takes_be_and_ce():
    """A new portal form (or ModelForm column) with a plain Django date field fails here."""
    plain = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _portal_form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField)
        and not isinstance(field, BEDateField | BESplitDateTimeField)
    ]
    assert plain == []
    assert issubclass(ContactForm, PortalModelForm) and issubclass(OrderForm, PortalModelForm)


@pytest.mark.django_db
def test_a_portal_model_form_gets_be_date_fields_without_asking():
    from outcomes.models import ReportingPeriod

    class PeriodForm(PortalModelForm):
        class Meta:
            model = ReportingPeriod
            fields = ["due_on", "locked_on"]

    assert isinstance(PeriodForm.base_fields["due_on"], BEDateField)
    with translation.override("th"):
        form = PeriodForm({"due_on": "15/04/2570", "locked_on": "15/05/2027"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["due_on"] == dt.date(2027, 4, 15)
    assert form.cleaned_data["locked_on"] == dt.date(2027, 5, 15)


def test_a_split_date_time_takes_a_be_date_in_the_current_time_zone():
    field = BESplitDateTimeField()
    with translation.override("th"):
        moment = field.clean(["10/11/2569", "14:30"])
        assert moment == dt.datetime(2026, 11, 10, 14, 30, tzinfo=BANGKOK)
        html = field.widget.render("when", moment)
    assert 'value="10/11/2569"' in _input(html, "when_0")
