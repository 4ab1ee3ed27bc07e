"""FAO generates and keeps the documents; executives read them. Files are served only
through these views, after the role check."""

from __future__ import annotations

from pathlib import PurePath
from typing import cast

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.confirm import Confirmation, confirmation_page
from core.permissions import AuthenticatedHttpRequest, role_required
from core.roles import Role, has_role
from core.view_helpers import get_or_404, run_service
from meetings.models import ProgrammeYear

from . import selectors, services
from .forms import GenerateConfirmForm, GenerateForm, ReplyForm, SentForm, SignedCopyForm
from .models import Document, DocumentVersion, NumberSequence, WorkingGroup

MANAGERS = frozenset({Role.FAO})
READERS = frozenset({Role.FAO, Role.EXECUTIVE})
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _file_response(field, content_type: str) -> FileResponse:
    if not field:
        raise Http404
    response = FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=PurePath(field.name).name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(*READERS)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "documents/index.html", {"years": selectors.years()})


@role_required(*READERS)
@require_GET
def year_view(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    year = get_or_404(ProgrammeYear.objects.get, fiscal_year=fiscal_year)
    group = WorkingGroup.objects.filter(year=year).prefetch_related("members").first()
    return render(
        request,
        "documents/year.html",
        {
            "year": year,
            "subjects": selectors.year_subjects(year),
            "group": group,
            "sequence": NumberSequence.objects.filter(fiscal_year=fiscal_year).first(),
            "can_manage": has_role(request.user, MANAGERS),
            "languages": cast(forms.ChoiceField, GenerateForm.base_fields["language"]).choices,
        },
    )


# Lazy: in the reader's language. The first generation of a subject takes the next number
# of the register (documents.services._allocate); numbers are never reused.
ISSUE_TITLE = gettext_lazy("Issue a number and generate the document?")
ISSUE_BUTTON = gettext_lazy("Yes, issue the number")


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def generate(request: AuthenticatedHttpRequest, fiscal_year: int) -> HttpResponse:
    """GET asks before a number is issued (the year page sends only a subject not yet
    numbered here); POST generates."""
    form = GenerateForm(request.POST if request.method == "POST" else request.GET)
    year = get_or_404(ProgrammeYear.objects.get, fiscal_year=fiscal_year)
    if request.method == "GET":
        if not form.is_valid():
            return redirect("documents:year", fiscal_year)
        sequence = NumberSequence.objects.filter(fiscal_year=fiscal_year).first()
        consequence = gettext(
            "The document takes the next number of the register, now %(number)s. A number "
            "once issued cannot be taken back or given to another document; later "
            "versions keep it."
        ) % {"number": sequence.next_display if sequence else "–"}
        return confirmation_page(
            request,
            Confirmation(
                title=ISSUE_TITLE, consequence=consequence, button=ISSUE_BUTTON, danger=True
            ),
            back_url=reverse("documents:year", args=[fiscal_year]),
            form=GenerateConfirmForm(request.GET),
        )
    if not form.is_valid():
        # An ErrorList iterates as its messages.
        messages.error(
            request, " ".join(cast(str, e) for errors in form.errors.values() for e in errors)
        )
        return redirect("documents:year", fiscal_year)
    data = form.cleaned_data
    generated = run_service(
        request,
        lambda: services.document_generate(
            kind=data["kind"],
            year_id=year.pk,
            session_id=data["session"],
            city_id=data["city"],
            language=data["language"],
            acting_user=request.user,
        ),
        lambda version: _generated_message(version.document, version),
        joined=True,
    )
    if not generated:
        return redirect("documents:year", fiscal_year)
    return redirect("documents:detail", generated.returned.document.pk)


def _generated_message(document: Document, version: DocumentVersion) -> str:
    from django.utils.translation import gettext as _

    return _("%(document)s no. %(number)s, version %(version)s, is ready.") % {
        "document": document.get_kind_display(),
        "number": document.number_text(version.language),
        "version": version.version,
    }


def _document_or_404(pk: int) -> Document:
    return get_or_404(selectors.document_get, pk)


@role_required(*READERS)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(pk)
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "can_manage": has_role(request.user, MANAGERS),
            "sent_form": SentForm(initial={"sent_on": document.sent_on}),
            "signed_form": SignedCopyForm(),
            "reply_form": ReplyForm(
                initial={"reply": document.reply, "replied_on": document.replied_on}
            ),
        },
    )


@role_required(*MANAGERS)
@require_POST
def record_sent(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    from django.utils.translation import gettext as _

    form = SentForm(request.POST)
    if not form.is_valid():
        # A date typed but not read says what is wrong with it (a day that does not exist).
        typed = form.errors.get("sent_on") if request.POST.get("sent_on", "").strip() else None
        # An ErrorList iterates as its messages.
        messages.error(
            request,
            " ".join(cast("list[str]", typed or [_("Give the date the document was sent.")])),
        )
        return redirect("documents:detail", pk)
    run_service(
        request,
        lambda: services.document_record_sent(
            document_id=pk, sent_on=form.cleaned_data["sent_on"], acting_user=request.user
        ),
        _("The date sent is recorded."),
        joined=True,
    )
    return redirect("documents:detail", pk)


@role_required(*MANAGERS)
@require_POST
def upload_signed(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    from django.utils.translation import gettext as _

    form = SignedCopyForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the PDF scan of the signed copy."))
        return redirect("documents:detail", pk)
    run_service(
        request,
        lambda: services.document_upload_signed(
            document_id=pk, upload=form.cleaned_data["signed_copy"], acting_user=request.user
        ),
        _("The signed copy is kept."),
        joined=True,
    )
    return redirect("documents:detail", pk)


@role_required(*MANAGERS)
@require_POST
def record_reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    from django.utils.translation import gettext as _

    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        typed = (
            form.errors.get("replied_on") if request.POST.get("replied_on", "").strip() else None
        )
        messages.error(
            request,
            " ".join(cast("list[str]", typed or [_("Give the answer and the date of the reply.")])),
        )
        return redirect("documents:detail", pk)
    data = form.cleaned_data
    run_service(
        request,
        lambda: services.document_record_reply(
            document_id=pk,
            reply=data["reply"],
            replied_on=data["replied_on"],
            note=data["note"],
            attachment=data["attachment"],
            acting_user=request.user,
        ),
        _("The reply is recorded."),
        joined=True,
    )
    return redirect("documents:detail", pk)


@role_required(*READERS)
@require_GET
def version_file(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    version = get_or_404(selectors.version_get, pk)
    return _file_response(getattr(version, fmt), CONTENT_TYPES[fmt])


@role_required(*READERS)
@require_GET
def signed_copy(request: HttpRequest, pk: int) -> FileResponse:
    return _file_response(_document_or_404(pk).signed_copy, "application/pdf")


@role_required(*READERS)
@require_GET
def reply_attachment(request: HttpRequest, pk: int) -> FileResponse:
    return _file_response(_document_or_404(pk).reply_attachment, "application/pdf")
