"""The demo data of `manage.py load_demo_data`: marked as demo, loaded once, refused in
production."""

import pytest
from django.core.management import call_command

from cities.models import SisterCity
from demo.data import create_demo_users, load_demo_data
from vendors.models import Product, Vendor

pytestmark = pytest.mark.django_db


def test_demo_data_is_marked_and_idempotent():
    first = load_demo_data()
    assert first == {"cities": 3, "vendors": 5, "products": 7}
    assert load_demo_data() == {"cities": 0, "vendors": 0, "products": 0}
    assert set(SisterCity.objects.values_list("name_en", flat=True)) == {
        "Seoul",
        "Fukuoka Prefecture",
        "Shanghai",
    }
    assert not Vendor.objects.filter(is_demo=False).exists()
    assert not Product.objects.filter(is_demo=False).exists()
    assert all("(demo)" in v.business_name_en for v in Vendor.objects.all())


def test_demo_cities_are_candidates_for_a_session():
    load_demo_data()
    assert SisterCity.objects.eligible().count() == 3


def test_demo_users_are_created_once(capsys):
    call_command("load_demo_data")
    first = capsys.readouterr().out
    assert "fao.demo" in first and "executive.demo" in first
    call_command("load_demo_data")
    second = capsys.readouterr().out
    assert "Demo users exist already" in second
    assert create_demo_users() == []


def test_demo_data_is_refused_in_production(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(ImproperlyConfigured):
        load_demo_data()
    with pytest.raises(ImproperlyConfigured):
        create_demo_users()
