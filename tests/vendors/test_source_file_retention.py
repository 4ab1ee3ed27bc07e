"""Uploaded source workbooks are kept only UPLOAD_RETENTION_DAYS; the row and its checksum
stay. An erasure (PDPA) also removes the person from the files still kept."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from outcomes.models import OutcomeUpload
from privacy.services import person_data_erase
from tests.factories import SubmissionFactory
from vendors.models import Vendor

from .workbooks import product_row, vendor_row, workbook

pytestmark = pytest.mark.django_db


def texts_of(name: str) -> str:
    with default_storage.open(name, "rb") as stream:
        book = openpyxl.load_workbook(io.BytesIO(stream.read()), read_only=True)
    return " ".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
    )


def age(rows, days: int) -> None:
    type(rows[0]).objects.filter(pk__in=[r.pk for r in rows]).update(
        created_at=timezone.now() - dt.timedelta(days=days)
    )


def test_source_files_are_deleted_after_the_retention_period(
    upload, confirm, settings, django_capture_on_commit_callbacks
):
    settings.UPLOAD_RETENTION_DAYS = 90
    done, _ = upload(workbook())
    done, _ = confirm(done)
    waiting, _ = upload(workbook([vendor_row(3)], [product_row(3)]))
    recent, _ = upload(workbook([vendor_row(4)], [product_row(4)]))
    outcome = OutcomeUpload.objects.create(
        submission=SubmissionFactory(),
        file=ContentFile(b"PK outcome form", name="outcome-form.xlsx"),
        original_name="outcome-form.xlsx",
        sha256="a" * 64,
        status=OutcomeUpload.Status.DONE,
    )
    age([done, waiting], 91)
    age([outcome], 91)
    age([recent], 89)
    stored = {row.pk: row.file.name for row in (done, waiting, recent)}
    kept_plan = waiting.plan_file.name
    assert kept_plan and default_storage.exists(kept_plan)
    outcome_file = outcome.file.name
    checksum = done.sha256

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_source_files", stdout=out)

    for row in (done, waiting, recent, outcome):
        row.refresh_from_db()
    assert not done.file and not default_storage.exists(stored[done.pk])
    assert (done.status, done.sha256, done.original_name) == ("done", checksum, "vendors.xlsx")
    assert not outcome.file and not default_storage.exists(outcome_file)
    assert outcome.sha256 == "a" * 64
    # A preview nobody confirmed in time can no longer be confirmed: its file is gone.
    assert not waiting.file and waiting.status == "failed"
    # The plan its check kept holds the same rows: it goes with the file.
    assert not waiting.plan_file and not default_storage.exists(kept_plan)
    assert waiting.last_error == "ไฟล์ที่อัปโหลดถูกลบเมื่อครบ 90 วันตามระยะเวลาการเก็บรักษา กรุณาอัปโหลดใหม่"
    assert recent.file and default_storage.exists(stored[recent.pk])
    assert out.getvalue().strip() == "3 uploaded source files older than 90 days deleted."
    # A second run finds nothing more to do.
    call_command("purge_source_files", stdout=io.StringIO())
    recent.refresh_from_db()
    assert recent.file


def test_erasure_removes_the_person_from_kept_source_files(
    upload, confirm, fao_user, django_capture_on_commit_callbacks
):
    job, _ = upload(
        workbook([vendor_row(1, owner="สมชาย ใจดี", email="somchai@example.org")], [product_row(1)])
    )
    job, _ = confirm(job)
    # A later change of e-mail: its plan (old and new value) stays in the job's report.
    second, _ = upload(
        workbook([vendor_row(1, owner="สมชาย ใจดี", email="new@example.org")], [product_row(1)])
    )
    second, _ = confirm(second)
    other, _ = upload(workbook([vendor_row(2, phone="02-999-0000")], [product_row(2)]))
    assert "สมชาย ใจดี" in texts_of(job.file.name)
    assert "somchai@example.org" in str(second.report)
    files = {row.pk: row.file.name for row in (job, second)}

    vendor = Vendor.objects.get(certificate_number="BB-0001")
    with django_capture_on_commit_callbacks(execute=True):
        report = person_data_erase(subject=vendor, reason="owner asked", acting_user=fao_user)

    for row in (job, second, other):
        row.refresh_from_db()
    for row in (job, second):
        assert not row.file and not default_storage.exists(files[row.pk])
        assert row.sha256
        for value in ("สมชาย ใจดี", "somchai@example.org", "new@example.org"):
            assert value not in str(row.report)
    assert other.file and default_storage.exists(other.file.name)
    assert report.rows_touched["vendors.vendorimportjob"]["files"] == 2
