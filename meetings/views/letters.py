"""FAO's pages for inquiry letters (step 4): record a letter sent, record the reply. The
list of the year's letters is the cities app's (cities:letters)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cities.models import InquiryLetter
from core.permissions import role_required
from core.view_helpers import get_or_404, run_service

from ..access import PLANNERS
from ..forms import LetterReplyForm, LetterSentForm
from ..selectors import letter_get, letter_targets
from ..services import letters


@role_required(*PLANNERS)
@require_http_methods(["GET", "POST"])
def letter_new_view(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    if not 2400 <= fiscal_year <= 2700:
        raise Http404
    form = LetterSentForm(request.POST or None, targets=letter_targets(fiscal_year))
    if request.method == "POST" and form.is_valid():
        session_id, city_id = form.cleaned_data["target"]
        data = form.cleaned_data
        if run_service(
            request,
            lambda: letters.inquiry_letter_record_sent(
                session_id=session_id,
                city_id=city_id,
                sent_on=data["sent_on"],
                signed_by=data["signed_by"],
                reference=data["reference"],
                notes=data["notes"],
                acting_user=request.user,
            ),
            _("The letter is recorded as sent."),
        ):
            return redirect("cities:letters-year", fiscal_year)
    return render(
        request,
        "meetings/letter_form.html",
        {"form": form, "fiscal_year": fiscal_year, "title": _("Record a letter sent")},
    )


@role_required(*PLANNERS)
@require_http_methods(["GET", "POST"])
def letter_reply_view(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = get_or_404(letter_get, letter_id)
    initial = {"note": letter.notes}
    if letter.reply != InquiryLetter.Reply.PENDING:
        initial.update(reply=letter.reply, replied_on=letter.replied_on)
    form = LetterReplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            request,
            lambda: letters.inquiry_letter_record_reply(
                letter_id=letter.pk,
                reply=data["reply"],
                replied_on=data["replied_on"],
                note=data["note"],
                acting_user=request.user,
            ),
            _("The reply is recorded."),
        ):
            return redirect("cities:letters-year", letter.fiscal_year)
    return render(
        request,
        "meetings/letter_form.html",
        {
            "form": form,
            "letter": letter,
            "fiscal_year": letter.fiscal_year,
            "title": _("Record the reply"),
        },
    )
