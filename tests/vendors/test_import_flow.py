"""Upload → preview → confirm → one write; a second upload of the same file changes nothing."""

import html
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.spreadsheets import PlanChanged
from tests.factories import SessionFactory, ShortlistEntryFactory, VendorFactory
from vendors.imports import VendorImport
from vendors.models import Product, Vendor, VendorImportJob

from .workbooks import product_row, vendor_row, workbook

pytestmark = pytest.mark.django_db


def counts(page: str) -> dict[str, list[str]]:
    """The plan table of the page: entity -> [new, updated, unchanged, removed]."""
    import re

    rows = re.findall(
        r'<tr data-entity="(\w+)"><th[^>]*>[^<]*</th>((?:<td[^>]*>\d+</td>)+)</tr>',
        page.replace("\n", ""),
    )
    return {key: re.findall(r">(\d+)<", cells) for key, cells in rows}


def test_upload_preview_confirm(upload, confirm, sdo_user):
    job, page = upload(workbook())
    assert job.status == VendorImportJob.Status.READY
    assert counts(page) == {"vendor": ["2", "0", "0", "0"], "product": ["2", "0", "0", "0"]}
    assert 'id="confirm-import"' in page
    assert Vendor.objects.count() == 0

    job, page = confirm(job)
    assert job.status == VendorImportJob.Status.DONE
    assert "The import is complete." in page
    vendor = Vendor.objects.get(certificate_number="BB-0001")
    assert vendor.business_name_th == "ร้านขนม 1"
    assert vendor.district.name_en == "Phra Nakhon"
    assert str(vendor.certified_on) == "2024-02-01"
    assert set(vendor.languages.values_list("code", flat=True)) == {"th", "en"}
    assert vendor.is_active
    product = vendor.products.get()
    assert (product.name_th, product.category.code, str(product.price_thb)) == (
        "ทองม้วน",
        1,
        "1200.50",
    )
    assert product.is_export_ready
    history = vendor.history.get()
    assert history.history_type == "+" and history.history_user == sdo_user
    assert Product.history.filter(history_user=sdo_user).count() == 2


def test_the_same_file_again_changes_nothing(upload, confirm):
    data = workbook()
    confirm(upload(data)[0])
    stamps = list(Vendor.objects.values_list("updated_at", flat=True))
    job, page = upload(data)
    assert counts(page) == {"vendor": ["0", "0", "2", "0"], "product": ["0", "0", "2", "0"]}
    job, _ = confirm(job)
    assert job.status == VendorImportJob.Status.DONE
    assert list(Vendor.objects.values_list("updated_at", flat=True)) == stamps
    assert Vendor.history.count() == 2 and Product.history.count() == 2


def test_an_update_is_previewed_field_by_field(upload, confirm, sdo_user):
    confirm(upload(workbook())[0])
    changed = workbook(
        vendors=[vendor_row(1, owner="เจ้าของใหม่", languages="ไทย"), vendor_row(2)],
        products=[product_row(1, price=99), product_row(2, "ขนมเปี๊ยะ")],
    )
    job, page = upload(changed)
    assert counts(page) == {"vendor": ["0", "1", "1", "0"], "product": ["0", "1", "1", "0"]}
    text = html.unescape(page)
    assert "<strong>Owner</strong>: <del>เจ้าของ 1</del> → เจ้าของใหม่" in text
    assert "<strong>Languages spoken</strong>: <del>" in text
    assert "<strong>Price (THB)</strong>: <del>1,200.50</del> → 99.00" in text
    confirm(job)
    vendor = Vendor.objects.get(certificate_number="BB-0001")
    assert vendor.owner_name == "เจ้าของใหม่"
    assert list(vendor.languages.values_list("code", flat=True)) == ["th"]
    assert str(vendor.products.get().price_thb) == "99.00"
    latest = vendor.history.first()
    assert latest.history_type == "~" and latest.owner_name == "เจ้าของใหม่"
    assert latest.history_user == sdo_user


def test_certificate_numbers_match_ignoring_case_and_thai_digits(upload, confirm):
    VendorFactory(certificate_number="BB-0001", business_name_th="ร้านขนม 1")
    rows = [vendor_row(1, cert="bb-๐๐๐๑")]
    job, page = upload(workbook(vendors=rows, products=[]))
    assert counts(page)["vendor"][0] == "0"
    confirm(job)
    assert Vendor.objects.count() == 1


def test_a_column_left_out_is_left_alone(upload, confirm):
    vendor = VendorFactory(certificate_number="BB-0001", phone="02-999-9999")
    headers = [
        "Bangkok Brand certificate number",
        "Business name (Thai)",
        "Owner",
        "District office",
    ]
    job, _ = upload(
        workbook(
            vendors=[["BB-0001", "ชื่อใหม่", "เจ้าของ", "ดุสิต"]], products=[], vendor_headers=headers
        )
    )
    confirm(job)
    vendor.refresh_from_db()
    assert vendor.business_name_th == "ชื่อใหม่" and vendor.phone == "02-999-9999"


