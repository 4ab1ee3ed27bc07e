from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .fiscal import current_fiscal_year
from .permissions import role_required
from .roles import ALL_ROLES, Role, roles_of
from .selectors import worker_ping_last_answered, worker_ping_latest
from .services import worker_ping_request

ROLE_ORDER = (Role.FAO, Role.SDO, Role.SEO, Role.EXECUTIVE)


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
        worker_ping_request(acting_user=request.user)
        messages.info(
            request, _("A ping was sent to the worker. Reload this page in a few seconds.")
        )
        return redirect("core:system-status")
    return render(
        request,
        "core/system_status.html",
        {
            "latest": worker_ping_latest(),
            "last_answered": worker_ping_last_answered(),
        },
    )


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked username: a page in the user's language."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
    return render(
        request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429
    )


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: answers 200 only when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
