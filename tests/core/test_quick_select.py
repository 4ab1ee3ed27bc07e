"""core.widgets.Select writes, without templates, what Django's select templates write (#19)."""

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from core.widgets import Select

CHOICES = [
    ("", "---------"),
    (1, "Phra Nakhon"),
    ("a&b", 'Quotes " and <tags> & ampersands'),
    ("lazy", gettext_lazy("Any")),
    ("safe", mark_safe("<b>kept</b>")),
    ("Fruit", [("mango", "Mango"), ("durian", "Durian <3")]),
]


@pytest.mark.parametrize("value", [None, "", 1, "1", "a&b", "durian", ["x"], ["1", "a&b"]])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"class": "form-select", "id": "id_x"},
        {"required": True, "disabled": False, "data-n": 3},
    ],
)
@pytest.mark.parametrize("language", ["en", "th"])
# Without a group the options are written straight from the choices; with one, from the
# context Django builds.
@pytest.mark.parametrize("choices", [CHOICES, CHOICES[:5], [(None, "none"), *CHOICES[1:3]]])
def test_the_html_is_django_s_own(value, attrs, language, choices):
    with override(language):
        expected = forms.Select(choices=choices).render("field", value, attrs)
        written = Select(choices=choices).render("field", value, attrs)
    assert written == expected


@pytest.mark.parametrize("value", [None, "1", ["1", "a&b"], ["lazy", "durian"]])
@pytest.mark.parametrize("choices", [CHOICES, CHOICES[:5]])
def test_a_multiple_select_is_django_s_own(value, choices):
    django_select, quick = forms.Select(choices=choices), Select(choices=choices)
    django_select.allow_multiple_selected = quick.allow_multiple_selected = True
    assert quick.render("field", value) == django_select.render("field", value)
    assert "<select multiple" in quick.render("field", value).replace('name="field" ', "")


def test_a_form_field_renders_the_same_through_the_form():
    class Plain(forms.Form):
        pick = forms.ChoiceField(choices=CHOICES[:4])

    class Quick(forms.Form):
        pick = forms.ChoiceField(choices=CHOICES[:4], widget=Select)

    data = {"pick": "a&b"}
    assert str(Quick(data)["pick"]) == str(Plain(data)["pick"])


@pytest.mark.django_db
def test_the_list_filters_use_it():
    from core.forms_audit import AuditFilterForm
    from vendors.forms import VendorFilterForm

    vendor_form, audit_form = VendorFilterForm(), AuditFilterForm()
    for form, names in [
        (vendor_form, ["district", "category", "expiring"]),
        (audit_form, ["model", "user", "action"]),
    ]:
        assert all(type(form.fields[name].widget) is Select for name in names)


def test_a_select_without_groups_is_written_from_its_choices_unless_a_subclass_says_otherwise():
    from core.widgets import _plain_options

    class Coloured(Select):
        def create_option(self, *args, **kwargs):
            option = super().create_option(*args, **kwargs)
            option["attrs"]["data-colour"] = "red"
            return option

    assert _plain_options(Select)
    assert not _plain_options(Coloured)
    html = Coloured(choices=CHOICES[:3]).render("field", "1")
    assert html.count(' data-colour="red"') == 3
    assert '<option value="1" selected data-colour="red">Phra Nakhon</option>' in html
