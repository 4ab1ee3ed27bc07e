from typing import Any

from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from .audit_log import AuditEntry
from .fiscal import current_fiscal_year
from .permissions import role_required, signed_in_user
from .roles import ALL_ROLES, Role, roles_of
from .selectors import worker_ping_last_answered, worker_ping_latest
from .services import worker_ping_request
from .status_panels import status_panels

ROLE_ORDER = (Role.FAO, Role.SDO, Role.SEO, Role.EXECUTIVE)
QUEUE_DOWN_MESSAGE = _lazy(
    "The background worker cannot be reached just now. Your request is saved and will be "
    "handled automatically as soon as it is back."
)


@role_required(*ALL_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    return render(
        request,
        "core/home.html",
        {
            "roles": [r for r in ROLE_ORDER if r in roles],
            "fiscal_year": current_fiscal_year(),
        },
    )


@role_required(Role.FAO)
@require_http_methods(["GET", "POST"])
def system_status(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        _ping, dispatch = worker_ping_request(acting_user=signed_in_user(request))
        if dispatch.published:
            messages.info(
                request, _("A ping was sent to the worker. Reload this page in a few seconds.")
            )
        else:
            messages.warning(request, QUEUE_DOWN_MESSAGE)
        return redirect("core:system-status")
    return render(
        request,
        "core/system_status.html",
        {
            "latest": worker_ping_latest(),
            "last_answered": worker_ping_last_answered(),
            "panels": status_panels(),
        },
    )


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The username django-axes records a failed sign-in under, cut to the length of a
    username: axes stores it in a 255-character column, and a longer one typed in the
    sign-in form was a 500 on PostgreSQL."""
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get("username")
    return username[:150] if isinstance(username, str) else username


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer to a locked username: a page in the user's language."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: answers 200 only when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


AUDIT_PAGE_ROWS = 100
AUDIT_EXPORT_ROWS = 100_000


@role_required(Role.FAO)
@require_GET
def audit_trail(request: HttpRequest) -> HttpResponse:
    from .audit_log import audit_entries
    from .forms_audit import AuditFilterForm

    form = AuditFilterForm(request.GET or None)
    entries: list[AuditEntry] | None
    if form.is_bound and not form.is_valid():
        entries = None
    else:
        filters = form.filters() if form.is_bound else {}
        entries = audit_entries(**filters, limit=AUDIT_PAGE_ROWS)
    return render(
        request,
        "core/audit_trail.html",
        {
            "form": form,
            "entries": entries,
            "page_rows": AUDIT_PAGE_ROWS,
            "query": request.GET.urlencode(),
        },
    )


@role_required(Role.FAO)
@require_GET
def audit_trail_export(request: HttpRequest) -> HttpResponse:
    from core.spreadsheets.xlsx import XLSX_CONTENT_TYPE, ExportSheet, write_export

    from .audit_log import audit_entries
    from .forms_audit import AuditFilterForm
    from .thai import format_date

    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return redirect(f"{reverse('core:audit')}?{request.GET.urlencode()}")
    filters = form.filters() if form.is_bound else {}
    entries = audit_entries(**filters, limit=AUDIT_EXPORT_ROWS)
    rows = (
        (
            format_date(e.when, "Y-m-d H:i:s"),
            e.user,
            e.action_label,
            e.model_name,
            e.object_id,
            e.object_label,
            "; ".join(f"{c.field}: {c.old} → {c.new}" for c in e.changes),
            e.reason,
        )
        for e in entries
    )
    content = write_export(
        [
            ExportSheet(
                title=str(_("Audit trail")),
                headers=[
                    _("When"),
                    _("Who"),
                    _("Change"),
                    _("Record type"),
                    _("Record id"),
                    _("Record"),
                    _("What changed"),
                    _("Reason"),
                ],
                rows=rows,
                widths=(20, 20, 10, 24, 10, 30, 60, 30),
            )
        ]
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="bbportal-audit-trail.xlsx"'
    return response
