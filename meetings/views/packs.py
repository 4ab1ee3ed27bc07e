"""The coordination pack: FAO's pages (a session's packs, preview, PDF, send, review) and
the city's (the pack and its participants form), which open with the pack's token alone."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.permissions import role_required
from core.ratelimit import over_rate
from core.roles import Role
from core.view_helpers import get_or_404, run_service

from ..models import CityPack, PackParticipant
from ..pack_forms import (
    HoneypotForm,
    PackCreateForm,
    ReviewForm,
    participant_formset,
    participant_inputs,
)
from ..pack_pdf import pack_pdf
from ..packs import pack_for_page, pack_languages, pack_page
from ..selectors import session_get
from ..services import packs as services

# A city sends its list a few times at most; anything beyond is a robot or a loop.
FORM_POSTS_PER_HOUR = 20
PAGE_VIEWS_PER_MINUTE = 60


@role_required(Role.FAO)
@require_http_methods(["GET", "POST"])
def session_packs_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_or_404(session_get, session_id)
    form = PackCreateForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.pack_create(
                session=session, city=form.cleaned_data["city"], acting_user=request.user
            ),
            _("The pack was made: preview it, then send it to the city."),
            form=form,
        )
        if done:
            return redirect("meetings:session-packs", session_id=session.pk)
    packs = (
        CityPack.objects.filter(session=session)
        .select_related("city", "reviewed_by")
        .order_by("city__name_en")
    )
    pending = _pending_counts(session)
    rows = [
        {"pack": p, "url": services.pack_url(p), "pending": pending.get(p.pk, 0)} for p in packs
    ]
    return render(
        request,
        "meetings/packs.html",
        {"session": session, "rows": rows, "form": form},
    )


def _pending_counts(session) -> dict[int, int]:
    from django.db.models import Count

    return dict(
        PackParticipant.objects.filter(pack__session=session, status=PackParticipant.Status.PENDING)
        .values("pack_id")
        .annotate(n=Count("pk"))
        .values_list("pack_id", "n")
    )


def _pack_action(request: HttpRequest, pack_id: int, call, success: str) -> HttpResponse:
    pack = get_or_404(CityPack.objects.get, pk=pack_id)
    run_service(request, lambda: call(pack=pack, acting_user=request.user), success)
    return redirect("meetings:session-packs", session_id=pack.session_id)


@role_required(Role.FAO)
@require_POST
def pack_enable_view(request: HttpRequest, pack_id: int) -> HttpResponse:
    return _pack_action(
        request, pack_id, services.pack_enable, _("The link is open again for 60 days.")
    )


@role_required(Role.FAO)
@require_POST
def pack_revoke_view(request: HttpRequest, pack_id: int) -> HttpResponse:
    return _pack_action(
        request, pack_id, services.pack_revoke, _("The link was withdrawn: it no longer opens.")
    )


@role_required(Role.FAO)
@require_POST
def pack_send_view(request: HttpRequest, pack_id: int) -> HttpResponse:
    return _pack_action(
        request,
        pack_id,
        services.pack_send,
        _("The pack is in the outbox, on its way to the city's contacts."),
    )


def _page_response(request, pack: CityPack, *, public: bool) -> HttpResponse:
    page = pack_page(pack)
    return render(
        request,
        "meetings/pack.html",
        {
            "page": page,
            "public": public,
            "form_url": (
                reverse("meetings:pack-participants", args=[pack.token])
                + f"?lang={translation.get_language()}"
                if public
                else ""
            ),
            "pdf_name": "pack-public-pdf" if public else "pack-pdf",
        },
    )


def _pdf_response(request, pack: CityPack) -> HttpResponse:
    content = pack_pdf(pack_page(pack), request=request)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"bb-pack-{pack.session.year.fiscal_year}-{pack.session.number}-{pack.city_id}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(Role.FAO)
def pack_preview_view(request: HttpRequest, pack_id: int) -> HttpResponse:
    return _page_response(request, get_or_404(pack_for_page, pack_id), public=False)


@role_required(Role.FAO)
def pack_pdf_view(request: HttpRequest, pack_id: int) -> HttpResponse:
    return _pdf_response(request, get_or_404(pack_for_page, pack_id))


@role_required(Role.FAO)
@require_http_methods(["GET", "POST"])
def pack_review_view(request: HttpRequest, pack_id: int) -> HttpResponse:
    pack = get_or_404(pack_for_page, pack_id)
    entries = list(pack.entries.all())
    pending_ids = [e.pk for e in entries if e.status == PackParticipant.Status.PENDING]
    form = ReviewForm(request.POST or None, pending_ids=pending_ids)
    if request.method == "POST":
        if form.is_valid():
            accept, reject = form.accept_reject()
            done = run_service(
                request,
                lambda: services.pack_participants_review(
                    pack=pack, accept=accept, reject=reject, acting_user=request.user
                ),
                lambda counts: (
                    _("Accepted: %(accepted)s. Rejected: %(rejected)s.")
                    % {"accepted": counts[0], "rejected": counts[1]}
                ),
            )
            if done:
                return redirect("meetings:pack-review", pack_id=pack.pk)
        else:
            messages.error(request, _("Choose the participants and what to do with them."))
    return render(
        request,
        "meetings/pack_review.html",
        {"pack": pack, "entries": entries, "pending_ids": pending_ids},
    )


# --- the city's pages: the token is their only credential ---------------------------------


def _public_language(request: HttpRequest, pack: CityPack) -> str:
    codes = [code for code, _name in pack_languages(pack.city)]
    asked = request.GET.get("lang", "")
    return asked if asked in codes else codes[-1]


def _resolve(request: HttpRequest, token: str):
    try:
        return services.pack_resolve(token), None
    except services.PackLinkError as exc:
        return None, render(
            request, "meetings/pack_invalid.html", {"message": str(exc)}, status=403
        )


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "meetings/pack_invalid.html",
        {"message": _("Too many requests with this link. Please try again in an hour.")},
        status=429,
    )
    response["Retry-After"] = "3600"
    return response


@require_http_methods(["GET"])
def pack_public_view(request: HttpRequest, token: str) -> HttpResponse:
    pack, refused = _resolve(request, token)
    if refused:
        return refused
    if over_rate(f"pack-view:{pack.pk}", PAGE_VIEWS_PER_MINUTE):
        return _too_many(request)
    with translation.override(_public_language(request, pack)):
        return _page_response(request, pack, public=True)


@require_http_methods(["GET"])
def pack_public_pdf_view(request: HttpRequest, token: str) -> HttpResponse:
    pack, refused = _resolve(request, token)
    if refused:
        return refused
    if over_rate(f"pack-pdf:{pack.pk}", 10):
        return _too_many(request)
    with translation.override(_public_language(request, pack)):
        return _pdf_response(request, pack_for_page(pack.pk))


@require_http_methods(["GET", "POST"])
def pack_participants_view(request: HttpRequest, token: str) -> HttpResponse:
    pack, refused = _resolve(request, token)
    if refused:
        return refused
    language = _public_language(request, pack)
    with translation.override(language):
        saved = False
        errors: list[str] = []
        if request.method == "POST":
            if over_rate(f"pack-form:{pack.pk}", FORM_POSTS_PER_HOUR, 3600):
                return _too_many(request)
            formset = participant_formset(request.POST)
            if HoneypotForm(request.POST).is_robot():
                # Answered as a success, so that the robot learns nothing; nothing is kept.
                saved = True
                formset = participant_formset()
            elif formset.is_valid():
                rows = participant_inputs(formset)
                result = run_service(
                    request,
                    lambda: services.pack_participants_submit(pack=pack, rows=rows),
                    quiet=True,
                )
                errors = result.messages
                if result:
                    messages.success(
                        request,
                        _(
                            "Thank you. The Foreign Affairs Office of Bangkok will review "
                            "your list before anyone is invited."
                        )
                        if result.value
                        else _("Your list has not changed."),
                    )
                    return redirect(f"{request.path}?lang={language}")
        entries = list(pack.entries.all())
        if request.method != "POST":
            formset = participant_formset(
                entries=[e for e in entries if e.status == PackParticipant.Status.PENDING]
            )
        return render(
            request,
            "meetings/pack_participants.html",
            {
                "pack": pack,
                "formset": formset,
                "errors": errors,
                "saved": saved,
                "entries": entries,
                "language": language,
                "languages": pack_languages(pack.city),
                "page_url": reverse("meetings:pack-public", args=[pack.token]),
            },
        )
