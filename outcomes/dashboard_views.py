"""The dashboard for executives and FAO, and the statistics with their .xlsx export."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.fiscal import fiscal_year_of
from core.permissions import AuthenticatedHttpRequest, role_required
from core.roles import Role
from core.spreadsheets import XLSX_CONTENT_TYPE
from core.view_helpers import get_or_404
from core.views import QUEUE_DOWN_MESSAGE

from . import figures as stats
from . import policy, selectors, services
from .exports import statistics_workbook
from .lines_export import LINES_EXPORTS, lines_export_request
from .views import DASHBOARD_ROLES, READERS, int_or_none

# --- Dashboard and statistics ------------------------------------------------------------------


def _selected_year(request: HttpRequest, years, *, source=None):
    wanted = int_or_none((request.GET if source is None else source).get("year"))
    by_fiscal_year = {y.fiscal_year: y for y in years}
    if wanted in by_fiscal_year:
        return by_fiscal_year[wanted]
    current = fiscal_year_of(policy.today()).be_year
    return by_fiscal_year.get(current) or (years[0] if years else None)


@role_required(*DASHBOARD_ROLES)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    years = selectors.programme_years_list()
    year = _selected_year(request, years)
    if year is None:
        return render(request, "outcomes/dashboard.html", {"data": None, "years": years})
    data = stats.dashboard_data(year=year, years=years)
    return render(
        request,
        "outcomes/dashboard.html",
        {
            "data": data,
            "years": years,
            "chart_data": stats.dashboard_chart_data(data),
            "can_recompute": policy.is_fao(request.user),
        },
    )


@role_required(Role.FAO)
@require_POST
def kpi_recompute(request: AuthenticatedHttpRequest, year_id: int) -> HttpResponse:
    year = get_or_404(selectors.programme_years().get, pk=year_id)
    dispatch = services.kpi_recompute_request(year=year, acting_user=request.user)
    if dispatch.published is False:
        messages.warning(request, QUEUE_DOWN_MESSAGE)
    else:
        messages.info(request, _("The KPI is being recomputed. Reload the page in a moment."))
    return redirect(f"{reverse('outcomes:dashboard')}?year={year.fiscal_year}")


@role_required(*READERS)
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    years = selectors.programme_years_list()
    year = _selected_year(request, years)
    fiscal_year = year.fiscal_year if year else None
    figures = stats.statistics_page(year=year, page=request.GET.get("page")) if year else None
    rows = figures.rows if figures else []
    by_product = figures.by_product if figures else None
    return render(
        request,
        "outcomes/statistics.html",
        {
            "rows": rows,
            "years": years,
            "year": year,
            "totals": stats.statistics_totals(rows),
            "by_product": by_product,
            "rows_key": stats.statistics_rows_key(rows),
            "products_key": stats.statistics_products_key(by_product),
            "export_url": (
                f"{reverse('outcomes:statistics-export')}?year={fiscal_year}" if year else None
            ),
        },
    )


@role_required(*READERS)
@require_GET
def statistics_export(request: HttpRequest) -> HttpResponse:
    years = selectors.programme_years_list()
    year = _selected_year(request, years)
    if year is None:
        raise Http404
    rows = stats.statistics_by_city_and_category(year=year.fiscal_year)
    response = HttpResponse(
        statistics_workbook(rows, fiscal_year=year.fiscal_year), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="outcome-statistics-{year.fiscal_year}.xlsx"'
    )
    return response


@role_required(*READERS)
@require_POST
def statistics_lines_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every line of the year, written by the worker (issue #19): the request only asks."""
    years = selectors.programme_years_list()
    year = _selected_year(request, years, source=request.POST)
    if year is None:
        raise Http404
    job, dispatch = lines_export_request(
        fiscal_year=year.fiscal_year,
        language=translation.get_language() or "th",
        acting_user=request.user,
    )
    if dispatch is None:
        messages.info(request, _("This export was already asked for; it is shown below."))
    elif dispatch.published is False:
        messages.warning(request, QUEUE_DOWN_MESSAGE)
    return redirect("outcomes:lines-export-detail", pk=job.pk)


@role_required(*READERS)
@require_GET
def lines_export_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = LINES_EXPORTS.for_user(export_id=pk, user=request.user)
    if job is None:
        raise Http404
    return render(request, "outcomes/lines_export.html", {"job": job})


@role_required(*READERS)
@require_GET
def lines_export_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    found = LINES_EXPORTS.file_for(export_id=pk, user=request.user)
    if found is None:
        raise Http404
    job, stream = found
    return FileResponse(
        stream, as_attachment=True, filename=f"outcome-lines-{job.fiscal_year}.xlsx"
    )
