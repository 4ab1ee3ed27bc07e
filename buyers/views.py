"""The public showcase (a token, no account) and FAO's page of a session's links.

Public pages are rendered under translation.override with the language of the URL: the
staff portal's languages (settings.LANGUAGES, Thai and English) are left alone.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.languages import FALLBACK, PUBLIC_CODES, PUBLIC_LANGUAGES, chosen, city_language
from core.permissions import role_required
from core.roles import Role
from core.view_helpers import get_or_404, run_service
from meetings.models import Session

from . import photos, ratelimit, selectors, services
from .forms import ExchangeRateForm, LinkEnableForm
from .models import ShowcaseLink
from .pdf import product_sheet_pdf


def _visitor_language(request: HttpRequest, lang: str | None) -> str:
    """The URL's language, else the first showcase language the browser asks for."""
    if chosen(lang):
        return chosen(lang)
    accepted = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for part in accepted.split(","):
        code = part.split(";")[0].strip().lower()
        if code.startswith("zh"):
            code = "zh-hans"
        code = code.split("-")[0] if code != "zh-hans" else code
        if code in PUBLIC_CODES:
            return code
    return FALLBACK


def _closed(request: HttpRequest, token: str, lang: str | None) -> HttpResponse:
    language = _visitor_language(request, lang)
    state = selectors.showcase_link_state(token)
    with translation.override(language):
        return render(
            request,
            "buyers/closed.html",
            {"language": language, "state": state},
            status=410 if state == "gone" else 404,
        )


def _too_many(request: HttpRequest, lang: str | None) -> HttpResponse:
    language = _visitor_language(request, lang)
    with translation.override(language):
        response = render(
            request, "buyers/closed.html", {"language": language, "state": "busy"}, status=429
        )
    response["Retry-After"] = str(ratelimit.WINDOW_SECONDS)
    return response


def _open(request: HttpRequest, token: str, lang: str | None):
    """The live link, or the response that refuses it."""
    if not ratelimit.allow(token):
        return None, _too_many(request, lang)
    link = selectors.showcase_link_for_token(token)
    if link is None:
        return None, _closed(request, token, lang)
    return link, None


# Compressed: 50 products' srcsets repeat the token; gzip makes the page a fifth of its size
# on a slow phone link. Safe from BREACH: the page reflects nothing the visitor sends (the
# language is one of five fixed codes) and carries no CSRF token.
@gzip_page
@require_GET
def showcase(request: HttpRequest, token: str, lang: str | None = None) -> HttpResponse:
    link, refused = _open(request, token, lang)
    if refused:
        return refused
    if lang is None or chosen(lang) is None:
        # No language, or one the showcase does not have: the city's.
        return redirect("showcase:page", token=token, lang=city_language(link.city))
    language = chosen(lang)
    services.showcase_visit_count(link=link)
    content = selectors.showcase_content(link, language)
    # One reverse() for the page's 200 photo addresses (50 products × 4 sizes), not one each.
    photo_base = reverse("showcase:photo", args=[token, 1, 320]).removesuffix("/1/320.jpg")
    photos = {
        product.pk: {
            "src": f"{photo_base}/{product.photo_ids[0]}/{selectors.PHOTO_WIDTHS[0]}.jpg",
            "srcset": ", ".join(
                f"{photo_base}/{product.photo_ids[0]}/{w}.jpg {w}w" for w in selectors.PHOTO_WIDTHS
            ),
        }
        for vendor in content.vendors
        for product in vendor.products
        if product.photo_ids
    }
    for vendor in content.vendors:
        for product in vendor.products:
            product.photo = photos.get(product.pk)
    with translation.override(language):
        response = render(
            request,
            "buyers/showcase.html",
            {
                "showcase": content,
                "language": language,
                "languages": PUBLIC_LANGUAGES,
                "widths": selectors.PHOTO_WIDTHS,
                "session": link.session,
                "city": link.city,
                "city_name": link.city.name_th if language == "th" else link.city.name_en,
            },
        )
    # The token is the key: never let a shared cache keep the page or the Referer leak it.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def showcase_photo(request: HttpRequest, token: str, photo_id: int, width: int) -> FileResponse:
    link, refused = _open(request, token, None)
    if refused:
        return refused
    if width not in selectors.PHOTO_WIDTHS:
        raise Http404
    photo = selectors.showcase_photo(link, photo_id)
    if photo is None:
        raise Http404
    try:
        path = photos.sized(Path(photo.image.path), width)
    except (photos.PhotoUnreadable, FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"
    return response


@require_GET
def product_sheet(request: HttpRequest, token: str, lang: str, vendor_id: int) -> HttpResponse:
    link, refused = _open(request, token, lang)
    if refused:
        return refused
    language = chosen(lang)
    if language is None:
        raise Http404
    content = selectors.showcase_content(link, language)
    vendor = next((v for v in content.vendors if v.pk == vendor_id), None)
    if vendor is None:
        raise Http404
    with translation.override(language):
        pdf = product_sheet_pdf(
            {
                "showcase": content,
                "vendor": vendor,
                "language": language,
                "photo_paths": selectors.sheet_photo_paths(vendor),
                "session": link.session,
                "city": link.city,
            }
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"product-sheet-{vendor_id}-{language}.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- FAO: the links of a session -----------------------------------------------------------


@role_required(Role.FAO)
@require_GET
def session_links(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_or_404(Session.objects.get, pk=session_id)
    rows = [
        {
            "city": city,
            "link": link,
            "live": link is not None and selectors.showcase_link_for_token(link.token) is not None,
            "url": selectors.showcase_url(link) if link else "",
            "visits": selectors.visits_of_link(link) if link else 0,
        }
        for city, link in selectors.showcase_links_of_session(session)
    ]
    return render(
        request,
        "buyers/session_links.html",
        {
            "session": session,
            "rows": rows,
            "form": LinkEnableForm(
                initial={"expires_on": timezone.localdate() + dt.timedelta(days=90)}
            ),
            "rate_form": ExchangeRateForm(),
        },
    )


@role_required(Role.FAO)
@require_POST
def link_enable(request: HttpRequest, session_id: int, city_id: int) -> HttpResponse:
    session = get_or_404(Session.objects.get, pk=session_id)
    city = get_or_404(session.cities.get, pk=city_id)
    form = LinkEnableForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.showcase_link_enable(
                session=session,
                city=city,
                expires_on=form.cleaned_data["expires_on"],
                acting_user=request.user,
            ),
            _("The showcase link of %(city)s is on.") % {"city": city},
            joined=True,
        )
    else:
        messages.error(request, _("Give the date until which the link stays open."))
    return redirect("buyers:session-links", session_id=session.pk)


@role_required(Role.FAO)
@require_POST
def link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_or_404(ShowcaseLink.objects.get, pk=pk)
    services.showcase_link_revoke(link=link, acting_user=request.user)
    messages.success(request, _("The showcase link of %(city)s is revoked.") % {"city": link.city})
    return redirect("buyers:session-links", session_id=link.session_id)


@role_required(Role.FAO)
@require_http_methods(["POST"])
def rate_record(request: HttpRequest, session_id: int) -> HttpResponse:
    form = ExchangeRateForm(request.POST)
    if form.is_valid():
        services.exchange_rate_record(acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("The exchange rate is recorded."))
    else:
        messages.error(request, _("Give a currency, a rate above zero and its date."))
    return redirect("buyers:session-links", session_id=session_id)
