"""Pages of outcome submissions (SDO enters, FAO reviews) and the vendor's own link; the
upload is in upload_views.py, the dashboard and statistics in dashboard_views.py. Each
view checks the role, validates, calls one service or selector and renders."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.confirm import Confirmation, confirmation_page
from core.permissions import AuthenticatedHttpRequest, role_required
from core.roles import Role
from core.view_helpers import get_or_404, run_service
from core.views import QUEUE_DOWN_MESSAGE
from notifications.services import line_invite_for_vendor

from . import links, policy, selectors, services
from .forms import (
    ReturnForm,
    SubmissionCreateForm,
    SubmissionNotesForm,
    VendorLinkForm,
    contact_inputs,
    line_formsets,
    order_inputs,
)
from .models import Submission

READERS = (Role.FAO, Role.SDO, Role.EXECUTIVE)
EDITORS = (Role.FAO, Role.SDO)
DASHBOARD_ROLES = (Role.FAO, Role.EXECUTIVE)
PAGE_SIZE = 50


# Ids are 64-bit: a larger number in a filter can name no row, and the database refuses it.
MAX_ID = 2**63 - 1


def int_or_none(value: str | None) -> int | None:
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is None or 0 < number <= MAX_ID else None


# --- Submissions ----------------------------------------------------------------------------


@role_required(*READERS)
@require_GET
def submission_list(request: HttpRequest) -> HttpResponse:
    period_id = int_or_none(request.GET.get("period"))
    status = request.GET.get("status") or None
    if status not in Submission.Status.values:
        status = None
    search = (request.GET.get("q") or "").strip()[:100]
    overdue = request.GET.get("overdue") == "1"
    submissions = selectors.submission_list(
        period_id=period_id, status=status, search=search, overdue=overdue
    )
    page = Paginator(submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outcomes/submission_list.html",
        {
            "page": page,
            "periods": list(selectors.reporting_periods()),
            "statuses": Submission.Status.choices,
            "selected_period": period_id,
            "selected_status": status,
            "overdue": overdue,
            "search": search,
            "can_create": policy.is_sdo(request.user) or policy.is_fao(request.user),
        },
    )


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def submission_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SubmissionCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = run_service(
            request,
            lambda: services.submission_create(
                vendor=form.cleaned_data["vendor"],
                half=form.cleaned_data["half"],
                acting_user=request.user,
            ),
            _("The submission was created. Enter its contacts and orders."),
            form=form,
        )
        if created:
            return redirect("outcomes:submission-edit", pk=created.returned.pk)
    return render(request, "outcomes/submission_create.html", {"form": form})


@role_required(*READERS)
@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_or_404(selectors.submission_detail, pk=pk)
    user = request.user
    return render(
        request,
        "outcomes/submission_detail.html",
        {
            "submission": submission,
            "history": selectors.submission_history(submission=submission),
            "can_edit": policy.can_edit(submission, user),
            "can_submit": policy.can_submit(submission, user),
            "can_review": policy.can_review(submission, user),
            "can_reopen": policy.can_reopen(submission, user),
            "only_fao_may_change": policy.only_fao_may_change(submission),
            "link_form": VendorLinkForm(initial={"email": submission.vendor.email}),
        },
    )


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def submission_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = get_or_404(Submission.objects.select_related("vendor", "period").get, pk=pk)
    if not policy.can_edit(submission, request.user):
        messages.error(request, _("This submission can no longer be changed."))
        return redirect("outcomes:submission-detail", pk=pk)
    choices = selectors.entry_choices(vendor=submission.vendor)
    data = request.POST if request.method == "POST" else None
    contacts, orders = line_formsets(submission=submission, choices=choices, data=data)
    notes_form = SubmissionNotesForm(data, initial={"notes": submission.notes})
    errors: list[str] = []
    if data is not None and contacts.is_valid() and orders.is_valid() and notes_form.is_valid():
        saved = run_service(
            request,
            lambda: services.submission_save_lines(
                submission=submission,
                contacts=contact_inputs(contacts),
                orders=order_inputs(orders),
                notes=notes_form.cleaned_data["notes"],
                acting_user=request.user,
            ),
            _("The submission was saved."),
            quiet=True,
        )
        if saved:
            return redirect("outcomes:submission-detail", pk=pk)
        errors = saved.messages
    return render(
        request,
        "outcomes/submission_edit.html",
        {
            "submission": submission,
            "contacts": contacts,
            "orders": orders,
            "notes_form": notes_form,
            "errors": errors,
            "has_products": bool(choices.products),
        },
    )


def _transition(
    request: HttpRequest, pk: int, action, success: str, queued: str | None = None
) -> HttpResponse:
    """Run a review action. One that queues work returns (submission, dispatch): `queued`
    is said when it reached the worker; when it did not, `success` and that it waits."""
    submission = get_or_404(Submission.objects.get, pk=pk)
    done = run_service(request, lambda: action(submission))
    if done:
        result = done.value
        dispatch = result[1] if isinstance(result, tuple) else None
        if dispatch is not None and dispatch.published is False:
            messages.success(request, success)
            messages.warning(request, QUEUE_DOWN_MESSAGE)
        else:
            messages.success(request, queued if dispatch is not None and queued else success)
    return redirect("outcomes:submission-detail", pk=pk)


# Lazy: translated when shown, in the reader's language. What follows is what the services
# and outcomes/policy.py do: a submitted submission is out of SDO's hands (only FAO returns
# it), an accepted one counts and is closed until FAO reopens it with a reason.
SUBMIT = Confirmation(
    title=gettext_lazy("Submit to FAO?"),
    consequence=gettext_lazy(
        "FAO is told and reviews the submission. From then on it cannot be changed here: "
        "if something is wrong, only FAO can return it to SDO."
    ),
    button=gettext_lazy("Yes, submit to FAO"),
)
ACCEPT = Confirmation(
    title=gettext_lazy("Accept the submission?"),
    consequence=gettext_lazy(
        "Its contacts and orders then count in the statistics and the KPI, which is "
        "recomputed, and nobody can change it any more. To undo, return it to SDO with a "
        "reason: they stop counting until it is accepted again."
    ),
    button=gettext_lazy("Yes, accept"),
)
RETURN = Confirmation(
    title=gettext_lazy("Return the submission to SDO?"),
    consequence=gettext_lazy(
        "SDO sees your reason and can change the submission and submit it again; a vendor "
        "that filled it in through its link is told."
    ),
    button=gettext_lazy("Yes, return to SDO"),
)
REOPEN = Confirmation(
    title=RETURN.title,
    consequence=gettext_lazy(
        "Its contacts and orders stop counting in the statistics and the KPI at once, until "
        "it is accepted again. SDO sees your reason and can change the submission and "
        "submit it again."
    ),
    button=RETURN.button,
    danger=True,
)


def _ask(request: HttpRequest, pk: int, confirmation: Confirmation, form=None) -> HttpResponse:
    submission = get_or_404(selectors.submission_detail, pk=pk)
    return confirmation_page(
        request,
        confirmation,
        back_url=reverse("outcomes:submission-detail", kwargs={"pk": pk}),
        form=form,
        subject=submission,
    )


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def submission_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        return _ask(request, pk, SUBMIT)
    return _transition(
        request,
        pk,
        lambda s: services.submission_submit(submission=s, acting_user=request.user),
        _("The submission was sent to FAO for review."),
    )


@role_required(Role.FAO)
@require_http_methods(["GET", "POST"])
def submission_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        return _ask(request, pk, ACCEPT)
    return _transition(
        request,
        pk,
        lambda s: services.submission_accept(submission=s, acting_user=request.user),
        _("The submission was accepted."),
        _("The submission was accepted. The KPI is being recomputed."),
    )


@role_required(Role.FAO)
@require_http_methods(["GET", "POST"])
def submission_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Returning is the undo of accepting too: the confirmation says which it is."""
    submission = get_or_404(Submission.objects.get, pk=pk)
    confirmation = REOPEN if policy.can_reopen(submission, request.user) else RETURN
    form = ReturnForm(request.POST or None)
    if request.method == "GET":
        return _ask(request, pk, confirmation, form)
    if not form.is_valid():
        messages.error(request, _("Say why the submission goes back to SDO."))
        return _ask(request, pk, confirmation, form)
    reason = form.cleaned_data["reason"]

    def send_back(submission: Submission):
        # An accepted submission goes back through reopen, which also recomputes the KPI.
        service = (
            services.submission_reopen
            if submission.status == Submission.Status.ACCEPTED
            else services.submission_return
        )
        return service(submission=submission, reason=reason, acting_user=request.user)

    return _transition(request, pk, send_back, _("The submission was returned to SDO."))


