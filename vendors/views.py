"""Pages of the vendor registry, its Excel import and export, and session shortlists."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.permissions import AuthenticatedHttpRequest, role_required
from core.roles import ALL_ROLES, Role, has_role, roles_of
from core.spreadsheets import XLSX_CONTENT_TYPE, lifecycle
from core.views import QUEUE_DOWN_MESSAGE
from meetings import selectors as shortlist_reads
from meetings.models import Session, ShortlistEntry
from meetings.services import shortlists

from . import exports, photos, selectors, services
from .forms import ShortlistAddForm, ShortlistProductsForm, VendorFilterForm, VendorImportForm
from .models import ProductPhoto, Vendor, VendorImportJob

EDITORS = (Role.SDO, Role.FAO)
PAGE_SIZE = 50


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- the registry ------------------------------------------------------------------------


@role_required(*ALL_ROLES)
@require_GET
def vendor_list(request: HttpRequest) -> HttpResponse:
    form = VendorFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    vendors = selectors.vendor_search(
        q=filters.get("q", ""),
        district=filters["district"].pk if filters.get("district") else None,
        category=filters["category"].pk if filters.get("category") else None,
        expiring=filters.get("expiring", ""),
    )
    page = Paginator(vendors, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "vendors/vendor_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_edit": has_role(request.user, EDITORS),
        },
    )


@role_required(*ALL_ROLES)
@require_GET
def vendor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        vendor = selectors.vendor_detail(pk)
    except Vendor.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "vendors/vendor_detail.html",
        {"vendor": vendor, "can_edit": has_role(request.user, EDITORS)},
    )


@role_required(*ALL_ROLES)
@require_GET
def product_photo(request: HttpRequest, pk: int) -> FileResponse:
    """Photos are served only here, to signed-in portal users, never from a media URL.

    The content type comes from the stored file's first bytes, never from a name; a file
    that is not one of the allowed formats is only offered as a download. nosniff (also
    sent by SecurityMiddleware, SECURE_CONTENT_TYPE_NOSNIFF) keeps browsers to that type.
    """
    try:
        photo = selectors.product_photo(pk)
        handle = photo.image.open("rb")
    except (ProductPhoto.DoesNotExist, FileNotFoundError):
        raise Http404 from None
    photo_format = photos.served_format(handle.read(16))
    handle.seek(0)
    if photo_format is None:
        response = FileResponse(
            handle,
            content_type="application/octet-stream",
            as_attachment=True,
            filename=f"product-photo-{pk}.bin",
        )
    else:
        response = FileResponse(
            handle,
            content_type=photo_format.content_type,
            filename=f"product-photo-{pk}.{photo_format.extension}",  # inline
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@role_required(*ALL_ROLES)
@require_GET
def export_registry(request: HttpRequest) -> HttpResponse:
    return _xlsx(exports.registry_workbook(), exports.export_filename("bangkok-brand-vendors"))


@role_required(*ALL_ROLES)
@require_GET
def export_products(request: HttpRequest) -> HttpResponse:
    return _xlsx(exports.products_workbook(), exports.export_filename("bangkok-brand-products"))


# -- the import ----------------------------------------------------------------------------


@role_required(*EDITORS)
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(exports.template_workbook(), "bangkok-brand-vendor-template.xlsx")


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("session"):
        initial["session"] = request.GET["session"]
    form = VendorImportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            job, dispatch = services.vendor_import_upload(
                upload=form.cleaned_data["file"],
                session=form.cleaned_data["session"],
                ignore_extra_columns=form.cleaned_data["ignore_extra_columns"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if dispatch.published is False:
                messages.warning(request, QUEUE_DOWN_MESSAGE)
            return redirect("vendors:import-detail", pk=job.pk)
    return render(
        request,
        "vendors/import_upload.html",
        {"form": form, "jobs": selectors.import_jobs_recent()},
    )


def _job_or_404(pk: int) -> VendorImportJob:
    try:
        return selectors.import_job(pk)
    except VendorImportJob.DoesNotExist:
        raise Http404 from None


@role_required(*EDITORS)
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(pk)
    preview = lifecycle.preview(job, request.LANGUAGE_CODE)
    return render(
        request,
        "vendors/import_detail.html",
        {
            "job": job,
            **{k: preview[k] for k in ("report", "errors", "warnings", "counts", "items")},
        },
    )


@role_required(*EDITORS)
@require_GET
def import_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = _job_or_404(pk)
    return JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "running": job.is_running,
            "stalled": job.is_stalled,
            "done": job.progress_done,
            "total": job.progress_total,
            "percent": job.percent,
        }
    )


@role_required(*EDITORS)
@require_POST
def import_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(pk)
    try:
        _job, dispatch = services.vendor_import_confirm(job=job, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if dispatch.published is False:
            messages.warning(request, QUEUE_DOWN_MESSAGE)
    return redirect("vendors:import-detail", pk=job.pk)


# -- shortlists ----------------------------------------------------------------------------


@role_required(*ALL_ROLES)
@require_GET
def shortlist_sessions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "vendors/shortlist_sessions.html",
        {"sessions": shortlist_reads.sessions_for_shortlists()},
    )


def _session_or_404(pk: int) -> Session:
    return get_object_or_404(Session.objects.select_related("year", "shortlist_approved_by"), pk=pk)


@role_required(*ALL_ROLES)
@require_GET
def shortlist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(pk)
    entries = list(shortlist_reads.shortlist_entries(session))
    can_edit = has_role(request.user, EDITORS)
    for entry in entries:
        entry.products_form = (
            ShortlistProductsForm(
                vendor=entry.vendor,
                initial={"products": entry.products.all()},
                prefix=f"entry{entry.pk}",
            )
            if can_edit
            else None
        )
    return render(
        request,
        "vendors/shortlist_detail.html",
        {
            "session": session,
            "entries": entries,
            "target": session.year.vendors_per_session,
            "suggestions": shortlist_reads.shortlist_suggestions(session) if can_edit else [],
            "categories": shortlist_reads.session_category_objects(session),
            "add_form": ShortlistAddForm(),
            "can_edit": can_edit and not session.is_closed,
            "can_approve": Role.FAO in roles_of(request.user) and not session.is_closed,
        },
    )


@role_required(*EDITORS)
@require_POST
def shortlist_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(pk)
    form = ShortlistAddForm(request.POST)
    if form.is_valid():
        try:
            shortlists.shortlist_entry_add(
                session=session,
                vendor=form.cleaned_data["vendor"],
                products=form.cleaned_data["products"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(vendor)s was added to the shortlist.")
                % {"vendor": form.cleaned_data["vendor"]},
            )
    else:
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
    return redirect("vendors:shortlist", pk=session.pk)


def _entry_or_404(pk: int) -> ShortlistEntry:
    return get_object_or_404(ShortlistEntry.objects.select_related("vendor", "session"), pk=pk)


@role_required(*EDITORS)
@require_POST
def shortlist_products(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = _entry_or_404(pk)
    form = ShortlistProductsForm(request.POST, vendor=entry.vendor, prefix=f"entry{entry.pk}")
    if form.is_valid():
        try:
            shortlists.shortlist_entry_set_products(
                entry=entry, products=form.cleaned_data["products"], acting_user=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The products presented were saved."))
    return redirect("vendors:shortlist", pk=entry.session_id)


@role_required(*EDITORS)
@require_POST
def shortlist_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = _entry_or_404(pk)
    try:
        shortlists.shortlist_entry_remove(entry=entry, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(vendor)s was removed from the shortlist.") % {"vendor": entry.vendor}
        )
    return redirect("vendors:shortlist", pk=entry.session_id)


@role_required(Role.FAO)
@require_POST
def shortlist_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(pk)
    try:
        shortlists.shortlist_approve(session=session, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The shortlist was approved."))
    return redirect("vendors:shortlist", pk=session.pk)


@role_required(*ALL_ROLES)
@require_GET
def shortlist_export(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(pk)
    content = exports.shortlist_workbook(
        session, shortlist_reads.shortlist_entries_for_export(session)
    )
    return _xlsx(
        content, exports.export_filename(f"shortlist-{session.year.fiscal_year}-{session.number}")
    )
