"""The upload of FAO's outcome form: template, check (preview), confirm, problem list."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.permissions import role_required
from core.spreadsheets import XLSX_CONTENT_TYPE
from core.view_helpers import get_or_404, run_service

from . import policy, selectors, uploads
from .exports import upload_errors_workbook
from .forms import (
    UploadForm,
)
from .imports import outcome_form_template, template_filename
from .models import OutcomeUpload, Submission
from .views import EDITORS

# --- Upload of the outcome form ----------------------------------------------------------------


@role_required(*EDITORS)
@require_GET
def submission_template(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_or_404(Submission.objects.select_related("vendor", "period").get, pk=pk)
    response = HttpResponse(outcome_form_template(submission), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{template_filename(submission)}"'
    return response


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def submission_upload(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_or_404(Submission.objects.select_related("vendor", "period").get, pk=pk)
    if not policy.can_edit(submission, request.user):
        messages.error(request, _("This submission can no longer be changed."))
        return redirect("outcomes:submission-detail", pk=pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        checked = run_service(
            request,
            lambda: uploads.outcome_upload_check(
                submission=submission,
                upload=form.cleaned_data["file"],
                ignore_extra_columns=form.cleaned_data["ignore_extra_columns"],
                acting_user=request.user,
            ),
            form=form,
        )
        if checked:
            return redirect("outcomes:upload-preview", pk=checked.value.pk)
    return render(
        request, "outcomes/submission_upload.html", {"submission": submission, "form": form}
    )


def _upload_or_404(pk: int) -> OutcomeUpload:
    return get_or_404(
        OutcomeUpload.objects.select_related("submission__vendor", "submission__period").get, pk=pk
    )


@role_required(*EDITORS)
@require_GET
def upload_preview(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload_or_404(pk)
    return render(
        request,
        "outcomes/upload_preview.html",
        {"upload": upload, "submission": upload.submission, **selectors.upload_report(upload)},
    )


@role_required(*EDITORS)
@require_POST
def upload_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload_or_404(pk)
    confirmed = run_service(
        request, lambda: uploads.outcome_upload_confirm(upload=upload, acting_user=request.user)
    )
    if not confirmed:
        return redirect("outcomes:upload-preview", pk=pk)
    upload = confirmed.value
    if upload.status == OutcomeUpload.Status.DONE:
        messages.success(request, _("The outcome form was imported."))
        return redirect("outcomes:submission-detail", pk=upload.submission_id)
    if upload.status == OutcomeUpload.Status.STALE:
        messages.warning(
            request,
            _("The submission changed since the preview. Check the new preview and confirm again."),
        )
    else:
        messages.error(request, upload.last_error or _("The outcome form was not imported."))
    return redirect("outcomes:upload-preview", pk=pk)


@role_required(*EDITORS)
@require_GET
def upload_errors(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload_or_404(pk)
    response = HttpResponse(upload_errors_workbook(upload), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="outcome-form-problems-{pk}.xlsx"'
    return response
