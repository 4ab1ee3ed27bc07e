from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.fiscal import current_fiscal_year
from core.permissions import role_required
from core.roles import ALL_ROLES, Role, has_role
from core.view_helpers import get_or_404

from . import selectors
from .models import InquiryLetter


def _year(fiscal_year: int | None) -> int:
    return fiscal_year or current_fiscal_year().be_year


@role_required(*ALL_ROLES)
@require_GET
def candidates(request: HttpRequest, fiscal_year: int | None = None) -> HttpResponse:
    year = _year(fiscal_year)
    return render(
        request,
        "cities/candidates.html",
        {
            "fiscal_year": year,
            "cities": selectors.candidates_for_year(year),
            "replies": InquiryLetter.Reply,
            "can_record": has_role(request.user, (Role.FAO,)),
        },
    )


@role_required(*ALL_ROLES)
@require_GET
def letters(request: HttpRequest, fiscal_year: int | None = None) -> HttpResponse:
    year = _year(fiscal_year)
    return render(
        request,
        "cities/letters.html",
        {
            "fiscal_year": year,
            "letters": selectors.letters_for_year(year),
            # FAO writes to the cities (step 4); the other offices read.
            "can_record": has_role(request.user, (Role.FAO,)),
        },
    )


@role_required(*ALL_ROLES)
@require_GET
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Letters and replies are served only here, to signed-in portal users."""
    item = get_or_404(selectors.attachment, pk)
    name = PurePath(item.file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        item.file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
