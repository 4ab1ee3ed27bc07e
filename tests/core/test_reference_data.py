import pytest
from django.core.management import call_command

from cities.models import CooperationField, SisterCity
from core.demo import create_demo_users, load_demo_data
from vendors.models import District, Product, ProductCategory, Vendor

pytestmark = pytest.mark.django_db


def test_five_categories_in_both_languages():
    names = list(ProductCategory.objects.values_list("code", "name_th", "name_en"))
    assert names[0] == (1, "ผลิตภัณฑ์อาหาร", "Food products")
    assert names[4] == (5, "ผลิตภัณฑ์สมุนไพรที่ไม่ใช่อาหาร", "Non-food herbal products")
    assert len(names) == 5


def test_fifty_districts_with_unique_names():
    assert District.objects.count() == 50
    assert District.objects.get(code=1030).name_th == "จตุจักร"
    assert District.objects.get(code=1050).name_en == "Bang Bon"


def test_economic_fields_of_cooperation():
    assert set(
        CooperationField.objects.filter(is_economic=True).values_list("code", flat=True)
    ) == {"economy", "trade", "commerce", "investment"}


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