def test_the_registry_changed_after_the_preview(upload, confirm):
    job, _ = upload(workbook())
    VendorFactory(certificate_number="BB-0002", business_name_th="คนอื่นเพิ่มก่อน")
    job, page = confirm(job)
    assert job.status == VendorImportJob.Status.STALE
    assert "The registry changed after the preview, so nothing was written." in html.unescape(page)
    assert Vendor.objects.count() == 1


def test_commit_refuses_a_plan_other_than_the_preview():
    data = workbook()
    preview = VendorImport().validate(io.BytesIO(data))
    VendorFactory(certificate_number="BB-0001")
    with pytest.raises(PlanChanged):
        VendorImport().commit(
            io.BytesIO(data), acting_user=None, expected_fingerprint=preview.plan.fingerprint
        )
    assert Vendor.objects.count() == 1


def test_a_plan_written_at_once_is_not_digested_for_a_later_comparison():
    """The digest of the records a plan read lets a kept plan be confirmed without the
    file being read again; a plan written at once, under the import's lock, is never
    compared, so its three reads of every record the file names are not made."""
    data = workbook()
    checked = VendorImport().validate(io.BytesIO(data))
    assert checked.state is not None and checked.state_keys == {"BB-0001", "BB-0002"}
    result = VendorImport().commit(io.BytesIO(data), acting_user=None)
    assert result.applied
    assert result.state is None and result.state_keys is None
    assert Vendor.objects.count() == 2


# -- shortlists ---------------------------------------------------------------------


def test_shortlist_upload_replaces_the_session_shortlist(upload, confirm, fao_user):
    session = SessionFactory()
    old = ShortlistEntryFactory(session=session)
    session.shortlist_approved_by = fao_user
    session.shortlist_approved_at = session.created_at
    session.save()
    job, page = upload(workbook(), session=session)
    assert counts(page)["shortlist"] == ["2", "0", "0", "1"]
    job, _ = confirm(job)
    assert job.status == VendorImportJob.Status.DONE
    entries = list(session.shortlist.order_by("position"))
    assert [e.vendor.certificate_number for e in entries] == ["BB-0001", "BB-0002"]
    assert [list(e.products.values_list("name_th", flat=True)) for e in entries] == [
        ["ทองม้วน"],
        ["ขนมเปี๊ยะ"],
    ]
    assert not session.shortlist.filter(vendor=old.vendor).exists()
    session.refresh_from_db()
    assert session.shortlist_approved_at is None  # a changed shortlist needs a new approval

    job, page = upload(workbook(), session=session)
    assert counts(page)["shortlist"] == ["0", "0", "2", "0"]


def test_shortlist_refuses_an_inactive_vendor(upload):
    VendorFactory(certificate_number="BB-0001", is_active=False)
    job, page = upload(
        workbook(vendors=[vendor_row(1, active="ไม่ใช่")], products=[]), session=SessionFactory()
    )
    assert "This vendor is marked inactive and cannot be shortlisted." in html.unescape(page)
    assert job.status == VendorImportJob.Status.INVALID


def test_shortlist_over_the_planned_number_is_a_note(upload):
    session = SessionFactory()
    job, page = upload(
        workbook(vendors=[vendor_row(n) for n in range(1, 6)], products=[]), session=session
    )
    assert job.status == VendorImportJob.Status.READY
    assert "The file lists 5 vendors; the session is planned for 3." in html.unescape(page)


# -- the management command -------------------------------------------------------------


