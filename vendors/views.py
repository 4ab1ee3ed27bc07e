"""Pages of the vendor registry, its Excel import and export, and session shortlists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.badges import badge_class
from core.permissions import AuthenticatedHttpRequest, role_required
from core.roles import ALL_ROLES, Role, has_role, roles_of
from core.spreadsheets import XLSX_CONTENT_TYPE, lifecycle
from core.view_helpers import get_or_404, run_service, url_for_each
from core.views import QUEUE_DOWN_MESSAGE
from meetings import selectors as shortlist_reads
from meetings.models import Session, ShortlistEntry
from meetings.services import shortlists

from . import exports, photos, selectors, services
from .forms import (
    ProductForm,
    ShortlistAddForm,
    ShortlistProductsForm,
    VendorFilterForm,
    VendorForm,
    VendorImportForm,
)
from .models import Vendor, VendorImportJob

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
    vendors = selectors.vendor_registry(
        q=filters.get("q", ""),
        district=filters["district"].pk if filters.get("district") else None,
        category=filters["category"].pk if filters.get("category") else None,
        expiring=filters.get("expiring", ""),
    )
    page = Paginator(vendors, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.vendor_page_counts(cast("Sequence[Vendor]", page.object_list))
    detail_url = url_for_each("vendors:detail")
    for vendor in page.object_list:
        vendor.detail_url = detail_url(vendor.pk)  # type: ignore[attr-defined]
        # The LINE badge's classes and label, as notifications/_line_link_badge.html
        # draws them; a vendor without a link raises on each read of the relation.
        link = getattr(vendor, "line_link", None)
        vendor.line_badge = (  # type: ignore[attr-defined]
            (badge_class(link.status, "notifications.line"), link.get_status_display())
            if link
            else None
        )
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
    vendor = get_or_404(selectors.vendor_detail, pk)
    return render(
        request,
        "vendors/vendor_detail.html",
        {"vendor": vendor, "can_edit": has_role(request.user, EDITORS)},
    )


def _vendor_or_404(pk: int) -> Vendor:
    return get_or_404(selectors.vendor_detail, pk)


def _save_errors(form, exc: Exception | None) -> None:
    """A service's refusal, beside the field it names (or above the form)."""
    if hasattr(exc, "error_dict"):
        assert exc is not None  # None has no error_dict
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def vendor_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    vendor = _vendor_or_404(pk) if pk is not None else None
    form = VendorForm(request.POST or None, instance=vendor)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            lambda: services.vendor_save(
                vendor=vendor,
                fields=form.fields_for_service(),
                languages=form.cleaned_data["languages"],
                acting_user=request.user,
            ),
            _("The vendor is saved."),
            quiet=True,
        )
        if saved:
            return redirect("vendors:detail", pk=saved.returned.pk)
        _save_errors(form, saved.error)
    return render(request, "vendors/vendor_form.html", {"form": form, "vendor": vendor})


