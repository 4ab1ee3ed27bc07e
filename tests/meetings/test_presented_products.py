"""Issue #16 item 7: choosing a session's vendors asks which products they present, with
their products in the cities' categories ticked by default; the session page and the
session report show the choice."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Session
from vendors.models import ProductCategory

from ..factories import ProductFactory, ShortlistEntryFactory, VendorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def food_and_drink(confirmed_session, seoul):
    """Seoul wants food; the vendor makes food and textiles."""
    food = ProductCategory.objects.get(code=1)
    seoul.interested_categories.set([food])
    vendor = VendorFactory(business_name_en="Thonburi Sweets")
    kanom = ProductFactory(vendor=vendor, category=food, name_en="Coconut cake")
    scarf = ProductFactory(
        vendor=vendor, category=ProductCategory.objects.get(code=3), name_en="Silk scarf"
    )
    return confirmed_session, vendor, kanom, scarf


def test_a_vendor_new_to_the_session_presents_its_products_in_the_cities_categories(
    food_and_drink, fao_user
):
    from meetings.services.shortlists import shortlist_set_vendors

    session, vendor, kanom, _scarf = food_and_drink
    shortlist_set_vendors(session_id=session.pk, vendors=[vendor], acting_user=fao_user)
    assert list(session.shortlist.get().products.all()) == [kanom]


def test_with_no_category_of_interest_every_product_is_the_default(confirmed_session, fao_user):
    from meetings.services.shortlists import shortlist_set_vendors

    vendor = VendorFactory()
    products = [ProductFactory(vendor=vendor), ProductFactory(vendor=vendor)]
    shortlist_set_vendors(session_id=confirmed_session.pk, vendors=[vendor], acting_user=fao_user)
    assert set(confirmed_session.shortlist.get().products.all()) == set(products)


def test_saving_the_vendors_asks_for_their_products_and_the_choice_is_kept(
    food_and_drink, fao_user, client_for
):
    session, vendor, kanom, scarf = food_and_drink
    client = client_for(fao_user)
    page = client.get(reverse("meetings:session-vendors", args=[session.pk]))
    response = client.post(
        reverse("meetings:session-vendors", args=[session.pk]),
        {"vendors": [vendor.pk], "form_once": _once(page)},
    )
    assert response.headers["Location"] == reverse(
        "meetings:session-vendor-products", args=[session.pk]
    )
    entry = session.shortlist.get()
    step = client.get(response.headers["Location"])
    html = step.content.decode()
    assert "Coconut cake" in html and "Silk scarf" in html
    assert step.context["form"][f"entry_{entry.pk}"].value() == [kanom.pk]

    response = client.post(
        response.headers["Location"],
        {f"entry_{entry.pk}": [kanom.pk, scarf.pk], "form_once": _once(step)},
    )
    assert response.status_code == 302
    assert set(entry.products.all()) == {kanom, scarf}
    detail = client.get(reverse("meetings:session-detail", args=[session.pk])).content.decode()
    assert "Coconut cake, Silk scarf" in detail or "Silk scarf, Coconut cake" in detail


def test_the_products_step_speaks_thai(food_and_drink, fao_user, client_for):
    session, vendor, _kanom, _scarf = food_and_drink
    ShortlistEntryFactory(session=session, vendor=vendor)
    page = client_for(fao_user, "th").get(
        reverse("meetings:session-vendor-products", args=[session.pk])
    )
    html = page.content.decode()
    assert "สินค้าที่นำเสนอ" in html
    assert "ค่าเริ่มต้นคือสินค้าของผู้ประกอบการแต่ละรายในหมวดที่เมืองของการประชุมสนใจ" in html


def test_a_product_of_another_vendor_is_refused(food_and_drink, fao_user):
    from django.core.exceptions import ValidationError

    from meetings.services.shortlists import shortlist_set_presented_products

    session, vendor, _kanom, _scarf = food_and_drink
    entry = ShortlistEntryFactory(session=session, vendor=vendor)
    other = ProductFactory()
    with pytest.raises(ValidationError) as error:
        shortlist_set_presented_products(
            session_id=session.pk, choices={entry.pk: [other]}, acting_user=fao_user
        )
    assert error.value.messages == ["A product presented must be one of the vendor's own."]


def test_a_closed_session_keeps_its_products(food_and_drink, fao_user):
    from django.core.exceptions import ValidationError

    from meetings.services.shortlists import shortlist_set_presented_products

    session, vendor, kanom, _scarf = food_and_drink
    entry = ShortlistEntryFactory(session=session, vendor=vendor)
    Session.objects.filter(pk=session.pk).update(status=Session.Status.HELD)
    with pytest.raises(ValidationError):
        shortlist_set_presented_products(
            session_id=session.pk, choices={entry.pk: [kanom]}, acting_user=fao_user
        )
    assert not entry.products.exists()


def test_the_products_step_reads_a_fixed_number_of_queries(confirmed_session, fao_user, client_for):
    client = client_for(fao_user)
    url = reverse("meetings:session-vendor-products", args=[confirmed_session.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    entry = ShortlistEntryFactory(session=confirmed_session)
    ProductFactory(vendor=entry.vendor)
    one = count()
    for _ in range(4):
        e = ShortlistEntryFactory(session=confirmed_session)
        ProductFactory(vendor=e.vendor)
        ProductFactory(vendor=e.vendor)
    assert count() == one


def test_the_session_report_lists_the_products_chosen(food_and_drink):
    from reports.context import vendor_blocks

    session, vendor, kanom, _scarf = food_and_drink
    entry = ShortlistEntryFactory(session=session, vendor=vendor)
    entry.products.set([kanom])
    blocks, _missing = vendor_blocks(session)
    assert [[item.product for item in block.products] for block in blocks] == [[kanom]]


def _once(page) -> str:
    import re

    return re.search(r'name="form_once" value="([^"]+)"', page.content.decode()).group(1)
