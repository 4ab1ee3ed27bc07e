"""Issue #16 item 9: the statistics give the quantities ordered, a row per product, and
every contact and order line as a workbook; all in a fixed number of queries."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from outcomes.figures import statistics_page
from outcomes.models import LinesExport, Submission

from ..factories import (
    OrderLineFactory,
    OutcomeContactFactory,
    ProductFactory,
    SessionFactory,
    VendorFactory,
)
from .conftest import submission_for

pytestmark = pytest.mark.django_db

STATISTICS = reverse("outcomes:statistics")
LINES = reverse("outcomes:statistics-lines-export")


@pytest.fixture
def lines(year, seoul, fukuoka):
    """Two vendors' accepted forms of FY 2569, a returned one and one of FY 2568."""
    desserts = VendorFactory(
        business_name_en="Phra Nakhon Desserts",
        business_name_th="ขนมพระนคร",
        certificate_number="BB-1",
    )
    rolls = ProductFactory(vendor=desserts, name_en="Coconut rolls", name_th="ทองม้วน", unit="box")
    tea_vendor = VendorFactory(business_name_en="Chatuchak Herbal Tea", certificate_number="BB-2")
    tea = ProductFactory(vendor=tea_vendor, name_en="Lemongrass tea", name_th="ชาตะไคร้")
    first = submission_for(desserts, dt.date(2026, 1, 20))
    second = submission_for(desserts, dt.date(2026, 5, 20))
    session = SessionFactory(year=year, number=1)
    OutcomeContactFactory(
        submission=first,
        city=seoul,
        product=rolls,
        session=session,
        counterpart_name="Kim Ji-woo",
        counterpart_organisation="Seoul Foods Co.",
        contacted_on=dt.date(2026, 1, 21),
        notes="Wants a halal certificate",
    )
    OutcomeContactFactory(submission=first, city=seoul, product=None, about_buying=False)
    OrderLineFactory(
        submission=first,
        product=rolls,
        city=seoul,
        quantity=10,
        unit="box",
        value_thb=1200,
        ordered_on=dt.date(2026, 2, 1),
        notes="=1+1 ships by sea",
    )
    OrderLineFactory(
        submission=second,
        product=rolls,
        city=seoul,
        quantity=Decimal("5.5"),
        unit="box",
        value_thb=660,
        ordered_on=dt.date(2026, 5, 25),
    )
    OrderLineFactory(
        submission=second,
        product=rolls,
        city=seoul,
        quantity=2,
        unit="carton",
        value_thb=2000,
        ordered_on=dt.date(2026, 5, 26),
    )
    OrderLineFactory(
        submission=submission_for(tea_vendor, dt.date(2026, 5, 20)),
        product=tea,
        city=fukuoka,
        quantity=40,
        unit="pack",
        value_thb=4000,
        ordered_on=dt.date(2026, 5, 21),
    )
    # Neither counts: a returned form, and a form of the year before.
    OrderLineFactory(
        submission=submission_for(
            VendorFactory(), dt.date(2026, 1, 20), status=Submission.Status.RETURNED
        ),
        city=seoul,
    )
    OrderLineFactory(
        submission=submission_for(desserts, dt.date(2025, 1, 20)), product=rolls, city=seoul
    )
    return {"rolls": rolls, "tea": tea}


def test_a_row_per_product_and_city_adds_up_quantities_per_unit(lines, year):
    rows = statistics_page(year=year).by_product.rows
    assert [
        (
            r.product_name,
            r.vendor_name,
            r.city.name_en,
            r.contacts,
            r.buying_contacts,
            r.orders,
            [(q.quantity, q.unit) for q in r.quantities],
            r.value_thb,
        )
        for r in rows
    ] == [
        (
            "Lemongrass tea",
            "Chatuchak Herbal Tea",
            "Fukuoka Prefecture",
            0,
            0,
            1,
            [(Decimal("40"), "pack")],
            Decimal("4000"),
        ),
        (
            "Coconut rolls",
            "Phra Nakhon Desserts",
            "Seoul",
            1,
            1,
            3,
            [(Decimal("15.5"), "box"), (Decimal("2"), "carton")],
            Decimal("3860"),
        ),
    ]


