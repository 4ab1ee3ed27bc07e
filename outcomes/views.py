"""Pages of outcome submissions (SDO enters, FAO reviews), the vendor's own link, the
dashboard and the statistics. Each view checks the role, validates, calls one service
or selector and renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.fiscal import fiscal_year_of
from core.permissions import role_required
from core.roles import Role
from core.spreadsheets import XLSX_CONTENT_TYPE

from . import links, policy, selectors, services, uploads
from .exports import statistics_workbook, upload_errors_workbook
from .forms import (
    ReturnForm,
    SubmissionCreateForm,
    SubmissionNotesForm,
    UploadForm,
    VendorLinkForm,
    contact_inputs,
    line_formsets,
    order_inputs,
)
from .imports import outcome_form_template, template_filename
from .models import OutcomeUpload, Submission

READERS = (Role.FAO, Role.SDO, Role.EXECUTIVE)
EDITORS = (Role.FAO, Role.SDO)
DASHBOARD_ROLES = (Role.FAO, Role.EXECUTIVE)
PAGE_SIZE = 50


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _error_messages(exc: ValidationError) -> list[str]:
    return list(exc.messages)


# --- Submissions ----------------------------------------------------------------------------


@role_required(*READERS)
@require_GET
def submission_list(request: HttpRequest) -> HttpResponse:
    period_id = _int_or_none(request.GET.get("period"))
    status = request.GET.get("status") or None
    if status not in Submission.Status.values:
        status = None
    search = (request.GET.get("q") or "").strip()[:100]
    submissions = selectors.submission_list(period_id=period_id, status=status, search=search)
    page = Paginator(submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outcomes/submission_list.html",
        {
            "page": page,
            "periods": list(selectors.reporting_periods()),
            "statuses": Submission.Status.choices,
            "selected_period": period_id,
            "selected_status": status,
            "search": search,
            "can_create": policy.is_sdo(request.user) or policy.is_fao(request.user),
        },
    )


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def submission_create(request: HttpRequest) -> HttpResponse:
    form = SubmissionCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.submission_create(
                vendor=form.cleaned_data["vendor"],
                half=form.cleaned_data["half"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The submission was created. Enter its contacts and orders.")
            )
            return redirect("outcomes:submission-edit", pk=submission.pk)
    return render(request, "outcomes/submission_create.html", {"form": form})


@role_required(*READERS)
@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        submission = selectors.submission_detail(pk=pk)
    except Submission.DoesNotExist as exc:
        raise Http404 from exc
    user = request.user
    return render(
        request,
        "outcomes/submission_detail.html",
        {
            "submission": submission,
            "history": selectors.submission_history(submission=submission),
            "can_edit": policy.can_edit(submission, user),
            "can_submit": policy.can_submit(submission, user),
            "can_review": policy.can_review(submission, user),
            "can_reopen": policy.can_reopen(submission, user),
            "is_locked": submission.period.is_locked(policy.today()),
            "return_form": ReturnForm(),
            "link_form": VendorLinkForm(initial={"email": submission.vendor.email}),
        },
    )


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(Submission.objects.select_related("vendor", "period"), pk=pk)
    if not policy.can_edit(submission, request.user):
        messages.error(request, _("This submission can no longer be changed."))
        return redirect("outcomes:submission-detail", pk=pk)
    choices = selectors.entry_choices(vendor=submission.vendor)
    data = request.POST if request.method == "POST" else None
    contacts, orders = line_formsets(submission=submission, choices=choices, data=data)
    notes_form = SubmissionNotesForm(data, initial={"notes": submission.notes})
    errors: list[str] = []
    if data is not None and contacts.is_valid() and orders.is_valid() and notes_form.is_valid():
        try:
            services.submission_save_lines(
                submission=submission,
                contacts=contact_inputs(contacts),
                orders=order_inputs(orders),
                notes=notes_form.cleaned_data["notes"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            errors = _error_messages(exc)
        else:
            messages.success(request, _("The submission was saved."))
            return redirect("outcomes:submission-detail", pk=pk)
    return render(
        request,
        "outcomes/submission_edit.html",
        {
            "submission": submission,
            "contacts": contacts,
            "orders": orders,
            "notes_form": notes_form,
            "errors": errors,
            "has_products": bool(choices.products),
        },
    )


def _transition(request: HttpRequest, pk: int, action, success: str) -> HttpResponse:
    submission = get_object_or_404(Submission, pk=pk)
    try:
        action(submission)
    except ValidationError as exc:
        for message in _error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("outcomes:submission-detail", pk=pk)


@role_required(*EDITORS)
@require_POST
def submission_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        lambda s: services.submission_submit(submission=s, acting_user=request.user),
        _("The submission was sent to FAO for review."),
    )


@role_required(Role.FAO)
@require_POST
def submission_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        lambda s: services.submission_accept(submission=s, acting_user=request.user),
        _("The submission was accepted. The KPI is being recomputed."),
    )


@role_required(Role.FAO)
@require_POST
def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the submission goes back to SDO."))
        return redirect("outcomes:submission-detail", pk=pk)
    reason = form.cleaned_data["reason"]
    submission = get_object_or_404(Submission, pk=pk)
    service = (
        services.submission_reopen
        if submission.status == Submission.Status.ACCEPTED
        else services.submission_return
    )
    return _transition(
        request,
        pk,
        lambda s: service(submission=s, reason=reason, acting_user=request.user),
        _("The submission was returned to SDO."),
    )


# --- Upload of the outcome form ----------------------------------------------------------------


@role_required(*EDITORS)
@require_GET
def submission_template(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(Submission.objects.select_related("vendor", "period"), pk=pk)
    response = HttpResponse(outcome_form_template(submission), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{template_filename(submission)}"'
    return response


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def submission_upload(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(Submission.objects.select_related("vendor", "period"), pk=pk)
    if not policy.can_edit(submission, request.user):
        messages.error(request, _("This submission can no longer be changed."))
        return redirect("outcomes:submission-detail", pk=pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = uploads.outcome_upload_check(
                submission=submission, upload=form.cleaned_data["file"], acting_user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("outcomes:upload-preview", pk=upload.pk)
    return render(
        request, "outcomes/submission_upload.html", {"submission": submission, "form": form}
    )


def _upload_or_404(pk: int) -> OutcomeUpload:
    return get_object_or_404(
        OutcomeUpload.objects.select_related("submission__vendor", "submission__period"), pk=pk
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
    try:
        upload = uploads.outcome_upload_confirm(upload=upload, acting_user=request.user)
    except ValidationError as exc:
        for message in _error_messages(exc):
            messages.error(request, message)
        return redirect("outcomes:upload-preview", pk=pk)
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


# --- The vendor's link ------------------------------------------------------------------------


@role_required(*EDITORS)
@require_POST
def vendor_link_create(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(Submission.objects.select_related("vendor", "period"), pk=pk)
    form = VendorLinkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("outcomes:submission-detail", pk=pk)
    try:
        link = links.vendor_link_create(
            submission=submission,
            email=form.cleaned_data["email"],
            days=form.cleaned_data["days"],
            acting_user=request.user,
        )
    except ValidationError as exc:
        for message in _error_messages(exc):
            messages.error(request, message)
        return redirect("outcomes:submission-detail", pk=pk)
    return render(
        request,
        "outcomes/vendor_link_created.html",
        {"submission": submission, "link": link, "url": links.vendor_link_url(link)},
    )


@role_required(*EDITORS)
@require_POST
def vendor_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(links.VendorLink, pk=pk)
    links.vendor_link_revoke(link=link, acting_user=request.user)
    messages.success(request, _("The link was withdrawn: it no longer opens the form."))
    return redirect("outcomes:submission-detail", pk=link.submission_id)


# Deliberately open without an account: the signed token is the vendor's only credential.
@require_http_methods(["GET", "POST"])
def vendor_form(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = links.vendor_link_resolve(token)
    except links.LinkError as exc:
        return render(
            request, "outcomes/vendor_link_invalid.html", {"message": str(exc)}, status=403
        )
    submission = link.submission
    if not policy.vendor_can_edit(submission):
        return render(request, "outcomes/vendor_form_closed.html", {"submission": submission})
    choices = selectors.entry_choices(vendor=submission.vendor)
    data = request.POST if request.method == "POST" else None
    contacts, orders = line_formsets(submission=submission, choices=choices, data=data)
    errors: list[str] = []
    saved = False
    if data is not None and contacts.is_valid() and orders.is_valid():
        try:
            services.submission_save_lines(
                submission=submission,
                contacts=contact_inputs(contacts),
                orders=order_inputs(orders),
                acting_user=None,
                entered_via=Submission.EnteredVia.VENDOR_LINK,
                by_vendor=True,
            )
        except ValidationError as exc:
            errors = _error_messages(exc)
        else:
            links.vendor_link_touch(link=link)
            saved = True
            contacts, orders = line_formsets(submission=submission, choices=choices)
    return render(
        request,
        "outcomes/vendor_form.html",
        {
            "submission": submission,
            "link": link,
            "contacts": contacts,
            "orders": orders,
            "errors": errors,
            "saved": saved,
            "has_products": bool(choices.products),
        },
    )


# --- Dashboard and statistics ------------------------------------------------------------------


def _selected_year(request: HttpRequest, years):
    wanted = _int_or_none(request.GET.get("year"))
    by_fiscal_year = {y.fiscal_year: y for y in years}
    if wanted in by_fiscal_year:
        return by_fiscal_year[wanted]
    current = fiscal_year_of(policy.today()).be_year
    return by_fiscal_year.get(current) or (years[0] if years else None)


@role_required(*DASHBOARD_ROLES)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    years = list(selectors.programme_years())
    year = _selected_year(request, years)
    if year is None:
        return render(request, "outcomes/dashboard.html", {"data": None, "years": years})
    data = selectors.dashboard_data(year=year, years=years)
    return render(
        request,
        "outcomes/dashboard.html",
        {
            "data": data,
            "years": years,
            "chart_data": selectors.dashboard_chart_data(data),
            "can_recompute": policy.is_fao(request.user),
        },
    )


@role_required(Role.FAO)
@require_POST
def kpi_recompute(request: HttpRequest, year_id: int) -> HttpResponse:
    year = get_object_or_404(selectors.programme_years(), pk=year_id)
    services.kpi_recompute_request(year=year, acting_user=request.user)
    messages.info(request, _("The KPI is being recomputed. Reload the page in a moment."))
    return redirect(f"{reverse('outcomes:dashboard')}?year={year.fiscal_year}")


@role_required(*READERS)
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    years = list(selectors.programme_years())
    year = _selected_year(request, years)
    fiscal_year = year.fiscal_year if year else None
    rows = selectors.statistics_by_city_and_category(year=fiscal_year) if year else []
    return render(
        request,
        "outcomes/statistics.html",
        {
            "rows": rows,
            "years": years,
            "year": year,
            "totals": selectors.statistics_totals(rows),
            "export_url": (
                f"{reverse('outcomes:statistics-export')}?year={fiscal_year}" if year else None
            ),
        },
    )


@role_required(*READERS)
@require_GET
def statistics_export(request: HttpRequest) -> HttpResponse:
    years = list(selectors.programme_years())
    year = _selected_year(request, years)
    if year is None:
        raise Http404
    rows = selectors.statistics_by_city_and_category(year=year.fiscal_year)
    response = HttpResponse(
        statistics_workbook(rows, fiscal_year=year.fiscal_year), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="outcome-statistics-{year.fiscal_year}.xlsx"'
    )
    return response