# --- The vendor's link ------------------------------------------------------------------------


@role_required(*EDITORS)
@require_POST
def vendor_link_create(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_or_404(Submission.objects.select_related("vendor", "period").get, pk=pk)
    form = VendorLinkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, cast(str, message))  # an ErrorList iterates as its messages
        return redirect("outcomes:submission-detail", pk=pk)
    created = run_service(
        request,
        lambda: links.vendor_link_create(
            submission=submission,
            email=form.cleaned_data["email"],
            days=form.cleaned_data["days"],
            acting_user=request.user,
        ),
    )
    if not created:
        return redirect("outcomes:submission-detail", pk=pk)
    link = created.returned
    return render(
        request,
        "outcomes/vendor_link_created.html",
        {"submission": submission, "link": link, "url": links.vendor_link_url(link)},
    )


@role_required(*EDITORS)
@require_POST
def vendor_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_or_404(links.VendorLink.objects.get, pk=pk)
    links.vendor_link_revoke(link=link, acting_user=request.user)
    messages.success(request, _("The link was withdrawn: it no longer opens the form."))
    return redirect("outcomes:submission-detail", pk=link.submission_id)


# Deliberately open without an account: the signed token is the vendor's only credential.
@require_http_methods(["GET", "POST"])
def vendor_form(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = links.vendor_link_resolve(token)
    except links.LinkError as exc:
        return render(
            request, "outcomes/vendor_link_invalid.html", {"message": str(exc)}, status=403
        )
    submission = link.submission
    if not policy.vendor_can_edit(submission):
        return render(request, "outcomes/vendor_form_closed.html", {"submission": submission})
    choices = selectors.entry_choices(vendor=submission.vendor)
    data = request.POST if request.method == "POST" else None
    contacts, orders = line_formsets(submission=submission, choices=choices, data=data)
    errors: list[str] = []
    saved = False
    if data is not None and contacts.is_valid() and orders.is_valid():
        entered = run_service(
            request,
            lambda: services.submission_save_lines(
                submission=submission,
                contacts=contact_inputs(contacts),
                orders=order_inputs(orders),
                acting_user=None,
                entered_via=Submission.EnteredVia.VENDOR_LINK,
                by_vendor=True,
            ),
            quiet=True,
        )
        errors = entered.messages
        if entered:
            links.vendor_link_touch(link=link)
            saved = True
            contacts, orders = line_formsets(submission=submission, choices=choices)
    return render(
        request,
        "outcomes/vendor_form.html",
        {
            "submission": submission,
            "link": link,
            "contacts": contacts,
            "orders": orders,
            "errors": errors,
            "saved": saved,
            "has_products": bool(choices.products),
            "line": line_invite_for_vendor(submission.vendor),
        },
    )
