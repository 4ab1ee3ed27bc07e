"""The buyer's contact form (public, opened by the showcase token) and the staff's pages
about leads."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.permissions import AuthenticatedHttpRequest, role_required
from core.ratelimit import client_address
from core.roles import Role
from core.view_helpers import get_or_404, run_service
from meetings.models import ShortlistEntry

from . import meetings_leads, policy, ratelimit, selectors, selectors_leads, services_leads
from .forms_leads import (
    FollowUpMeetingForm,
    LeadFilterForm,
    LeadFollowUpForm,
    LeadRequestForm,
    LeadStatusForm,
)
from .languages import showcase_language

PAGE_SIZE = 25
STAFF = (Role.FAO, Role.SDO)


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None


def _showcase_entry(link, vendor_id: int) -> ShortlistEntry:
    return (
        ShortlistEntry.objects.select_related("vendor")
        .prefetch_related("products")
        .get(session_id=link.session_id, vendor_id=vendor_id)
    )


# Deliberately open without an account: the showcase token is the buyer's only key.
@require_http_methods(["GET", "POST"])
def lead_request(request: HttpRequest, token: str, vendor_id: int) -> HttpResponse:
    link = selectors.showcase_link_for_token(token)
    if link is None:
        raise Http404("no such showcase")
    entry = get_or_404(_showcase_entry, link, vendor_id)
    lang = showcase_language(request.GET.get("lang"), city=link.city)
    product = None
    product_id = _int(request.GET.get("product"))
    if product_id is not None:
        product = next((p for p in entry.products.all() if p.pk == product_id), None)
    with translation.override(lang):
        form = LeadRequestForm(request.POST if request.method == "POST" else None)
        errors: list[str] = []
        status = 200
        if request.method == "POST":
            if request.POST.get("website"):  # the honeypot: a robot, thanked and ignored
                return render(request, "buyers/lead_thanks.html", {"lang": lang, "entry": entry})
            if not ratelimit.allowed(token=token, address=client_address(request)):
                errors = [_("Too many requests were sent from here. Please try again later.")]
                status = 429
            elif form.is_valid():
                data = form.cleaned_data
                result = run_service(
                    request,
                    lambda: services_leads.lead_create(
                        link=link,
                        vendor_id=entry.vendor_id,
                        product_id=product.pk if product else None,
                        data=services_leads.LeadInput(
                            **{k: data[k] for k in services_leads.LeadInput.__annotations__}
                        ),
                        language=lang,
                    ),
                    quiet=True,
                )
                if result:
                    return render(
                        request, "buyers/lead_thanks.html", {"lang": lang, "entry": entry}
                    )
                errors = result.messages
        return render(
            request,
            "buyers/lead_request.html",
            {"form": form, "entry": entry, "product": product, "errors": errors, "lang": lang},
            status=status,
        )


@role_required(*STAFF)
@require_GET
def lead_list(request: HttpRequest) -> HttpResponse:
    form = LeadFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    leads = selectors_leads.leads_list(
        status=filters.get("status", ""),
        session_id=filters["session"].pk if filters.get("session") else None,
        city_id=filters["city"].pk if filters.get("city") else None,
        due=timezone.localdate() if filters.get("due") else None,
    )
    page = Paginator(leads, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "buyers/lead_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "funnel": selectors_leads.funnel_rows(),
        },
    )


@role_required(*STAFF)
@require_GET
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_or_404(selectors_leads.lead_detail, pk)
    return render(
        request,
        "buyers/lead_detail.html",
        {
            "lead": lead,
            "follow_up": LeadFollowUpForm(
                initial={"notes": lead.notes, "follow_up_on": lead.follow_up_on}
            ),
            "next_statuses": [(s, s.label) for s in policy.next_statuses(lead)],
            "can_verify": policy.can_verify(lead),
            "meetings": selectors_leads.lead_meetings(lead),
            "meeting_form": FollowUpMeetingForm(initial={"minutes": 30})
            if policy.can_schedule_meeting(lead)
            else None,
        },
    )


@role_required(*STAFF)
@require_POST
def lead_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    lead = get_or_404(selectors_leads.lead_detail, pk)
    form = LeadStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This lead cannot move to that status."))
    else:
        run_service(
            request,
            lambda: services_leads.lead_status_change(
                lead=lead, status=form.cleaned_data["status"], acting_user=request.user
            ),
            _("The status of the lead was changed."),
        )
    return redirect("buyers:lead-detail", pk=pk)


@role_required(*STAFF)
@require_POST
def lead_follow_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    lead = get_or_404(selectors_leads.lead_detail, pk)
    form = LeadFollowUpForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, str(error[0]))
    else:
        run_service(
            request,
            lambda: services_leads.lead_follow_up_save(
                lead=lead,
                notes=form.cleaned_data["notes"],
                follow_up_on=form.cleaned_data["follow_up_on"],
                acting_user=request.user,
            ),
            _("The notes and follow-up date were saved."),
        )
    return redirect("buyers:lead-detail", pk=pk)


# SDO, who knows the vendors, says whether a request is real (the KPI's rule).
@role_required(Role.SDO)
@require_POST
def lead_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    lead = get_or_404(selectors_leads.lead_detail, pk)
    run_service(
        request,
        lambda: services_leads.lead_confirm(lead=lead, acting_user=request.user),
        _("The lead was confirmed as a real buying contact."),
    )
    return redirect("buyers:lead-detail", pk=pk)


@role_required(Role.SDO)
@require_POST
def lead_reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    lead = get_or_404(selectors_leads.lead_detail, pk)
    run_service(
        request,
        lambda: services_leads.lead_reject(lead=lead, acting_user=request.user),
        _("The lead was rejected: it does not count as a contact."),
    )
    return redirect("buyers:lead-detail", pk=pk)


@role_required(*STAFF)
@require_POST
def lead_meeting(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    lead = get_or_404(selectors_leads.lead_detail, pk)
    form = FollowUpMeetingForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, str(error[0]))
    else:
        run_service(
            request,
            lambda: meetings_leads.follow_up_meeting_request(
                lead=lead,
                starts_at=form.cleaned_data["starts_at"],
                minutes=form.cleaned_data["minutes"],
                acting_user=request.user,
            ),
            _("The meeting was asked of Teams; it shows as confirmed once Teams has made it."),
        )
    return redirect("buyers:lead-detail", pk=pk)
