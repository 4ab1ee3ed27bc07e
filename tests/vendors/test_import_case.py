"""Product names are matched the way the database's unique index compares them
(lower() under the database's collation), in every script, so a preview never promises a
new product the write then cannot insert; and a write the database refuses ends the job
as failed, with a message, instead of leaving it waiting."""

import io

import pytest
from django.db import IntegrityError, connection
from django.utils import translation

from core.spreadsheets import CREATE, UNCHANGED, UPDATE, Issue
from core.spreadsheets.bulk import db_lower
from tests.factories import ProductFactory, VendorFactory
from vendors.imports import VendorImport
from vendors.models import Product, Vendor, VendorImportJob

from .workbooks import product_row, workbook

pytestmark = pytest.mark.django_db(transaction=False)

PAIRS = [
    ("οδοσ", "ΟΔΟΣ"),  # Greek: Python's lower() gives a final ς, PostgreSQL's does not
    ("ΟΔΟΣ", "οδος"),
    ("straße", "STRASSE"),  # German: lower() leaves ß alone, casefold() does not
    ("istanbul", "İSTANBUL"),  # Turkish dotted capital I
    ("ขนม", "ขนม"),
]


def same_for_the_database(a: str, b: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT lower(%s) = lower(%s)", [a, b])
        return bool(cursor.fetchone()[0])


def test_db_lower_is_what_the_database_computes():
    names = [name for pair in PAIRS for name in pair]
    lowered = db_lower(names)
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute("SELECT lower(%s)", [name])
            assert lowered[name] == cursor.fetchone()[0]


@pytest.mark.parametrize(("stored", "typed"), PAIRS)
def test_a_name_differing_only_by_case_is_matched_as_the_database_matches_it(stored, typed):
    vendor = VendorFactory(certificate_number="BB-0001")
    ProductFactory(vendor=vendor, name_th=stored, name_en="Coconut rolls")
    data = workbook(vendors=[], products=[product_row(1, typed)])
    result = VendorImport().validate(io.BytesIO(data))
    assert result.ok, [i.describe("en") for i in result.issues]
    counts = result.plan.counts["product"]
    if same_for_the_database(stored, typed):
        assert counts[CREATE] == 0 and counts[UPDATE] + counts[UNCHANGED] == 1
    else:
        assert counts[CREATE] == 1
    # and the write agrees with the preview
    VendorImport().commit(io.BytesIO(data), acting_user=None)
    assert Product.objects.filter(vendor=vendor).count() == 1 + counts[CREATE]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's lower()")
def test_on_postgresql_greek_and_turkish_capitals_are_the_stored_product():
    vendor = VendorFactory(certificate_number="BB-0001")
    ProductFactory(vendor=vendor, name_th="οδοσ")
    ProductFactory(vendor=vendor, name_th="istanbul")
    data = workbook(vendors=[], products=[product_row(1, "ΟΔΟΣ"), product_row(1, "İSTANBUL")])
    result = VendorImport().validate(io.BytesIO(data))
    assert result.plan.counts["product"][CREATE] == 0


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_two_rows_the_database_takes_for_one_name_are_a_duplicate(first, second):
    VendorFactory(certificate_number="BB-0001")
    data = workbook(vendors=[], products=[product_row(1, first), product_row(1, second)])
    result = VendorImport().validate(io.BytesIO(data))
    duplicate = [i for i in result.issues.errors if i.code == "duplicate_row"]
    if same_for_the_database(first, second):
        assert [(i.row, i.column) for i in duplicate] == [(3, "B")]
    else:
        assert result.ok, [i.describe("en") for i in result.issues]
        VendorImport().commit(io.BytesIO(data), acting_user=None)
        assert Product.objects.count() == 2


def test_a_write_the_database_refuses_fails_the_job_with_a_message(upload, monkeypatch, sdo_user):
    from vendors import services

    job, _ = upload(workbook())
    VendorImportJob.objects.filter(pk=job.pk).update(
        status=VendorImportJob.Status.QUEUED, confirmed_by=sdo_user
    )

    def refused(self, plan, *, acting_user):
        raise IntegrityError('duplicate key value violates unique constraint "x"')

    monkeypatch.setattr(VendorImport, "apply", refused)
    services.vendor_import_apply(job_id=job.pk)  # no exception: nothing to retry
    job.refresh_from_db()
    assert job.status == VendorImportJob.Status.FAILED
    assert job.finished_at is not None
    assert job.last_error == 'duplicate key value violates unique constraint "x"'
    [issue] = [Issue.from_dict(i) for i in job.report["issues"]]
    with translation.override("en"):
        assert issue.message == (
            "The database refused the write, so nothing was imported: "
            'duplicate key value violates unique constraint "x"'
        )
    with translation.override("th"):
        assert issue.message == (
            "ฐานข้อมูลไม่ยอมรับการบันทึก จึงไม่มีข้อมูลใดถูกนำเข้า: "
            'duplicate key value violates unique constraint "x"'
        )


def test_the_command_reports_a_refused_write_without_a_traceback(tmp_path, monkeypatch):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    def refused(self, plan, *, acting_user):
        raise IntegrityError('duplicate key value violates unique constraint "x"')

    monkeypatch.setattr(VendorImport, "apply", refused)
    path = tmp_path / "vendors.xlsx"
    path.write_bytes(workbook())
    with pytest.raises(CommandError, match=r"1 problem\(s\): nothing was imported\."):
        call_command("import_vendors", str(path))


@pytest.mark.parametrize("where", ["products", "vendors"])
def test_a_record_saved_between_the_plan_and_the_write_is_a_refusal_with_a_message(
    monkeypatch, where
):
    """The plan is made under the import's lock, but an officer's save in the admin does
    not take it: a product or vendor added after the plan read the registry meets the
    database's unique index in the write itself (PostgreSQL: inside COPY). That is the
    user's message, and nothing of the file is written."""
    if where == "products":
        vendor = VendorFactory(certificate_number="BB-0001")
        data = workbook(vendors=[], products=[product_row(1, "ขนมทองม้วน")])
    else:
        data = workbook(products=[])  # two new vendors, BB-0001 and BB-0002
    planned = VendorImport.make_plan

    def plan_then_someone_saves(self, workbook_, issues, plan):
        planned(self, workbook_, issues, plan)
        if where == "products":
            ProductFactory(vendor=vendor, name_th="ขนมทองม้วน")
        else:
            VendorFactory(certificate_number="BB-0002")

    monkeypatch.setattr(VendorImport, "make_plan", plan_then_someone_saves)
    result = VendorImport().commit(io.BytesIO(data), acting_user=None)
    assert not result.applied
    assert result.refused  # the database's own words, kept for the job's last error
    [issue] = [i for i in result.issues if i.code == "write_refused"]
    with translation.override("en"):
        assert issue.message.startswith("The database refused the write, so nothing was imported: ")
    with translation.override("th"):
        assert issue.message.startswith("ฐานข้อมูลไม่ยอมรับการบันทึก จึงไม่มีข้อมูลใดถูกนำเข้า: ")
    # the whole transaction rolled back, the other save with it
    assert Product.objects.count() == 0
    assert Vendor.objects.count() == (1 if where == "products" else 0)
