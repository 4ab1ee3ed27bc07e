"""The registry pages, exports and shortlists: roles, query counts, file safety."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.roles import Role
from tests.factories import (
    ProductFactory,
    ProductPhotoFactory,
    SessionFactory,
    ShortlistEntryFactory,
    SisterCityFactory,
    VendorFactory,
)
from vendors.models import ProductCategory, VendorImportJob

pytestmark = pytest.mark.django_db

ALL = {Role.FAO, Role.SDO, Role.SEO, Role.EXECUTIVE}
EDITORS = {Role.FAO, Role.SDO}


def _targets():
    """(url name, kwargs maker, method, roles allowed)."""
    return [
        ("vendors:list", None, "get", ALL),
        ("vendors:detail", "vendor", "get", ALL),
        ("vendors:photo", "photo", "get", ALL),
        ("vendors:export-registry", None, "get", ALL),
        ("vendors:export-products", None, "get", ALL),
        ("vendors:import", None, "get", EDITORS),
        ("vendors:import-template", None, "get", EDITORS),
        ("vendors:import-detail", "job", "get", EDITORS),
        ("vendors:import-status", "job", "get", EDITORS),
        ("vendors:import-confirm", "job", "post", EDITORS),
        ("vendors:shortlists", None, "get", ALL),
        ("vendors:shortlist", "session", "get", ALL),
        ("vendors:shortlist-export", "session", "get", ALL),
        ("vendors:shortlist-add", "session", "post", EDITORS),
        ("vendors:shortlist-approve", "session", "post", {Role.FAO}),
        ("vendors:shortlist-products", "entry", "post", EDITORS),
        ("vendors:shortlist-remove", "entry", "post", EDITORS),
    ]


@pytest.fixture
def objects(sdo_user):
    photo = ProductPhotoFactory()
    entry = ShortlistEntryFactory(vendor=photo.product.vendor)
    job = VendorImportJob.objects.create(
        original_name="x.xlsx",
        file="imports/vendors/x.xlsx",
        created_by=sdo_user,
        status=VendorImportJob.Status.INVALID,
    )
    return {
        "vendor": photo.product.vendor.pk,
        "photo": photo.pk,
        "job": job.pk,
        "session": entry.session.pk,
        "entry": entry.pk,
    }


@pytest.mark.parametrize(("name", "arg", "method", "allowed"), _targets())
@pytest.mark.parametrize("role", list(Role))
def test_every_page_checks_the_role(
    name, arg, method, allowed, role, objects, make_user, client_for
):
    url = reverse(name, args=[objects[arg]] if arg else [])
    response = getattr(client_for(make_user(role)), method)(url)
    if role in allowed:
        assert response.status_code in (200, 302), (name, role, response.status_code)
    else:
        assert response.status_code == 403, (name, role)


@pytest.mark.parametrize(("name", "arg", "method", "allowed"), _targets())
def test_anonymous_visitors_go_to_the_login_page(name, arg, method, allowed, objects, client):
    url = reverse(name, args=[objects[arg]] if arg else [])
    response = getattr(client, method)(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_vendor_list_queries_do_not_grow_with_rows(client_for, seo_user):
    client = client_for(seo_user)
    VendorFactory()
    one = _queries(client, reverse("vendors:list"))
    for _ in range(19):
        ProductFactory()
    assert _queries(client, reverse("vendors:list")) == one


def test_vendor_list_search_and_filters(client_for, executive_user):
    food = ProductFactory(name_th="ทองม้วน", name_en="Coconut rolls").vendor
    other = VendorFactory(business_name_th="ร้านผ้าไหม", business_name_en="Silk shop")
    client = client_for(executive_user)
    text = client.get(reverse("vendors:list"), {"q": "coconut"}).content.decode()
    assert food.business_name_en in text and other.business_name_en not in text
    text = client.get(reverse("vendors:list"), {"q": "ผ้าไหม"}).content.decode()
    assert other.business_name_en in text and food.business_name_en not in text
    food_category = ProductCategory.objects.get(code=1)
    text = client.get(reverse("vendors:list"), {"category": food_category.pk}).content.decode()
    assert food.business_name_en in text and other.business_name_en not in text


@pytest.mark.parametrize("model", ["vendor", "product"])
def test_admin_lists_queries_do_not_grow_with_rows(model, client_for, fao_user):
    client = client_for(fao_user)
    url = reverse(f"admin:vendors_{model}_changelist")
    ProductFactory()
    one = _queries(client, url)
    for _ in range(19):
        ProductFactory()
    assert _queries(client, url) == one


def test_admin_search_in_thai_and_english_and_expiry_filter(client_for, sdo_user):
    import datetime as dt

    from django.utils import timezone

    expired = VendorFactory(
        business_name_th="ร้านหมดอายุ",
        business_name_en="Expired shop",
        certificate_expires_on=timezone.localdate() - dt.timedelta(days=1),
    )
    valid = VendorFactory(business_name_th="ร้านขนมไทย", business_name_en="Thai sweets")
    client = client_for(sdo_user)
    url = reverse("admin:vendors_vendor_changelist")
    assert valid.business_name_en in client.get(url, {"q": "ขนมไทย"}).content.decode()
    text = client.get(url, {"q": "sweets"}).content.decode()
    assert valid.business_name_th in text and expired.business_name_th not in text
    text = client.get(url, {"certificate": "expired"}).content.decode()
    assert expired.business_name_th in text and valid.business_name_th not in text


def test_export_neutralises_formulas(client_for, executive_user):
    VendorFactory(
        business_name_th='=HYPERLINK("http://evil.example","click")',
        owner_name="+66 81 234 5678",
        certificate_number="BB-1",
    )
    response = client_for(executive_user).get(reverse("vendors:export-registry"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content))["ผู้ประกอบการ Vendors"]
    row = [c.value for c in sheet[2]]
    assert row[1] == '\'=HYPERLINK("http://evil.example","click")'
    assert row[3] == "'+66 81 234 5678"
    assert sheet["B2"].data_type == "s"


def test_an_export_imports_back_unchanged(client_for, fao_user, upload):
    product = ProductFactory(price_thb="120.00", unit="box", min_order_quantity=10)
    product.vendor.languages.set([1, 2])
    data = client_for(fao_user).get(reverse("vendors:export-registry")).content
    job, page = upload(data)
    assert job.status == VendorImportJob.Status.READY, page
    counts = job.report["plan"]["counts"]
    assert counts["vendor"] == {"create": 0, "update": 0, "unchanged": 1, "delete": 0}
    assert counts["product"] == {"create": 0, "update": 0, "unchanged": 1, "delete": 0}


def test_template_has_dropdowns_for_category_and_district(client_for, sdo_user):
    response = client_for(sdo_user).get(reverse("vendors:import-template"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "คำอธิบาย Instructions",
        "lists",
        "ผู้ประกอบการ Vendors",
        "สินค้า Products",
    ]
    vendors = workbook["ผู้ประกอบการ Vendors"]
    assert vendors["A1"].value == "เลขที่ใบรับรอง Bangkok Brand *\nBangkok Brand certificate number *"
    validated = {str(dv.sqref).split(":")[0] for dv in vendors.data_validations.dataValidation}
    assert "F2" in validated  # district office
    products = workbook["สินค้า Products"]
    assert products["D1"].value == "หมวดผลิตภัณฑ์ *\nCategory *"
    assert "D2" in {str(dv.sqref).split(":")[0] for dv in products.data_validations.dataValidation}
    lists = [c.value for c in workbook["lists"]["A"] if c.value]
    assert len(lists) == 50 and lists[0] == "พระนคร / Phra Nakhon"


def test_the_template_imports_as_a_clear_error(upload, client_for, sdo_user):
    data = client_for(sdo_user).get(reverse("vendors:import-template")).content
    job, page = upload(data)
    assert job.status == VendorImportJob.Status.INVALID
    assert "The sheet “ผู้ประกอบการ Vendors” has headers but no rows." in page


def test_photo_is_served_only_through_the_view(client_for, seo_user):
    photo = ProductPhotoFactory()
    response = client_for(seo_user).get(reverse("vendors:photo", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_import_status_json(client_for, sdo_user):
    job = VendorImportJob.objects.create(
        original_name="x.xlsx",
        file="imports/vendors/x.xlsx",
        created_by=sdo_user,
        progress_done=500,
        progress_total=2000,
    )
    data = client_for(sdo_user).get(reverse("vendors:import-status", args=[job.pk])).json()
    assert data == {
        "status": "checking",
        "label": "Checking the file",
        "running": True,
        "stalled": False,
        "done": 500,
        "total": 2000,
        "percent": 25,
    }


# -- shortlists ---------------------------------------------------------------------


@pytest.fixture
def session_with_cities():
    session = SessionFactory()
    city = SisterCityFactory()
    city.interested_categories.set(ProductCategory.objects.filter(code__in=[1, 2]))
    session.cities.add(city)
    return session


def test_suggestions_put_vendors_never_presented_first(session_with_cities):
    from meetings.selectors import shortlist_suggestions

    food = ProductCategory.objects.get(code=1)
    textile = ProductCategory.objects.get(code=3)
    veteran = ProductFactory(category=food, vendor=VendorFactory(business_name_th="ก ร้านเก่า"))
    ShortlistEntryFactory(vendor=veteran.vendor, session=SessionFactory(number=9))
    newcomer = ProductFactory(category=food, vendor=VendorFactory(business_name_th="ข ร้านใหม่"))
    ProductFactory(category=textile)  # not a category the city wants
    ProductFactory(category=food, is_export_ready=False)  # not export ready
    ProductFactory(category=food, vendor=VendorFactory(is_active=False))
    import datetime as dt

    ProductFactory(category=food, vendor=VendorFactory(certificate_expires_on=dt.date(2020, 1, 1)))
    suggested = shortlist_suggestions(session_with_cities)
    assert [v.pk for v in suggested] == [newcomer.vendor.pk, veteran.vendor.pk]
    assert suggested[1].times_presented == 1
    assert [p.pk for p in suggested[0].matching_products] == [newcomer.pk]


def test_sdo_adds_a_suggestion_and_fao_approves(
    session_with_cities, client_for, sdo_user, fao_user
):
    product = ProductFactory()
    page = client_for(sdo_user).get(reverse("vendors:shortlist", args=[session_with_cities.pk]))
    assert product.vendor.business_name_en in page.content.decode()
    client_for(sdo_user).post(
        reverse("vendors:shortlist-add", args=[session_with_cities.pk]),
        {"vendor": product.vendor.pk, "products": [product.pk]},
    )
    entry = session_with_cities.shortlist.get()
    assert list(entry.products.all()) == [product] and entry.added_by == sdo_user
    response = client_for(sdo_user).post(
        reverse("vendors:shortlist-approve", args=[session_with_cities.pk])
    )
    assert response.status_code == 403
    client_for(fao_user).post(reverse("vendors:shortlist-approve", args=[session_with_cities.pk]))
    session_with_cities.refresh_from_db()
    assert session_with_cities.shortlist_approved_by == fao_user
    text = (
        client_for(fao_user)
        .get(reverse("vendors:shortlist", args=[session_with_cities.pk]))
        .content.decode()
    )
    assert "Approved by" in text
    # A change afterwards withdraws the approval.
    client_for(sdo_user).post(reverse("vendors:shortlist-remove", args=[entry.pk]))
    session_with_cities.refresh_from_db()
    assert session_with_cities.shortlist_approved_at is None


def test_add_by_certificate_number_and_clear_errors(session_with_cities, client_for, sdo_user):
    ProductFactory(vendor=VendorFactory(certificate_number="BB-777"))
    client = client_for(sdo_user)
    url = reverse("vendors:shortlist-add", args=[session_with_cities.pk])
    client.post(url, {"certificate_number": "bb-๗๗๗"})
    assert session_with_cities.shortlist.get().products.count() == 1
    response = client.post(url, {"certificate_number": "BB-777"}, follow=True)
    assert "This vendor is already on the shortlist." in response.content.decode()
    response = client.post(url, {"certificate_number": "NOPE"}, follow=True)
    assert "No vendor has the certificate number “NOPE”." in response.content.decode()


def test_empty_shortlist_cannot_be_approved(session_with_cities, client_for, fao_user):
    response = client_for(fao_user).post(
        reverse("vendors:shortlist-approve", args=[session_with_cities.pk]), follow=True
    )
    assert "An empty shortlist cannot be approved." in response.content.decode()


def test_a_held_session_keeps_its_shortlist(client_for, sdo_user):
    entry = ShortlistEntryFactory(session=SessionFactory(status="held"))
    response = client_for(sdo_user).post(
        reverse("vendors:shortlist-remove", args=[entry.pk]), follow=True
    )
    assert "This session is Held; its shortlist can no longer change." in response.content.decode()
    assert entry.session.shortlist.count() == 1


def test_shortlist_page_queries_do_not_grow(client_for, fao_user, session_with_cities):
    client = client_for(fao_user)
    url = reverse("vendors:shortlist", args=[session_with_cities.pk])
    ShortlistEntryFactory(session=session_with_cities, vendor=ProductFactory().vendor)
    ProductFactory()
    one = _queries(client, url)
    for _ in range(9):
        ShortlistEntryFactory(session=session_with_cities, vendor=ProductFactory().vendor)
        ProductFactory()
    assert _queries(client, url) == one


def test_shortlist_export_can_be_uploaded_again(session_with_cities, client_for, sdo_user, upload):
    entry = ShortlistEntryFactory(
        session=session_with_cities, vendor=ProductFactory().vendor, position=1
    )
    entry.products.set(entry.vendor.products.all())
    data = (
        client_for(sdo_user)
        .get(reverse("vendors:shortlist-export", args=[session_with_cities.pk]))
        .content
    )
    job, page = upload(data, session=session_with_cities)
    assert job.report["plan"]["counts"]["shortlist"]["unchanged"] == 1, page