def test_command_dry_run_prints_the_plan_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "vendors.xlsx"
    path.write_bytes(workbook())
    call_command("import_vendors", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "vendors: 2 new" in out and "products: 2 new" in out
    assert "Dry run: nothing was written." in out
    assert Vendor.objects.count() == 0


def test_command_imports_and_reports_errors(tmp_path, capsys, sdo_user):
    path = tmp_path / "vendors.xlsx"
    path.write_bytes(workbook())
    call_command("import_vendors", str(path), "--user", "sdo")
    assert Vendor.objects.count() == 2
    assert Vendor.history.filter(history_user=sdo_user).count() == 2
    path.write_bytes(workbook(vendors=[vendor_row(3, district="Atlantis")], products=[]))
    with pytest.raises(CommandError, match=r"1 problem\(s\): nothing was imported."):
        call_command("import_vendors", str(path))
    out = capsys.readouterr().out
    assert "ผู้ประกอบการ Vendors, row 2, E (District office) [Atlantis]: “Atlantis” is not one" in out


def test_command_shortlist_and_thai_report(tmp_path, capsys):
    session = SessionFactory()
    path = tmp_path / "shortlist.xlsx"
    path.write_bytes(workbook())
    call_command("import_vendors", str(path), "--shortlist", str(session.pk), "--language", "th")
    out = capsys.readouterr().out
    assert "รายชื่อที่คัดเลือก: 2 ใหม่" in out
    assert session.shortlist.count() == 2


def test_command_unknown_session():
    with pytest.raises(CommandError, match=r"No session has the id 999999\."):
        call_command("import_vendors", "x.xlsx", "--shortlist", "999999")


def test_a_failing_write_leaves_nothing_and_the_job_retryable(upload, monkeypatch, sdo_user):
    from vendors import services

    job, _ = upload(workbook())
    VendorImportJob.objects.filter(pk=job.pk).update(
        status=VendorImportJob.Status.QUEUED, confirmed_by=sdo_user
    )

    def broken_apply(self, plan, *, acting_user):
        Vendor.objects.create(
            certificate_number="HALF", business_name_th="ครึ่งเดียว", owner_name="x", district_id=1
        )
        raise RuntimeError("database went away")

    monkeypatch.setattr(VendorImport, "apply", broken_apply)
    with pytest.raises(RuntimeError):
        services.vendor_import_apply(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == VendorImportJob.Status.QUEUED  # the task's retry can run it again
    assert job.last_error == "RuntimeError('database went away')"
    assert not Vendor.objects.filter(certificate_number="HALF").exists()

    services.vendor_import_failed(job_id=job.pk, error="gave up after 3 retries")
    job.refresh_from_db()
    assert job.status == VendorImportJob.Status.FAILED
    assert job.last_error == "gave up after 3 retries"


def test_command_stops_on_an_extra_column_unless_told_to_ignore_it(tmp_path, capsys):
    from .workbooks import VENDOR_HEADERS

    path = tmp_path / "vendors.xlsx"
    data = workbook(
        vendors=[[*vendor_row(1), "x"]], products=[], vendor_headers=[*VENDOR_HEADERS, "Remarks"]
    )
    path.write_bytes(data)
    with pytest.raises(CommandError, match=r"1 problem\(s\): nothing was imported."):
        call_command("import_vendors", str(path), "--dry-run")
    assert "The column “Remarks” is not in the template." in capsys.readouterr().out
    call_command("import_vendors", str(path), "--ignore-extra-columns")
    assert "The column “Remarks” is not known and was ignored." in capsys.readouterr().out
    assert Vendor.objects.count() == 1


# -- the confirmation writes the plan of the check (#19) ---------------------------------


def test_the_confirmation_writes_the_plan_of_the_check(upload, confirm, monkeypatch):
    job, _ = upload(workbook())
    assert job.plan_file

    def read_again(*args, **kwargs):
        raise AssertionError("the confirmation read the file again")

    monkeypatch.setattr(VendorImport, "validate", read_again)
    job, page = confirm(job)
    assert job.status == VendorImportJob.Status.DONE
    assert "The import is complete." in page
    assert Vendor.objects.count() == 2 and Product.objects.count() == 2
    assert not job.plan_file  # the kept plan names people: gone once written


def test_a_vendor_edited_after_the_preview_stops_the_kept_plan(upload, confirm):
    vendor = VendorFactory(certificate_number="BB-0001", business_name_th="ร้านขนม 1")
    job, _ = upload(workbook(vendors=[vendor_row(1, owner="เจ้าของใหม่")], products=[]))
    vendor.owner_name = "เจ้าของใหม่"  # someone else made the same change meanwhile
    vendor.save()
    job, _ = confirm(job)
    assert job.status == VendorImportJob.Status.STALE
    assert not job.plan_file


def test_a_kept_plan_of_another_file_is_not_written(upload, confirm):
    job, _ = upload(workbook())
    with job.file.open("wb") as stream:  # the stored file is no longer the one checked
        stream.write(workbook(vendors=[vendor_row(1)], products=[]))
    job, _ = confirm(job)
    assert job.status == VendorImportJob.Status.STALE
    assert Vendor.objects.count() == 0


def test_a_kept_plan_is_loaded_only_with_its_signature_intact(upload):
    from core.spreadsheets import lifecycle

    job, _ = upload(workbook())
    kept = lifecycle.kept_plan(job)
    assert kept is not None and kept.plan.counts["vendor"]["create"] == 2
    with job.plan_file.open("rb") as stream:
        raw = stream.read()
    with job.plan_file.open("wb") as stream:  # one byte of the pickle changed
        stream.write(raw[:-1] + bytes([raw[-1] ^ 1]))
    assert lifecycle.kept_plan(job) is None
