"""core.forms.BilingualShortListChoiceField: its list is compiled once per declaration
(core.compiled, #19), and a queryset set on one form is read as given."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core import compiled
from vendors.forms import VendorFilterForm
from vendors.models import District

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_compiled")]


def _choices(form: VendorFilterForm) -> list:
    # Iterated as a widget draws it (list() would first ask its length: a COUNT).
    return [*iter(form.fields["district"].widget.choices)]


def test_each_form_reads_the_list_its_declaration_compiled_once():
    with translation.override("en"):
        first = _choices(VendorFilterForm())
        kept = len(compiled._COMPILED)
        with CaptureQueriesContext(connection) as reading:
            second = _choices(VendorFilterForm())
    assert kept == 1 and len(compiled._COMPILED) == 1
    assert len(reading) == 1  # read afresh, not built again
    districts = list(District.objects.all())
    assert first == second == [("", "---------")] + [(d.pk, d.name_en) for d in districts]


def test_the_list_is_in_the_readers_language():
    district = District.objects.order_by("code").first()
    with translation.override("th"):
        thai = dict(_choices(VendorFilterForm()))
    with translation.override("en"):
        english = dict(_choices(VendorFilterForm()))
    assert thai[district.pk] == district.name_th != english[district.pk] == district.name_en


def test_a_queryset_set_on_one_form_is_read_as_given():
    one = District.objects.order_by("code").first()
    limited = VendorFilterForm()
    limited.fields["district"].queryset = District.objects.filter(pk=one.pk)
    assert [pk for pk, _name in _choices(limited) if pk] == [one.pk]
    # The declaration is untouched: the next form lists every district.
    assert len([pk for pk, _name in _choices(VendorFilterForm()) if pk]) == District.objects.count()
