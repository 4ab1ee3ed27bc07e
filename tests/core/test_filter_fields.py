"""core/templatetags/filter_fields.py and core.forms.BilingualShortListChoiceField: a filter
bar's fields drawn without crispy's templates, and its lists read as plain values (#19)."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.utils.translation import override

from core.templatetags.filter_fields import as_filter_field
from vendors.forms import VendorFilterForm
from vendors.models import District, ProductCategory

pytestmark = pytest.mark.django_db


def _squeezed(html: str) -> str:
    """HTML without the blank space crispy's templates leave between and inside tags."""
    return re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("language", ["en", "th"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"q": 'ร้าน "ดี" <b>&', "expiring": "soon"},
        {"district": "3", "category": "2", "expiring": "expired"},
    ],
)
def test_each_field_is_crispy_s_html(language, data):
    district = District.objects.order_by("code").first()
    with override(language):
        form = VendorFilterForm(data, initial={"district": district})
        for name in form.fields:
            assert _squeezed(as_filter_field(form[name])) == _squeezed(
                as_crispy_field(form[name])
            ), name


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Select a valid choice. That choice is not one of the available choices."),
        ("th", "เลือกตัวเลือกที่ถูกต้อง. ตัวเลือกนั้นไม่สามารถเลือกได้."),
    ],
)
def test_a_field_with_an_error_is_crispy_s_own(language, message):
    with override(language):
        form = VendorFilterForm({"district": "999999"})
        html = as_filter_field(form["district"])
        assert html == as_crispy_field(form["district"])
    assert "is-invalid" in html
    assert message in html


def test_a_required_field_or_another_widget_is_left_to_crispy():
    class Other(forms.Form):
        name = forms.CharField(label="Name")
        day = forms.DateField(label="Day", required=False)
        note = forms.CharField(label="Note", required=False, help_text="Say why")

    form = Other()
    for name in ("name", "day", "note"):
        assert as_filter_field(form[name]) == as_crispy_field(form[name])
    assert '<span class="asteriskField">*</span>' in as_filter_field(form["name"])


@pytest.mark.parametrize("language", ["en", "th"])
@pytest.mark.parametrize(
    ("field", "model"), [("district", District), ("category", ProductCategory)]
)
def test_the_lists_are_labelled_as_the_models_name_in_the_reader_s_language(
    language, field, model, django_assert_num_queries
):
    with override(language):
        expected = [("", "---------")] + [(o.pk, o.name) for o in model.objects.all()]
        with django_assert_num_queries(1):
            # Iterated as the widget does (list() would also ask the iterator its length).
            choices = []
            for choice in VendorFilterForm().fields[field].choices:
                choices.append(choice)
    assert choices == expected
    assert len(expected) > 5
