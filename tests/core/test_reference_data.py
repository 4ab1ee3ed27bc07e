import pytest

from cities.models import CooperationField
from vendors.models import District, ProductCategory

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
