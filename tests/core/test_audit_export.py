"""The audit trail's export, written by the worker with a progress bar (#16, item 4)."""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core import audit_export
from core.audit import save_audited
from core.audit_export import AUDIT_EXPORTS
from core.models import AuditExport
from core.retention import source_files_erase, source_files_purge
from core.roles import Role
from core.tasks import build_audit_export
from vendors.models import Vendor

from ..factories import VendorFactory

pytestmark = pytest.mark.django_db
Status = AuditExport.Status


def rename(vendor, name, user):
    vendor.business_name_en = name
    save_audited(vendor, acting_user=user, reason="typo")


def request_export(client, params, capture):
    with capture(execute=True):
        response = client.post(reverse("core:audit-export"), params)
    assert response.status_code == 302
    job = AuditExport.objects.get()
    assert response["Location"] == reverse("core:audit-export-detail", kwargs={"pk": job.pk})
    job.refresh_from_db()
    return job


def workbook_rows(job):
    with job.file.open("rb") as stream:
        return list(load_workbook(io.BytesIO(stream.read())).active.iter_rows(values_only=True))


@pytest.mark.parametrize(
    ("language", "header", "when", "field", "label"),
    [
        (
            "en",
            "When (Bangkok time)",
            "24/11/2026 03:30",
            "business name (English)",
            "'=HYPERLINK",
        ),
        # A Thai reader reads the record's Thai name.
        ("th", "เมื่อ (เวลากรุงเทพฯ)", "24/11/2569 03:30", "ชื่อกิจการ (ภาษาอังกฤษ)", "ร้านเดิม"),
    ],
)
def test_the_worker_writes_the_export_with_the_page_s_filters_in_the_reader_s_language(
    client_for,
    fao_user,
    sdo_user,
    django_capture_on_commit_callbacks,
    language,
    header,
    when,
    field,
    label,
):
    vendor = VendorFactory(business_name_en="Plain", business_name_th="ร้านเดิม")
    rename(vendor, '=HYPERLINK("http://evil.example","x")', sdo_user)
    created, changed = Vendor.history.model.objects.filter(id=vendor.pk).order_by("history_id")
    for row, minute in ((created, 0), (changed, 30)):
        Vendor.history.model.objects.filter(pk=row.pk).update(
            history_date=dt.datetime(2026, 11, 23, 20, minute, tzinfo=dt.UTC)
        )
    job = request_export(
        client_for(fao_user, language), {"action": "~"}, django_capture_on_commit_callbacks
    )
    assert job.status == Status.DONE
    assert (job.language, job.filters, job.attempts) == (language, {"action": "~"}, 1)
    assert (job.progress_done, job.progress_total, job.percent) == (1, 1, 100)
    rows = workbook_rows(job)
    assert rows[0][0] == header
    assert len(rows) == 2
    assert rows[1][0] == when
    assert rows[1][1] == sdo_user.get_full_name()
    assert rows[1][5].startswith(label)
    assert rows[1][6] == f'{field}: Plain → =HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize(
    ("language", "status", "progress"),
    [
        ("en", "Being written", "120 of 500 rows written"),
        ("th", "กำลังเขียน", "เขียนแล้ว 120 จาก 500 แถว"),
    ],
)
def test_the_progress_page_refreshes_itself_and_is_announced(
    client_for, fao_user, language, status, progress
):
    job = AuditExport.objects.create(
        created_by=fao_user, status=Status.RUNNING, progress_done=120, progress_total=500
    )
    response = client_for(fao_user, language).get(
        reverse("core:audit-export-detail", kwargs={"pk": job.pk})
    )
    text = response.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in text
    assert 'aria-valuenow="24"' in text
    assert 'role="status" aria-live="polite"' in text
    assert status in text and progress in text
    assert "export-download" not in text


