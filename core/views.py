from typing import Any

from django.contrib import messages
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .fiscal import current_fiscal_year
from .permissions import AuthenticatedHttpRequest, role_required, signed_in_user
from .roles import ALL_ROLES, Role, roles_of
from .selectors import worker_ping_last_answered, worker_ping_latest
from .services import worker_ping_request
from .status_panels import status_panels
from .todo import todo_entries, todo_for

ROLE_ORDER = (Role.FAO, Role.SDO, Role.SEO, Role.EXECUTIVE)
QUEUE_DOWN_MESSAGE = _lazy(
    "The background worker cannot be reached just now. Your request is saved and will be "
    "handled automatically as soon as it is back."
)


@role_required(*ALL_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    todo = [(item, todo_entries(request.user, item)) for item in todo_for(request.user)]
    return render(
        request,
        "core/home.html",
        {
            "roles": [r for r in ROLE_ORDER if r in roles],
            "fiscal_year": current_fiscal_year(),
            "todo": todo,
            "todo_waiting": any(item.count for item, _entries in todo),
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


@role_required(Role.FAO)
@require_GET
def audit_trail(request: HttpRequest) -> HttpResponse:
    from .forms_audit import AuditFilterForm
    from .selectors import audit_trail_page

    form = AuditFilterForm(request.GET or None)
    result = None
    if not (form.is_bound and not form.is_valid()):
        filters = form.filters() if form.is_bound else {}
        result = audit_trail_page(
            filters=filters,
            page_number=request.GET.get("page"),
            admin_links=request.user.is_staff,
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_trail.html",
        {
            "form": form,
            "result": result,
            "query": query.urlencode(),
            "filter_values": [(k, v) for k, v in request.GET.items() if k in form.fields],
        },
    )


@role_required(Role.FAO)
@require_POST
def audit_trail_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    from .audit_export import audit_export_request
    from .forms_audit import AuditFilterForm

    form = AuditFilterForm(request.POST)
    if not form.is_valid():
        messages.warning(request, _("Correct the filters above."))
        return redirect("core:audit")
    job, dispatch = audit_export_request(
        filters=form.filters(),
        language=translation.get_language() or "th",
        acting_user=request.user,
    )
    if dispatch is not None and dispatch.published is False:
        messages.warning(request, QUEUE_DOWN_MESSAGE)
    return redirect("core:audit-export-detail", pk=job.pk)


@role_required(Role.FAO)
@require_GET
def audit_export_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    from .audit_export import AUDIT_EXPORTS

    # Another officer's export (personal data) is not theirs to read.
    job = AUDIT_EXPORTS.for_user(export_id=pk, user=request.user)
    if job is None:
        raise Http404
    return render(request, "core/audit_export.html", {"job": job})


@role_required(Role.FAO)
@require_GET
def audit_export_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    from .audit_export import AUDIT_EXPORTS

    found = AUDIT_EXPORTS.file_for(export_id=pk, user=request.user)
    if found is None:
        raise Http404
    return FileResponse(found[1], as_attachment=True, filename="bbportal-audit-trail.xlsx")
