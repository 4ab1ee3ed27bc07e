"""FAO's pages for personal data requests (PDPA): search, export, erase."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from buyers.models import Lead
from cities.models import CityContact
from core.permissions import AuthenticatedHttpRequest, role_required
from core.roles import Role
from core.view_helpers import get_or_404
from meetings.models import CityParticipant
from outcomes.models import Contact
from vendors.models import Vendor

from .forms import ErasureForm, PersonSearchForm
from .services import (
    erasures_recent,
    pdpa_search,
    person_data_erase,
    person_data_export,
    person_data_export_sheets,
    person_data_summary,
    subject_label,
)

SUBJECT_MODELS: dict[
    str,
    type[Vendor] | type[CityContact] | type[CityParticipant] | type[Contact] | type[Lead],
] = {
    "vendor": Vendor,
    "city-contact": CityContact,
    "city-participant": CityParticipant,
    "counterpart": Contact,
    "buyer": Lead,
}


def _subject(kind: str, pk: int):
    model = SUBJECT_MODELS.get(kind)
    if model is None:
        raise Http404
    return get_or_404(model._default_manager.get, pk=pk)


@role_required(Role.FAO)
@require_GET
def pdpa_home(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    found = None
    if form.is_bound and form.is_valid():
        found = pdpa_search(query=form.cleaned_data["q"])
    return render(
        request,
        "privacy/pdpa_search.html",
        {
            "form": form,
            "found": found,
            "vendors": found.vendors if found else None,
            "contacts": found.contacts if found else None,
            "participants": found.participants if found else None,
            "counterparts": found.counterparts if found else None,
            "buyers": found.buyers if found else None,
            "erasures": erasures_recent(),
        },
    )


@role_required(Role.FAO)
@require_GET
def pdpa_export_json(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    data = person_data_export(subject=_subject(kind, pk), acting_user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="personal-data-{kind}-{pk}.json"'
    return response


@role_required(Role.FAO)
@require_GET
def pdpa_export_xlsx(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    from core.spreadsheets.xlsx import XLSX_CONTENT_TYPE, write_export

    data = person_data_export(subject=_subject(kind, pk), acting_user=request.user)
    response = HttpResponse(
        write_export(person_data_export_sheets(data)), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="personal-data-{kind}-{pk}.xlsx"'
    return response


@role_required(Role.FAO)
@require_http_methods(["GET", "POST"])
def pdpa_erase(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    subject = _subject(kind, pk)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = person_data_erase(
            subject=subject, reason=form.cleaned_data["reason"], acting_user=request.user
        )
        touched = sum(c["live"] + c["history"] for c in report.rows_touched.values())
        messages.success(
            request,
            _("The personal data was erased from %(rows)s rows; the records themselves remain.")
            % {"rows": touched},
        )
        return redirect("privacy:pdpa")
    return render(
        request,
        "privacy/pdpa_erase.html",
        {
            "form": form,
            "kind": kind,
            "label": subject_label(subject),
            "summary": person_data_summary(subject=subject),
        },
    )
