"""Writes of the outcome-form upload: check (the preview), then confirm (the write).

An outcome form holds one vendor's lines for one period, tens of rows, so both steps run
in the request; the checks, the error report and the single-transaction write are those
of core.spreadsheets, as for the vendor workbook.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import ImportResult, PlanChanged, lifecycle

from . import policy
from .imports import OutcomeFormImport
from .models import OutcomeUpload, Submission


def _store(upload: OutcomeUpload, result: ImportResult, status: str) -> None:
    lifecycle.store_result(upload, result, status)


@transaction.atomic
def outcome_upload_check(
    *, submission: Submission, upload: UploadedFile, ignore_extra_columns: bool = False, acting_user
) -> OutcomeUpload:
    """Keep the file and check it against the outcome form; nothing is written to the
    submission yet."""
    submission = Submission.objects.select_related("vendor", "period").get(pk=submission.pk)
    if not policy.can_edit(submission, acting_user):
        raise ValidationError(_("This submission can no longer be changed."), code="locked")
    record = OutcomeUpload(
        submission=submission, created_by=acting_user, status=OutcomeUpload.Status.INVALID
    )
    lifecycle.record_file(
        record, upload, default_name="outcome-form.xlsx", ignore_extra_columns=ignore_extra_columns
    )
    result = lifecycle.check(record, OutcomeFormImport(submission=submission))
    _store(
        record, result, OutcomeUpload.Status.READY if result.ok else OutcomeUpload.Status.INVALID
    )
    record.save()
    return record


@transaction.atomic
def outcome_upload_confirm(*, upload: OutcomeUpload, acting_user) -> OutcomeUpload:
    """Write the previewed form in one transaction, or nothing: the plan of the check,
    or the file checked again if the submission's records changed since; the write is
    refused if it would differ from the preview."""
    upload = (
        OutcomeUpload.objects.select_for_update(of=("self",))
        .select_related("submission__vendor", "submission__period")
        .get(pk=upload.pk)
    )
    if upload.status != OutcomeUpload.Status.READY:
        raise ValidationError(_("This upload is not waiting for a confirmation."), code="state")
    submission = upload.submission
    if not policy.can_edit(submission, acting_user):
        raise ValidationError(_("This submission can no longer be changed."), code="locked")
    importer = OutcomeFormImport(submission=submission)
    try:
        result = lifecycle.confirm(upload, importer, acting_user=acting_user)
    except PlanChanged:
        _store(upload, lifecycle.recheck(upload, importer), OutcomeUpload.Status.STALE)
    except ValidationError as exc:  # a rule of the submission, checked again by its service
        upload.status = OutcomeUpload.Status.FAILED
        upload.last_error = "; ".join(exc.messages)
        lifecycle.forget_plan(upload)
    else:
        if result.refused:  # a database constraint: nothing was written
            _store(upload, result, OutcomeUpload.Status.FAILED)
            upload.last_error = result.refused
        elif result.applied:
            _store(upload, result, OutcomeUpload.Status.DONE)
            upload.applied_at = timezone.now()
        else:
            _store(upload, result, OutcomeUpload.Status.INVALID)
    upload.save()
    return upload
