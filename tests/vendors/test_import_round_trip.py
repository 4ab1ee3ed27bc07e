"""Every export that has a matching import reads back as is: exporting and importing the
same file changes nothing, even when the values had to be protected from Excel."""

import io
from decimal import Decimal

import pytest

from core.spreadsheets import CREATE, DELETE, UPDATE
from tests.factories import ProductFactory, SessionFactory, ShortlistEntryFactory, VendorFactory
from vendors import exports
from vendors.imports import VendorImport

pytestmark = pytest.mark.django_db

# What Excel would run as a formula (the export puts an apostrophe in front), and a value
# that really starts with an apostrophe (which must survive the round trip too).
RISKY = ["+66 81 234 5678", "=1+1", "-5", "@x", "'quoted", "'=1+1", "\u2019curly"]


@pytest.fixture
def risky_registry():
    vendors = []
    for n, value in enumerate(RISKY):
        vendor = VendorFactory(
            certificate_number=f"BB-R-{n:03d}",
            business_name_th=f"ร้าน {n}",
            business_name_en=value,
            owner_name=value,
            contact_person=value,
            phone=value,
            email=f"-shop{n}@example.org",
            line_id=value,
            export_experience=f"{value}\nsecond line",
        )
        ProductFactory(
            vendor=vendor,
            name_th=value,
            name_en=value,
            description_th=value,
            description_en=f"{value}\n=2+2",
            price_thb=Decimal("12.50"),
            unit=value,
            min_order_quantity=5,
            other_certifications=value,
        )
        vendors.append(vendor)
    # Both spellings side by side: the apostrophe one is a product of its own.
    ProductFactory(vendor=vendors[0], name_th="=1+1")
    ProductFactory(vendor=vendors[0], name_th="'=1+1")
    return vendors


def assert_changes_nothing(data: bytes, *, session=None, expected_rows: dict[str, int]):
    result = VendorImport(session=session).validate(io.BytesIO(data))
    assert [i.describe("en") for i in result.issues.errors] == []
    counts = result.plan.counts
    for entity, entity_counts in counts.items():
        assert (entity, entity_counts[CREATE], entity_counts[UPDATE], entity_counts[DELETE]) == (
            entity,
            0,
            0,
            0,
        ), [i.as_dict() for i in result.plan.items]
    assert {k: v["unchanged"] for k, v in counts.items()} == expected_rows


def test_the_registry_export_imports_back_unchanged(risky_registry):
    assert_changes_nothing(
        exports.registry_workbook(),
        expected_rows={"vendor": len(RISKY), "product": len(RISKY) + 2},
    )


def test_the_products_export_imports_back_unchanged(risky_registry):
    assert_changes_nothing(
        exports.products_workbook(), expected_rows={"vendor": 0, "product": len(RISKY) + 2}
    )


def test_the_shortlist_export_imports_back_unchanged(risky_registry):
    session = SessionFactory()
    for position, vendor in enumerate(risky_registry, start=1):
        entry = ShortlistEntryFactory(session=session, vendor=vendor, position=position)
        entry.products.set(vendor.products.all())
    entries = session.shortlist.select_related("vendor").prefetch_related("products")
    assert_changes_nothing(
        exports.shortlist_workbook(session, entries),
        session=session,
        expected_rows={
            "vendor": len(RISKY),
            "product": len(RISKY) + 2,
            "shortlist": len(RISKY),
        },
    )


def test_the_export_still_protects_risky_text(risky_registry):
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(exports.registry_workbook()))["สินค้า Products"]
    names = sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert "'=1+1" in names and "''=1+1" in names and "=1+1" not in names
    assert all(not n.startswith(("=", "+", "-", "@")) for n in names)
