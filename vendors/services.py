"""Writes of the vendor app: the import of a vendor workbook, step by step.

upload → (task) check and plan → preview → confirm → (task) write in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import delete_audited, save_audited
from core.heartbeat import beating, stall_cutoff
from core.languages import TRANSLATED_LANGUAGES
from core.queue import Dispatch, enqueue_on_commit
from core.spreadsheets import ImportResult, PlanChanged, lifecycle
from meetings.models import Session
from meetings.services.shortlists import check_session_open

from .imports import VendorImport
from .models import Language, Product, ProductPhoto, ProductTranslation, Vendor, VendorImportJob

if TYPE_CHECKING:
    from celery import Task


@transaction.atomic
def vendor_import_upload(
    *,
    upload: UploadedFile,
    session: Session | None = None,
    ignore_extra_columns: bool = False,
    acting_user: User | None,
) -> tuple[VendorImportJob, Dispatch]:
    """Keep the uploaded workbook and queue its check; nothing is imported yet."""
    from .tasks import check_vendor_import

    if session is not None:
        check_session_open(session)
    job = VendorImportJob(
        kind=VendorImportJob.Kind.SHORTLIST if session else VendorImportJob.Kind.REGISTRY,
        session=session,
        created_by=acting_user,
    )
    lifecycle.record_file(
        job, upload, default_name="workbook.xlsx", ignore_extra_columns=ignore_extra_columns
    )
    job.save()
    return job, enqueue_on_commit(check_vendor_import, job.pk)


def vendor_import_jobs_pending() -> list[tuple]:
    """Jobs recorded but not taken up after a while (the broker was down when they were
    announced): announce them again (core.queue). A check never claimed has no attempts;
    a confirmed job waits QUEUED until a worker claims it. Both tasks claim the job under
    its row lock, so an announcement made twice does the work once."""
    from .tasks import apply_vendor_import, check_vendor_import

    now = timezone.now()
    recent = VendorImportJob.objects.filter(created_at__gt=now - dt.timedelta(days=2))
    stale = recent.filter(
        Q(status=VendorImportJob.Status.CHECKING, attempts=0)
        | Q(status=VendorImportJob.Status.QUEUED),
        updated_at__lt=now - dt.timedelta(minutes=2),
    ).values_list("pk", "status")
    # A check whose worker stopped stamping it: the worker died mid-check.
    died_checking = recent.filter(
        status=VendorImportJob.Status.CHECKING, attempts__gt=0, heartbeat_at__lt=stall_cutoff(now)
    ).values_list("pk", "status")
    # An import holds the job's row lock for its whole write, so it cannot stamp the row;
    # a job IMPORTING whose row nobody holds has lost its worker (skip_locked tells).
    with transaction.atomic():
        died_importing = list(
            recent.select_for_update(skip_locked=True)
            .filter(status=VendorImportJob.Status.IMPORTING, heartbeat_at__lt=stall_cutoff(now))
            .values_list("pk", "status")
        )
    # Keyed by the status string values_list gives back.
    task: dict[str, Task[Any, Any]] = {
        VendorImportJob.Status.CHECKING: check_vendor_import,
        VendorImportJob.Status.QUEUED: apply_vendor_import,
        VendorImportJob.Status.IMPORTING: apply_vendor_import,
    }
    return [(task[status], (pk,)) for pk, status in [*stale, *died_checking, *died_importing]]


def _importer(job: VendorImportJob) -> VendorImport:
    return VendorImport(session=job.session)


def vendor_import_check(*, job_id: int) -> VendorImportJob | None:
    """Run by the worker: read and validate the whole file, store the preview."""
    checking = VendorImportJob.Status.CHECKING
    job = lifecycle.claim(VendorImportJob, job_id, {checking})
    if job is None:
        return None
    with beating(lifecycle.stamp(VendorImportJob, job.pk, checking)):
        result = lifecycle.check(
            job,
            _importer(job),
            progress=lifecycle.progress_reporter(VendorImportJob, job.pk, checking),
        )
    _store_result(
        job, result, VendorImportJob.Status.READY if result.ok else VendorImportJob.Status.INVALID
    )
    return job


def _store_result(job: VendorImportJob, result: ImportResult, status: str) -> None:
    fields = lifecycle.store_result(job, result, status)
    job.progress_done = job.progress_total = result.row_count
    job.last_error = ""
    fields += ["progress_done", "progress_total", "last_error", "updated_at"]
    if status in (
        VendorImportJob.Status.DONE,
        VendorImportJob.Status.INVALID,
        VendorImportJob.Status.STALE,
    ):
        job.finished_at = timezone.now()
        fields.append("finished_at")
    job.save(update_fields=fields)


@transaction.atomic
def vendor_import_confirm(
    *, job: VendorImportJob, acting_user: User
) -> tuple[VendorImportJob, Dispatch]:
    """The user saw the preview and wants it written."""
    from .tasks import apply_vendor_import

    job = VendorImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != VendorImportJob.Status.READY:
        raise ValidationError(_("This import is not waiting for a confirmation."), code="not_ready")
    job.status = VendorImportJob.Status.QUEUED
    job.confirmed_by = acting_user
    job.progress_done = 0
    job.save(update_fields=["status", "confirmed_by", "progress_done", "updated_at"])
    return job, enqueue_on_commit(apply_vendor_import, job.pk)


def vendor_import_apply(*, job_id: int) -> VendorImportJob | None:
    """Run by the worker: write the plan the check kept (or, if the records it read have
    changed since, the file checked again) in one transaction.

    The records and the job's final state are committed together, so a job still
    IMPORTING has written nothing: its worker died in the middle (the task is then
    delivered again, acknowledged late) or is writing now. The task takes it on again in
    both cases; holding the job's row lock for the whole write, a run that comes second
    waits for the first to end and then finds the job finished.
    """
    not_written = {VendorImportJob.Status.QUEUED, VendorImportJob.Status.IMPORTING}
    if (
        lifecycle.claim(VendorImportJob, job_id, not_written, VendorImportJob.Status.IMPORTING)
        is None
    ):
        return None
    try:
        with transaction.atomic():
            job = VendorImportJob.objects.select_for_update().filter(pk=job_id).first()
            if job is None or job.status != VendorImportJob.Status.IMPORTING:
                return None  # another run of the task finished it meanwhile
            result = lifecycle.confirm(
                job,
                _importer(job),
                acting_user=job.confirmed_by,
                progress=lifecycle.progress_reporter(
                    VendorImportJob, job.pk, VendorImportJob.Status.IMPORTING
                ),
            )
            if result.refused:
                _store_result(job, result, VendorImportJob.Status.FAILED)
                job.last_error = result.refused
                job.finished_at = timezone.now()
                job.save(update_fields=["last_error", "finished_at", "updated_at"])
            else:
                _store_result(
                    job,
                    result,
                    VendorImportJob.Status.DONE
                    if result.applied
                    else VendorImportJob.Status.INVALID,
                )
    except PlanChanged:
        assert job is not None  # raised by lifecycle.confirm, past the None check
        _store_result(job, lifecycle.recheck(job, _importer(job)), VendorImportJob.Status.STALE)
        return job
    except ValidationError as exc:  # a rule of the shortlist, e.g. the session was held
        assert job is not None  # raised by lifecycle.confirm, past the None check
        job.status = VendorImportJob.Status.FAILED
        job.last_error = "; ".join(exc.messages)
        job.finished_at = timezone.now()
        lifecycle.forget_plan(job)
        job.save(update_fields=["status", "last_error", "finished_at", "plan_file", "updated_at"])
        return job
    except Exception as exc:
        # Nothing was written (one transaction); give the job back for the task's retry.
        VendorImportJob.objects.filter(pk=job_id, status=VendorImportJob.Status.IMPORTING).update(
            status=VendorImportJob.Status.QUEUED, last_error=repr(exc)[:2000]
        )
        raise
    return job


def vendor_import_failed(*, job_id: int, error: str) -> None:
    """The task gave up after its retries: say so on the page instead of spinning."""
    VendorImportJob.objects.filter(
        pk=job_id,
        status__in=[
            VendorImportJob.Status.CHECKING,
            VendorImportJob.Status.IMPORTING,
            VendorImportJob.Status.QUEUED,
        ],
    ).update(
        status=VendorImportJob.Status.FAILED,
        last_error=error[:2000],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


# -- the registry, edited in the portal ----------------------------------------------------
# SDO keeps the registry (FAO may too); every change is kept with who made it, and the
# admin stays for FAO's exceptional corrections.


def _check_vendor(vendor: Vendor) -> None:
    if (
        vendor.certified_on
        and vendor.certificate_expires_on
        and vendor.certificate_expires_on <= vendor.certified_on
    ):
        raise ValidationError(
            {
                "certificate_expires_on": _(
                    "The certificate must expire after the date it was issued."
                )
            },
            code="expiry_order",
        )
    if (
        Vendor.objects.filter(certificate_number__iexact=vendor.certificate_number)
        .exclude(pk=vendor.pk)
        .exists()
    ):
        raise ValidationError(
            {
                "certificate_number": _(
                    "Another vendor already has the certificate number “%(number)s”."
                )
                % {"number": vendor.certificate_number}
            },
            code="duplicate_certificate",
        )


def _assign(instance, fields: Mapping[str, Any]) -> bool:
    """Set the fields that differ; says whether any did (a foreign key by its id, so an
    unsaved record without one compares too)."""
    changed = False
    for name, value in fields.items():
        field = instance._meta.get_field(name)
        if field.many_to_one:
            current, wanted = getattr(instance, field.attname), getattr(value, "pk", value)
        else:
            current, wanted = getattr(instance, name), value
        if current != wanted:
            setattr(instance, name, value)
            changed = True
    return changed


@transaction.atomic
def vendor_save(
    *,
    vendor: Vendor | None,
    fields: Mapping[str, Any],
    languages: Iterable[Language],
    acting_user: User,
) -> Vendor:
    """Create a vendor (vendor=None) or change one. Nothing is written when nothing
    changed, so the history holds real changes only."""
    # Read again under a lock: the form has already set its values on the instance.
    vendor = Vendor() if vendor is None else Vendor.objects.select_for_update().get(pk=vendor.pk)
    creating = vendor.pk is None
    changed = _assign(vendor, fields)
    _check_vendor(vendor)
    if creating or changed:
        save_audited(vendor, acting_user=acting_user, reason="portal" if creating else "")
    wanted = {lang.pk for lang in languages}
    if creating or wanted != set(vendor.languages.values_list("pk", flat=True)):
        vendor.languages.set(wanted)
    return vendor


@transaction.atomic
def product_save(
    *,
    vendor: Vendor,
    product: Product | None,
    fields: Mapping[str, Any],
    acting_user: User,
) -> Product:
    product = (
        Product(vendor=vendor)
        if product is None
        else Product.objects.select_for_update().get(pk=product.pk, vendor=vendor)
    )
    creating = product.pk is None
    changed = _assign(product, fields)
    if (
        Product.objects.filter(vendor=vendor, name_th__iexact=product.name_th)
        .exclude(pk=product.pk)
        .exists()
    ):
        raise ValidationError(
            {
                "name_th": _("This vendor already has a product named “%(name)s”.")
                % {"name": product.name_th}
            },
            code="duplicate_product",
        )
    if creating or changed:
        save_audited(product, acting_user=acting_user)
    return product


@transaction.atomic
def product_photo_add(
    *, product: Product, image: UploadedFile, caption: str = "", acting_user: User
) -> ProductPhoto:
    """The photo is checked and stored as a clean copy by its field (vendors.photos)."""
    last = product.photos.order_by("-position").first()
    photo = ProductPhoto(
        product=product, caption=caption.strip(), position=(last.position + 1) if last else 1
    )
    photo.image.save(image.name, image, save=False)
    save_audited(photo, acting_user=acting_user)
    return photo


@transaction.atomic
def product_photo_remove(*, photo: ProductPhoto, acting_user: User) -> None:
    # Django leaves the file on disk: the history row still names it.
    delete_audited(photo, acting_user=acting_user)


@transaction.atomic
def product_buyer_texts_set(
    *, product: Product, texts: Mapping[str, tuple[str, str]], acting_user: User
) -> bool:
    """The product's name and description in the buyers' languages (django-parler's rows):
    a language with a name gets its row, one without loses it; what did not change is not
    written. Says whether anything changed."""
    wanted_languages = dict(TRANSLATED_LANGUAGES)
    existing = {
        row.language_code: row
        for row in ProductTranslation.objects.select_for_update().filter(master=product)
    }
    changed = False
    for code, (name, description) in texts.items():
        if code not in wanted_languages:
            raise ValidationError(
                _("The showcase has no language “%(code)s”.") % {"code": code}, code="language"
            )
        row = existing.get(code)
        if not name:
            if row is not None:
                delete_audited(row, acting_user=acting_user)
                changed = True
            continue
        if row is None:
            row = ProductTranslation(master=product, language_code=code)
        elif (row.buyer_name, row.buyer_description) == (name, description):
            continue
        row.buyer_name, row.buyer_description = name, description
        save_audited(row, acting_user=acting_user)
        changed = True
    return changed


@transaction.atomic
def product_edit(
    *,
    vendor: Vendor,
    product: Product | None,
    fields: Mapping[str, Any],
    buyer_texts: Mapping[str, tuple[str, str]] | None = None,
    photo: UploadedFile | None = None,
    photo_caption: str = "",
    remove_photos: Iterable[ProductPhoto] = (),
    acting_user: User,
) -> Product:
    """The product page in one transaction: its fields, its texts in the buyers' languages,
    a photo added, photos removed."""
    product = product_save(vendor=vendor, product=product, fields=fields, acting_user=acting_user)
    if buyer_texts is not None:
        product_buyer_texts_set(product=product, texts=buyer_texts, acting_user=acting_user)
    for old in remove_photos:
        if old.product_id != product.pk:
            raise ValidationError(_("That photo is not one of this product's."), code="photo")
        product_photo_remove(photo=old, acting_user=acting_user)
    if photo:
        product_photo_add(
            product=product, image=photo, caption=photo_caption, acting_user=acting_user
        )
    return product
