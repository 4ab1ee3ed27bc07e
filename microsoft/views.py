"""Sign in with Microsoft: the two steps of the Entra ID flow (entra.py)."""

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import entra
from .services import user_sign_in_from_entra


def _entra_not_configured(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registration/entra_error.html",
        {"message": _("Microsoft sign-in is not configured for this portal.")},
        status=404,
    )


@require_GET
def entra_begin(request: HttpRequest) -> HttpResponse:
    if not entra.is_enabled():
        return _entra_not_configured(request)
    try:
        url = entra.begin(request.session, request.build_absolute_uri(reverse("entra-callback")))
    except entra.EntraSignInError as exc:
        return render(request, "registration/entra_error.html", {"message": exc}, status=502)
    return redirect(url)


@require_GET
def entra_callback(request: HttpRequest) -> HttpResponse:
    if not entra.is_enabled():
        return _entra_not_configured(request)
    try:
        identity = entra.complete(request.session, request.GET.dict())
        user = user_sign_in_from_entra(identity=identity)
    except entra.NoPortalRole:
        return render(request, "registration/entra_no_access.html", status=403)
    except entra.EntraSignInError as exc:
        return render(request, "registration/entra_error.html", {"message": exc}, status=400)
    login(request, user, backend="core.auth_backends.PortalBackend")
    return redirect("home")
