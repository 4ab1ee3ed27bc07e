"""A large import goes through Redis to a real Celery worker process: check, then write."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vendors.models import Product, Vendor, VendorImportJob
from vendors.services import vendor_import_confirm, vendor_import_upload

from ..worker import wait_until
from .workbooks import product_row, vendor_row, workbook


@pytest.mark.worker
def test_a_real_worker_checks_and_imports_a_workbook(celery_worker_process, sdo_user):
    vendors = [vendor_row(n) for n in range(1, 301)]
    products = [product_row(n, f"สินค้า {n}") for n in range(1, 301)]
    data = workbook(vendors=vendors, products=products)
    job, _dispatch = vendor_import_upload(
        upload=SimpleUploadedFile("big.xlsx", data), acting_user=sdo_user
    )

    def status_is(status):
        return lambda: VendorImportJob.objects.filter(pk=job.pk, status=status).first()

    ready = wait_until(status_is(VendorImportJob.Status.READY), timeout=90)
    assert ready is not None, celery_worker_process.log()[-3000:]
    assert ready.progress_done == ready.progress_total == 600
    assert ready.attempts == 1
    assert Vendor.objects.count() == 0  # checked, not written

    vendor_import_confirm(job=ready, acting_user=sdo_user)
    done = wait_until(status_is(VendorImportJob.Status.DONE), timeout=90)
    assert done is not None, celery_worker_process.log()[-3000:]
    assert Vendor.objects.count() == 300 and Product.objects.count() == 300
    assert Vendor.history.filter(history_user=sdo_user).count() == 300
    assert done.report["plan"]["counts"]["vendor"]["create"] == 300


@pytest.mark.django_db
def test_jobs_not_taken_up_are_announced_again_by_the_sweeper(sdo_user):
    """The broker was down when the jobs were announced: core.queue's sweeper tries again."""
    import datetime as dt

    from django.utils import timezone

    from vendors.services import vendor_import_jobs_pending
    from vendors.tasks import apply_vendor_import, check_vendor_import

    def job(status, attempts):
        return VendorImportJob.objects.create(
            original_name="w.xlsx",
            file="imports/vendors/w.xlsx",
            created_by=sdo_user,
            status=status,
            attempts=attempts,
        )

    never_checked = job(VendorImportJob.Status.CHECKING, 0)
    being_checked = job(VendorImportJob.Status.CHECKING, 1)
    confirmed = job(VendorImportJob.Status.QUEUED, 1)
    finished = job(VendorImportJob.Status.DONE, 2)
    just_uploaded = job(VendorImportJob.Status.CHECKING, 0)
    VendorImportJob.objects.exclude(pk=just_uploaded.pk).update(
        updated_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert {finished.pk, being_checked.pk}.isdisjoint(a[0] for _, a in vendor_import_jobs_pending())
    assert sorted(vendor_import_jobs_pending(), key=lambda p: p[1]) == [
        (check_vendor_import, (never_checked.pk,)),
        (apply_vendor_import, (confirmed.pk,)),
    ]


@pytest.mark.django_db
def test_a_job_whose_worker_fell_silent_is_reclaimed_within_minutes(sdo_user, settings):
    """A worker killed mid-check or mid-import leaves the job CHECKING or IMPORTING; once
    its heartbeat is WORK_STALL_SECONDS old, the sweeper announces it again instead of
    waiting an hour for Redis's visibility timeout."""
    import datetime as dt

    from django.utils import timezone

    from vendors.services import vendor_import_jobs_pending
    from vendors.tasks import apply_vendor_import, check_vendor_import

    now = timezone.now()
    silent = now - dt.timedelta(seconds=settings.WORK_STALL_SECONDS + 1)

    def job(status, heartbeat_at):
        return VendorImportJob.objects.create(
            original_name="w.xlsx",
            file="imports/vendors/w.xlsx",
            created_by=sdo_user,
            status=status,
            attempts=1,
            heartbeat_at=heartbeat_at,
        )

    died_checking = job(VendorImportJob.Status.CHECKING, silent)
    died_importing = job(VendorImportJob.Status.IMPORTING, silent)
    job(VendorImportJob.Status.CHECKING, now - dt.timedelta(seconds=10))  # alive
    assert sorted(vendor_import_jobs_pending(), key=lambda p: p[1]) == [
        (check_vendor_import, (died_checking.pk,)),
        (apply_vendor_import, (died_importing.pk,)),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "th"])
def test_a_check_whose_worker_fell_silent_says_so(language, sdo_user, client_for, settings):
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    stalled = {
        "en": "The worker checking this file has given no sign of life for a few minutes; it "
        "may have stopped. The check will be started again automatically.",
        "th": "ตัวประมวลผลที่กำลังตรวจไฟล์นี้ไม่แสดงความเคลื่อนไหวมาหลายนาทีแล้ว อาจหยุดทำงานไป "
        "ระบบจะเริ่มตรวจไฟล์นี้ใหม่ให้โดยอัตโนมัติ",
    }
    job = VendorImportJob.objects.create(
        original_name="w.xlsx",
        file="imports/vendors/w.xlsx",
        created_by=sdo_user,
        status=VendorImportJob.Status.CHECKING,
        attempts=1,
        heartbeat_at=timezone.now(),
    )
    client = client_for(sdo_user, language=language)
    page = reverse("vendors:import-detail", args=[job.pk])
    assert stalled[language] not in client.get(page).content.decode()
    VendorImportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=settings.WORK_STALL_SECONDS + 5)
    )
    assert stalled[language] in client.get(page).content.decode()
    assert client.get(reverse("vendors:import-status", args=[job.pk])).json()["stalled"] is True