@role_required(*ALL_ROLES)
@require_GET
def vendor_history(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = _vendor_or_404(pk)
    return render(
        request,
        "vendors/vendor_history.html",
        {"vendor": vendor, "history": selectors.vendor_history(vendor)},
    )


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def product_edit(
    request: AuthenticatedHttpRequest, vendor_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    if pk is not None:
        product = get_or_404(selectors.product_for_edit, pk)
        vendor = product.vendor
    else:
        assert vendor_pk is not None  # the create route gives vendor_pk, the edit route pk
        product, vendor = None, _vendor_or_404(vendor_pk)
    form = ProductForm(request.POST or None, request.FILES or None, instance=product)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            lambda: services.product_edit(
                vendor=vendor,
                product=product,
                fields=form.fields_for_service(),
                buyer_texts=form.buyer_texts_for_service(),
                photo=form.cleaned_data["photo"],
                photo_caption=form.cleaned_data["photo_caption"],
                remove_photos=form.cleaned_data.get("remove_photos") or [],
                acting_user=request.user,
            ),
            _("The product is saved."),
            quiet=True,
        )
        if saved:
            return redirect("vendors:product-edit", pk=saved.returned.pk)
        _save_errors(form, saved.error)
    return render(
        request,
        "vendors/product_form.html",
        {
            "form": form,
            "vendor": vendor,
            "product": product,
            "history": selectors.product_history(product) if product else [],
        },
    )


@role_required(*ALL_ROLES)
@require_GET
def product_photo(request: HttpRequest, pk: int) -> FileResponse:
    """Photos are served only here, to signed-in portal users, never from a media URL.

    The content type comes from the stored file's first bytes, never from a name; a file
    that is not one of the allowed formats is only offered as a download. nosniff (also
    sent by SecurityMiddleware, SECURE_CONTENT_TYPE_NOSNIFF) keeps browsers to that type.
    """
    photo = get_or_404(selectors.product_photo, pk)
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
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
        uploaded = run_service(
            request,
            lambda: services.vendor_import_upload(
                upload=form.cleaned_data["file"],
                session=form.cleaned_data["session"],
                ignore_extra_columns=form.cleaned_data["ignore_extra_columns"],
                acting_user=request.user,
            ),
            form=form,
        )
        if uploaded:
            job, dispatch = uploaded.returned
            if dispatch.published is False:
                messages.warning(request, QUEUE_DOWN_MESSAGE)
            return redirect("vendors:import-detail", pk=job.pk)
    return render(
        request,
        "vendors/import_upload.html",
        {"form": form, "jobs": selectors.import_jobs_recent()},
    )


def _job_or_404(pk: int) -> VendorImportJob:
    return get_or_404(selectors.import_job, pk)


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
    confirmed = run_service(
        request,
        lambda: services.vendor_import_confirm(job=job, acting_user=request.user),
        joined=True,
    )
    if confirmed:
        _job, dispatch = confirmed.returned
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
    return get_or_404(Session.objects.select_related("year", "shortlist_approved_by").get, pk=pk)


@role_required(*ALL_ROLES)
@require_GET
def shortlist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(pk)
    entries = list(shortlist_reads.shortlist_entries(session))
    can_edit = has_role(request.user, EDITORS)
    for entry in entries:
        entry.products_form = (  # type: ignore[attr-defined]  # read by the page's template only
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
        run_service(
            request,
            lambda: shortlists.shortlist_entry_add(
                session=session,
                vendor=form.cleaned_data["vendor"],
                products=form.cleaned_data["products"],
                acting_user=request.user,
            ),
            _("%(vendor)s was added to the shortlist.") % {"vendor": form.cleaned_data["vendor"]},
            joined=True,
        )
    else:
        # An ErrorList iterates as its messages.
        messages.error(request, " ".join(cast(str, m) for e in form.errors.values() for m in e))
    return redirect("vendors:shortlist", pk=session.pk)


def _entry_or_404(pk: int) -> ShortlistEntry:
    return get_or_404(ShortlistEntry.objects.select_related("vendor", "session").get, pk=pk)


@role_required(*EDITORS)
@require_POST
def shortlist_products(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = _entry_or_404(pk)
    form = ShortlistProductsForm(request.POST, vendor=entry.vendor, prefix=f"entry{entry.pk}")
    if form.is_valid():
        run_service(
            request,
            lambda: shortlists.shortlist_entry_set_products(
                entry=entry, products=form.cleaned_data["products"], acting_user=request.user
            ),
            _("The products presented were saved."),
            joined=True,
        )
    return redirect("vendors:shortlist", pk=entry.session_id)


@role_required(*EDITORS)
@require_POST
def shortlist_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = _entry_or_404(pk)
    run_service(
        request,
        lambda: shortlists.shortlist_entry_remove(entry=entry, acting_user=request.user),
        _("%(vendor)s was removed from the shortlist.") % {"vendor": entry.vendor},
        joined=True,
    )
    return redirect("vendors:shortlist", pk=entry.session_id)


@role_required(Role.FAO)
@require_POST
def shortlist_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(pk)
    run_service(
        request,
        lambda: shortlists.shortlist_approve(session=session, acting_user=request.user),
        _("The shortlist was approved."),
        joined=True,
    )
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
