from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.permissions import AuthenticatedHttpRequest, role_required, signed_in_user
from core.ratelimit import client_address, over_rate
from core.roles import ALL_ROLES, Role
from core.view_helpers import get_or_404

from . import selectors, services
from .webhook import BadSignature, line_webhook_handle

logger = logging.getLogger(__name__)


@csrf_exempt  # LINE signs the body instead; the signature is checked before anything else
@require_POST
def line_webhook(request: HttpRequest) -> HttpResponse:
    if not settings.LINE_CHANNEL_SECRET:
        raise Http404
    ip = client_address(request)
    if over_rate(f"line-webhook:{ip}", settings.LINE_WEBHOOK_RATE_PER_MINUTE):
        return HttpResponse(status=429, headers={"Retry-After": "60"})
    try:
        line_webhook_handle(
            body=request.body, signature=request.headers.get("X-Line-Signature", "")
        )
    except BadSignature:
        logger.warning("LINE webhook: bad signature from %s", ip)
        return HttpResponse(status=403)
    return HttpResponse(status=200)


@role_required(Role.SDO, Role.FAO)
@require_http_methods(["GET", "POST"])
def vendor_line_code(request: HttpRequest, vendor_id: int) -> HttpResponse:
    """The vendor's one-time LINE code, on a page SDO prints or reads out."""
    from vendors.models import Vendor

    vendor = get_or_404(Vendor.objects.select_related("line_link").get, pk=vendor_id)
    key = f"line-code-issue:{request.user.pk}"
    if over_rate(key, 60, 3600):
        return HttpResponse(status=429, headers={"Retry-After": "3600"})
    code = services.line_link_code_issue(vendor=vendor, acting_user=signed_in_user(request))
    return render(
        request,
        "notifications/vendor_line_code.html",
        {"vendor": vendor, "code": code, **services.line_invite_context()},
    )


@role_required(Role.FAO)
def line_status(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/status.html",
        {"line": selectors.line_status(), "counts": selectors.outbox_counts_labelled()},
    )


@role_required(*ALL_ROLES)
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's own choice of how they hear that something became their turn."""
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from .forms import StaffPreferenceForm
    from .staff import staff_preference, staff_preference_update

    current = staff_preference(request.user)
    form = StaffPreferenceForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        staff_preference_update(
            user=request.user,
            delivery=form.cleaned_data["delivery"],
            language=form.cleaned_data["language"],
            acting_user=request.user,
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
    )