def test_a_finished_export_stops_refreshing_and_offers_its_file(client_for, fao_user):
    job = AuditExport.objects.create(
        created_by=fao_user, status=Status.DONE, progress_done=3, progress_total=3
    )
    job.file.save("audit.xlsx", ContentFile(b"PK data"), save=True)
    client = client_for(fao_user)
    text = client.get(reverse("core:audit-export-detail", kwargs={"pk": job.pk})).content.decode()
    assert "http-equiv" not in text
    assert "3 rows" in text
    download = client.get(reverse("core:audit-export-download", kwargs={"pk": job.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"PK data"
    assert 'filename="bbportal-audit-trail.xlsx"' in download["Content-Disposition"]
    job.file.delete()


def test_only_the_officer_who_asked_downloads_the_export(client_for, fao_user, make_user):
    job = AuditExport.objects.create(created_by=fao_user, status=Status.DONE)
    job.file.save("audit.xlsx", ContentFile(b"PK data"), save=True)
    url = reverse("core:audit-export-download", kwargs={"pk": job.pk})
    other_fao = make_user(Role.FAO, username="fao2")
    assert client_for(other_fao).get(url).status_code == 404
    assert (
        client_for(other_fao)
        .get(reverse("core:audit-export-detail", kwargs={"pk": job.pk}))
        .status_code
        == 404
    )
    assert client_for(make_user(Role.SDO)).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    job.file.delete()


def test_an_unfinished_export_has_nothing_to_download(client_for, fao_user):
    job = AuditExport.objects.create(created_by=fao_user, status=Status.RUNNING)
    url = reverse("core:audit-export-download", kwargs={"pk": job.pk})
    assert client_for(fao_user).get(url).status_code == 404


def test_a_failure_is_retried_under_the_policy_then_shown(monkeypatch, fao_user):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(audit_export, "write_export_into", broken)
    job = AuditExport.objects.create(created_by=fao_user)
    first = AUDIT_EXPORTS.build(export_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.last_error) == (Status.QUEUED, 1, "OSError('disk full')")
    assert first.retry_in is not None and 15 <= first.retry_in <= 30
    AUDIT_EXPORTS.build(export_id=job.pk)
    last = AUDIT_EXPORTS.build(export_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts, last.retry_in) == (Status.FAILED, 3, None)
    # A failed export is not tried again, even if announced once more.
    assert AUDIT_EXPORTS.build(export_id=job.pk).status == "skipped"


def test_the_failure_is_shown_in_both_languages(client_for, fao_user):
    job = AuditExport.objects.create(
        created_by=fao_user, status=Status.FAILED, last_error="OSError('disk full')"
    )
    url = reverse("core:audit-export-detail", kwargs={"pk": job.pk})
    english = client_for(fao_user).get(url).content.decode()
    assert "The export failed. Go back to the audit trail and export again." in english
    thai = client_for(fao_user, "th").get(url).content.decode()
    assert "ส่งออกไม่สำเร็จ กลับไปที่ประวัติการแก้ไขข้อมูลแล้วส่งออกอีกครั้ง" in thai


def test_a_running_export_is_not_started_twice(fao_user):
    job = AuditExport.objects.create(created_by=fao_user, status=Status.RUNNING, attempts=1)
    assert AUDIT_EXPORTS.build(export_id=job.pk).status == "skipped"
    job.refresh_from_db()
    assert job.attempts == 1


def test_the_sweeper_announces_exports_a_broker_outage_left_waiting(fao_user):
    now = timezone.now()
    waiting = AuditExport.objects.create(created_by=fao_user)
    fresh = AuditExport.objects.create(created_by=fao_user)
    dead = AuditExport.objects.create(created_by=fao_user, status=Status.RUNNING)
    alive = AuditExport.objects.create(created_by=fao_user, status=Status.RUNNING)
    AuditExport.objects.create(created_by=fao_user, status=Status.DONE)
    AuditExport.objects.filter(pk=waiting.pk).update(updated_at=now - dt.timedelta(minutes=3))
    AuditExport.objects.filter(pk=dead.pk).update(updated_at=now - dt.timedelta(minutes=11))
    AuditExport.objects.filter(pk__in=[fresh.pk, alive.pk]).update(updated_at=now)
    pending = AUDIT_EXPORTS.pending(now=now)
    assert sorted(args for _task, args in pending) == [(waiting.pk,), (dead.pk,)]
    assert {task for task, _args in pending} == {build_audit_export}


def test_an_old_export_file_is_deleted_like_an_upload(
    settings, fao_user, django_capture_on_commit_callbacks
):
    job = AuditExport.objects.create(created_by=fao_user, status=Status.DONE)
    job.file.save("audit.xlsx", ContentFile(b"PK"), save=True)
    name = job.file.name
    AuditExport.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - dt.timedelta(days=settings.UPLOAD_RETENTION_DAYS + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert source_files_purge() == 1
    job.refresh_from_db()
    assert job.file.name == "" and job.status == Status.DONE
    assert not job.file.storage.exists(name)


def test_an_erasure_deletes_an_export_naming_the_person(
    client_for, fao_user, sdo_user, django_capture_on_commit_callbacks
):
    vendor = VendorFactory(owner_name="Somchai Jaidee")
    vendor.owner_name = "Somchai Jaidee-Srisuk"
    save_audited(vendor, acting_user=sdo_user)
    job = request_export(client_for(fao_user), {}, django_capture_on_commit_callbacks)
    name = job.file.name
    with django_capture_on_commit_callbacks(execute=True):
        touched = source_files_erase(needles={"Somchai Jaidee"}, scrub_text=lambda t: t)
    assert touched["core.auditexport"]["files"] == 1
    job.refresh_from_db()
    assert job.file.name == ""
    assert not job.file.storage.exists(name)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_writes_the_export_through_redis(celery_worker_process, fao_user, sdo_user):
    from core.audit_export import audit_export_request

    from ..worker import wait_until

    rename(VendorFactory(business_name_en="Plain"), "Renamed", sdo_user)
    job, dispatch = audit_export_request(
        filters={"action": "~"}, language="en", acting_user=fao_user
    )
    assert dispatch.published is True
    done = wait_until(
        lambda: AuditExport.objects.filter(pk=job.pk, status=Status.DONE).first(), timeout=60
    )
    assert done is not None, celery_worker_process.log()[-3000:]
    assert (done.progress_done, done.progress_total) == (1, 1)
    assert workbook_rows(done)[1][6] == "business name (English): Plain → Renamed"
    done.file.delete()