@pytest.mark.parametrize("extra", [0, 6])
def test_the_statistics_page_reads_a_fixed_number_of_queries(
    lines, extra, seoul, fao_user, client_for, django_assert_num_queries
):
    for _n in range(extra):
        vendor = VendorFactory()
        OrderLineFactory(
            submission=submission_for(vendor, dt.date(2026, 1, 20)),
            product=ProductFactory(vendor=vendor),
            city=seoul,
        )
    client = client_for(fao_user)
    client.get(STATISTICS)
    # session, the user with their groups, years, cities and categories (once for both tables), the
    # tallies (which also give the version that keys the ranking the first request cached,
    # issue #19: so neither the count of the ranked pairs nor their page is read again);
    # per product: the page's quantities per unit, its products with their vendors' names;
    # and the menu's to-do badge (core.todo: all the user's counts in one query, #16).
    with django_assert_num_queries(9):
        response = client.get(STATISTICS + "?year=2569")
    assert response.status_code == 200


def _row_cells(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def test_the_page_shows_quantities_and_products_in_english_and_thai(lines, fao_user, client_for):
    english = client_for(fao_user).get(STATISTICS + "?year=2569").content.decode()
    assert '<h2 class="h5" id="by-product-heading">By product and sister city</h2>' in english
    assert '<th scope="col" class="text-end">Quantity ordered</th>' in english
    row = _row_cells(english, "Coconut rolls")
    assert "Phra Nakhon Desserts" in row and "15.5 box<br>2 carton" in row and "3,860.00" in row
    assert f'action="{LINES}"' in english and 'name="year" value="2569"' in english
    assert "Export every contact and order line (.xlsx)" in english

    thai = client_for(fao_user, language="th").get(STATISTICS + "?year=2569").content.decode()
    assert '<h2 class="h5" id="by-product-heading">แยกตามสินค้าและเมืองพี่เมืองน้อง</h2>' in thai
    assert '<th scope="col" class="text-end">จำนวนที่สั่งซื้อ</th>' in thai
    row = _row_cells(thai, "ทองม้วน")
    assert "ขนมพระนคร" in row and "15.5 box<br>2 carton" in row
    assert "ส่งออกรายการติดต่อและคำสั่งซื้อทุกรายการ (.xlsx)" in thai


def test_product_rows_are_paged(lines, seoul, fao_user, client_for):
    from outcomes import figures

    vendor = VendorFactory()
    for n in range(figures.PRODUCTS_PER_PAGE):
        OrderLineFactory(
            submission=submission_for(vendor, dt.date(2026, 1, 20)),
            product=ProductFactory(vendor=vendor, name_en=f"Product {n:03}"),
            city=seoul,
            value_thb=1,
        )
    client = client_for(fao_user)
    first = client.get(STATISTICS + "?year=2569").content.decode()
    assert "Coconut rolls" in first and "Lemongrass tea" in first
    second = client.get(STATISTICS + "?year=2569&page=2").content.decode()
    assert second.count('class="product-row"') == 2
    assert "Coconut rolls" not in second
    assert client.get(STATISTICS + "?year=2569&page=zz").status_code == 200


@pytest.fixture
def export_lines(django_capture_on_commit_callbacks):
    """Ask for the year's lines as the page's button does; the task runs in-process on
    commit; then download the file from the export's page."""
    made = []

    def export(client, year="2569"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(LINES, {"year": year})
        job = LinesExport.objects.order_by("-pk").first()
        made.append(job)
        assert response["Location"] == reverse("outcomes:lines-export-detail", args=[job.pk])
        return client.get(reverse("outcomes:lines-export-download", args=[job.pk]))

    yield export
    for job in made:
        job.refresh_from_db()
        job.file.delete()


def _sheets(content) -> dict[str, list[tuple]]:
    if not isinstance(content, bytes):
        content = b"".join(content)
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_every_line_is_exported_with_its_notes(lines, executive_user, client_for, export_lines):
    response = export_lines(client_for(executive_user))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="outcome-lines-2569.xlsx"'
    sheets = _sheets(response.streaming_content)
    assert list(sheets) == ["Contacts FY 2569", "Orders FY 2569"]
    contacts, orders = sheets.values()
    assert contacts[0] == (
        "Reporting period",
        "Vendor",
        "Certificate number",
        "Sister city",
        "Date",
        "Counterpart",
        "Organisation",
        "Counterpart is a",
        "Who contacted whom",
        "Channel",
        "About buying",
        "Product asked about",
        "Followed from session",
        "Notes",
    )
    assert len(contacts) == 3
    kim = next(r for r in contacts if r[5] == "Kim Ji-woo")
    assert kim[:5] == (
        "FY 2569, first half (Oct–Mar)",
        "Phra Nakhon Desserts",
        "BB-1",
        "Seoul",
        dt.datetime(2026, 1, 21),
    )
    assert kim[6:] == (
        "Seoul Foods Co.",
        "Business",
        "They contacted the vendor",
        "E-mail",
        "Yes",
        "Coconut rolls",
        "Session 1, FY 2569",
        "Wants a halal certificate",
    )
    assert orders[0] == (
        "Reporting period",
        "Vendor",
        "Certificate number",
        "Sister city",
        "Date",
        "Product",
        "Category",
        "Quantity",
        "Unit",
        "Value (THB)",
        "Notes",
    )
    assert len(orders) == 5
    first = orders[1]
    assert first[1:6] == (
        "Phra Nakhon Desserts",
        "BB-1",
        "Seoul",
        dt.datetime(2026, 2, 1),
        "Coconut rolls",
    )
    assert first[7:] == (10, "box", 1200, "'=1+1 ships by sea")  # no formula runs


def test_the_line_export_in_thai(lines, fao_user, client_for, export_lines):
    sheets = _sheets(export_lines(client_for(fao_user, language="th")).streaming_content)
    assert list(sheets) == ["การติดต่อ ปีงบประมาณ 2569", "คำสั่งซื้อ ปีงบประมาณ 2569"]
    contacts, orders = sheets.values()
    assert contacts[0][-1] == "หมายเหตุ" and orders[0][7:9] == ("จำนวน", "หน่วย")
    kim = next(r for r in contacts if r[5] == "Kim Ji-woo")
    assert kim[1] == "ขนมพระนคร" and kim[3] == "โซล" and kim[10] == "ใช่"


@pytest.mark.parametrize("extra", [0, 5])
def test_the_line_export_reads_a_fixed_number_of_queries(
    lines, extra, seoul, fao_user, client_for, django_assert_num_queries
):
    from outcomes.lines_export import LINES_EXPORTS

    for _n in range(extra):
        vendor = VendorFactory()
        OutcomeContactFactory(submission=submission_for(vendor, dt.date(2026, 1, 20)), city=seoul)
    job = LinesExport.objects.create(created_by=fao_user, language="en", filters={"year": 2569})
    # claim (lock, update), two counts, the first stamp, contacts, the stamp after them,
    # orders, the last stamp, the re-read, the final save, and the savepoints around the
    # claim and the save: whatever the number of lines.
    with django_assert_num_queries(13):
        assert LINES_EXPORTS.build(export_id=job.pk).status == "done"
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (6 + extra, 6 + extra)
    job.file.delete()


def test_the_product_ranking_is_kept_until_the_tallies_are_refreshed(
    lines, seoul, fao_user, client_for, django_assert_num_queries
):
    """Ranking every accepted line took seconds at 500,000 contacts (#19): the ranking is
    cached, keyed by the tallies, and a refresh of the tallies (done when a submission is
    accepted or reopened) brings in the new lines."""
    from outcomes.services import outcome_tallies_refresh

    outcome_tallies_refresh(fiscal_year=2569)
    client = client_for(fao_user)
    assert "Coconut rolls" in client.get(STATISTICS + "?year=2569").content.decode()
    vendor = VendorFactory()
    OrderLineFactory(
        submission=submission_for(vendor, dt.date(2026, 1, 20)),
        product=ProductFactory(vendor=vendor, name_en="Pandan cake"),
        city=seoul,
        value_thb=5,
    )
    # Cached: neither the count nor the page of the ranking is read again (their key comes
    # with the tallies).
    with django_assert_num_queries(9):
        stale = client.get(STATISTICS + "?year=2569").content.decode()
    assert "Pandan cake" not in stale
    outcome_tallies_refresh(fiscal_year=2569)
    assert "Pandan cake" in client.get(STATISTICS + "?year=2569").content.decode()
