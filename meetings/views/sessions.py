from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.confirm import Confirmation, confirm_then, confirmation_page
from core.permissions import AuthenticatedHttpRequest, role_required
from core.roles import Role, has_role
from core.view_helpers import get_or_404, run_service

from ..access import PLANNERS, READERS, RUNNERS, can_plan, can_run, can_see_join_link
from ..forms import (
    AgendaFormSet,
    AttendanceForm,
    BMAParticipantForm,
    CityParticipantForm,
    NotesForm,
    PresentedProductsForm,
    ReasonForm,
    RescheduleForm,
    SessionDetailsForm,
    SlotForm,
    VendorPickForm,
)
from ..models import BMAParticipant, CityParticipant, Session, TeamsMeeting, TeamsMeetingRequest
from ..panels import session_panels
from ..progress import STEP_LABELS, can_skip_step, session_progress, status_undo_target
from ..selectors import (
    connection_test_proposal,
    meeting_of,
    presented_products_choices,
    session_date_warnings,
    session_get,
    session_head,
    session_notices,
    session_places,
    session_proposal,
    session_teams_attendance,
    session_teams_requests,
)
from ..services import attendance, notices, people, sessions, shortlists, teams
from .common import to_session

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


def _session(session_id: int) -> Session:
    return get_or_404(session_get, session_id, message=_("No such session."))


def _session_head(session_id: int) -> Session:
    return get_or_404(session_head, session_id, message=_("No such session."))


def _undo_label(user, session: Session) -> StrPromise | str:
    """The status an undo would go back to, as the planner reads it; empty: no undo."""
    target = status_undo_target(session) if can_plan(user) else None
    return Session.Status(target).label if target else ""


@role_required(*READERS)
def session_detail_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(session_id)
    return render(
        request,
        "meetings/session_detail.html",
        {
            "session": session,
            # Such as the PDCA cycle made visible: what the last evaluation said to change.
            "panels": session_panels(session, request),
            "show_report_link": session.is_held
            and has_role(request.user, (Role.FAO, Role.EXECUTIVE)),
            "places": session_places(session),
            "date_warnings": session_date_warnings(session),
            "session_meeting": meeting_of(session, TeamsMeeting.Purpose.SESSION),
            "test_meeting": meeting_of(session, TeamsMeeting.Purpose.CONNECTION_TEST),
            "teams_requests": session_teams_requests(session),
            "notices": session_notices(session),
            "show_join": can_see_join_link(request.user, session),
            "can_plan": can_plan(request.user),
            "can_run": can_run(request.user),
            "progress": [
                (step, can_skip_step(request.user, session, step))
                for step in session_progress(session)
            ],
            "undo_to": _undo_label(request.user, session),
            "Status": Session.Status,
        },
    )


@role_required(*PLANNERS)
@require_http_methods(["GET", "POST"])
def session_details_view(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    session = _session(session_id)
    form = SessionDetailsForm(
        request.POST or None,
        initial={
            "cities": list(session.cities.all()),
            "organizer_mailbox": session.organizer_mailbox,
        },
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: sessions.session_update_details(
                session_id=session.pk,
                cities=form.cleaned_data["cities"],
                organizer_mailbox=form.cleaned_data["organizer_mailbox"],
                acting_user=request.user,
            ),
            _("The session's cities and organiser are saved."),
        )
        if done:
            return to_session(session.pk)
    return render(
        request, "meetings/session_form.html", {"session": session, "form": form, "step": "details"}
    )


@role_required(*RUNNERS)
@require_http_methods(["GET", "POST"])
def session_reschedule_view(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    session = _session(session_id)
    proposal = session_proposal(session)
    initial = SlotForm.initial_for(session.starts_at, session.ends_at)
    if request.GET.get("use") == "proposal" and proposal.slot:
        initial = SlotForm.initial_for(proposal.slot.start, proposal.slot.end)
    form = RescheduleForm(
        request.POST or None, initial=initial, warned="keep_anyway" in request.POST
    )
    # On opening, what is wrong with the present time: the reason one may be moving it.
    warnings = session_date_warnings(session) if request.method == "GET" else []
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.cleaned_data["starts_at"], form.cleaned_data["ends_at"]
        warnings = session_date_warnings(session, starts_at, ends_at)
        if warnings and not form.cleaned_data.get("keep_anyway"):
            # Warned before the change, where it is decided: the same data, with the box
            # that keeps the time all the same.
            form = RescheduleForm(request.POST, initial=initial, warned=True)
            form.is_valid()
        else:
            done = run_service(
                request,
                lambda: sessions.session_reschedule(
                    session_id=session.pk,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    acting_user=request.user,
                ),
                _("The session is moved. A Teams meeting already asked for follows automatically."),
            )
            if done:
                return to_session(session.pk)
    return render(
        request,
        "meetings/session_reschedule.html",
        {"session": session, "form": form, "proposal": proposal, "warnings": warnings},
    )


# Lazy: translated when shown, in the reader's language, not once at import.
STATUS_ACTIONS = {
    "invite": (
        sessions.session_mark_city_invited,
        Confirmation(
            title=gettext_lazy("Mark the cities as invited?"),
            consequence=gettext_lazy(
                "The status becomes “City invited” and step 4 of the work plan is ticked "
                "off. You can undo this until the cities confirm."
            ),
            button=gettext_lazy("Yes, the cities are invited"),
            success=gettext_lazy("The cities are marked as invited."),
        ),
    ),
    "confirm": (
        sessions.session_mark_city_confirmed,
        Confirmation(
            title=gettext_lazy("Record the cities' confirmation?"),
            consequence=gettext_lazy(
                "The status becomes “City confirmed”: the connection test and the Teams "
                "meeting can then be scheduled. You can undo this until one of them is "
                "asked for."
            ),
            button=gettext_lazy("Yes, the cities confirmed"),
            success=gettext_lazy("The cities' confirmation is recorded."),
        ),
    ),
    "report": (
        sessions.session_mark_reported,
        Confirmation(
            title=gettext_lazy("Mark the session as reported to executives?"),
            consequence=gettext_lazy(
                "This cannot be undone: the session is closed for good and step 8 of the "
                "work plan is ticked off."
            ),
            button=gettext_lazy("Yes, it is reported"),
            success=gettext_lazy("The session is marked as reported."),
            danger=True,
        ),
    ),
}
SCHEDULE = Confirmation(
    title=gettext_lazy("Ask Teams for the meeting?"),
    consequence=gettext_lazy(
        "Teams sends the invitation to every participant at once. "
        "Cancelling later sends each of them a cancellation."
    ),
    button=gettext_lazy("Yes, ask Teams"),
    success=gettext_lazy("The Teams meeting of the session is requested."),
)


def _confirmed(request, session_id: int, confirmation: Confirmation, call) -> HttpResponse:
    """GET asks (a page, so it works without JavaScript), POST acts."""
    session_url = reverse("meetings:session-detail", args=[session_id])
    if request.method == "POST":
        return confirm_then(request, confirmation, call, back_url=session_url, done_url=session_url)
    session = _session(session_id)
    return confirmation_page(
        request,
        confirmation,
        back_url=session_url,
        nav_template="meetings/_session_nav.html",
        subject=session,
        context={"session": session},
    )


@role_required(*PLANNERS)
@require_http_methods(["GET", "POST"])
def session_status_view(
    request: AuthenticatedHttpRequest, session_id: int, action: str
) -> HttpResponse:
    if action not in STATUS_ACTIONS:
        raise Http404
    service, confirmation = STATUS_ACTIONS[action]
    return _confirmed(
        request,
        session_id,
        confirmation,
        lambda: service(session_id=session_id, acting_user=request.user),
    )


@role_required(*RUNNERS)
@require_http_methods(["GET", "POST"])
def session_schedule_view(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    return _confirmed(
        request,
        session_id,
        SCHEDULE,
        lambda: sessions.session_schedule(session_id=session_id, acting_user=request.user),
    )


@role_required(*PLANNERS)
@require_POST
def session_undo_view(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    run_service(
        request,
        lambda: sessions.session_status_undo(session_id=session_id, acting_user=request.user),
        lambda session: (
            _("The change is undone: the status is “%(status)s” again.")
            % {"status": session.get_status_display()}
        ),
    )
    return to_session(session_id)


@role_required(*RUNNERS)
@require_http_methods(["GET", "POST"])
def connection_test_view(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    session = _session(session_id)
    proposal = connection_test_proposal(session)
    initial = SlotForm.initial_for(
        session.connection_test_starts_at, session.connection_test_ends_at
    )
    if not initial and proposal:
        initial = SlotForm.initial_for(proposal.start, proposal.end)
    form = SlotForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: sessions.connection_test_schedule(
                session_id=session.pk,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                acting_user=request.user,
            ),
            _("The connection test is scheduled; its Teams meeting is requested."),
        )
        if done:
            return to_session(session.pk)
    return render(
        request,
        "meetings/connection_test_form.html",
        {"session": session, "form": form, "proposal": proposal, "places": session_places(session)},
    )


def _reason_page(
    request, session_id, service, *, success, title, step, form_class=ReasonForm, session=None
):
    """A one-field form whose field name is the service's keyword (`reason`, `notes`). The
    page shows only the session's breadcrumb: a caller that has read the session passes it."""
    session = session or _session_head(session_id)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: service(session_id=session.pk, acting_user=request.user, **form.cleaned_data),
            success,
        )
        if done:
            return to_session(session.pk)
    return render(
        request,
        "meetings/session_form.html",
        {"session": session, "form": form, "step": step, "title": title},
    )


@role_required(*RUNNERS)
@require_http_methods(["GET", "POST"])
def connection_test_done_view(request: HttpRequest, session_id: int) -> HttpResponse:
    return _reason_page(
        request,
        session_id,
        sessions.connection_test_record_done,
        success=_("The connection test is recorded as done."),
        title=_("Record the connection test"),
        step="test-done",
        form_class=NotesForm,
    )


@role_required(*RUNNERS)
@require_http_methods(["GET", "POST"])
def connection_test_waive_view(request: HttpRequest, session_id: int) -> HttpResponse:
    return _reason_page(
        request,
        session_id,
        sessions.connection_test_waive,
        success=_("The connection test is waived."),
        title=_("Waive the connection test"),
        step="test-waive",
    )


@role_required(*RUNNERS)
@require_http_methods(["GET", "POST"])
def connection_test_cancel_view(request: HttpRequest, session_id: int) -> HttpResponse:
    return _reason_page(
        request,
        session_id,
        sessions.connection_test_cancel,
        success=_("The connection test is cancelled; Teams tells the invitees."),
        title=_("Cancel the connection test"),
        step="test-cancel",
    )


@role_required(*RUNNERS)
@require_http_methods(["GET", "POST"])
def session_step_skip_view(request: HttpRequest, session_id: int, step: str) -> HttpResponse:
    session = _session(session_id)
    current = next((s for s in session_progress(session) if s.key == step), None)
    if current is None or not can_skip_step(request.user, session, current):
        raise Http404
    return _reason_page(
        request,
        session_id,
        lambda **kwargs: sessions.session_step_skip(step=step, **kwargs),
        success=_("The step is marked as skipped."),
        title=_("Skip a step: %(step)s") % {"step": STEP_LABELS[step]},
        step="skip",
        session=session,
    )


@role_required(*PLANNERS)
@require_http_methods(["GET", "POST"])
def session_cancel_view(request: HttpRequest, session_id: int) -> HttpResponse:
    return _reason_page(
        request,
        session_id,
        sessions.session_cancel,
        success=_("The session is cancelled; Teams tells the invitees."),
        title=_("Cancel the session"),
        step="cancel",
    )


@role_required(*RUNNERS)
@require_http_methods(["GET", "POST"])
def session_held_view(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    session = _session(session_id)
    proposal = session_teams_attendance(session)
    form = AttendanceForm(request.POST or None, session=session, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: sessions.session_mark_held(
                session_id=session.pk,
                vendor_attendance=form.attendance("vendor"),
                city_attendance=form.attendance("city"),
                bma_attendance=form.attendance("bma"),
                acting_user=request.user,
            ),
            _("The session is recorded as held, with its attendance."),
        )
        if done:
            return to_session(session.pk)
    return render(
        request,
        "meetings/session_held.html",
        {
            "session": session,
            "form": form,
            "proposal": proposal,
            "can_import": meeting_of(session, TeamsMeeting.Purpose.SESSION) is not None,
        },
    )


@role_required(*RUNNERS)
@require_POST
def session_attendance_import_view(
    request: AuthenticatedHttpRequest, session_id: int
) -> HttpResponse:
    """Synchronous, as staff wait for the proposal: the Graph client's timeouts and bounded
    tries keep it short, and a refusal (a 403 names what to grant) leaves manual entry."""
    session = _session_head(session_id)
    imported = run_service(
        request,
        lambda: attendance.session_attendance_import(
            session_id=session.pk, acting_user=request.user
        ),
    )
    if imported:
        result = imported.returned
        if result.total:
            messages.success(
                request,
                _(
                    "Attendance imported from Teams: %(matched)s matched by e-mail, "
                    "%(suggested)s suggested by name, %(unmatched)s not matched. Check it "
                    "and record the session as held."
                )
                % {
                    "matched": result.matched,
                    "suggested": result.suggested,
                    "unmatched": result.unmatched,
                },
            )
        else:
            messages.warning(
                request, _("Teams reported no one in this meeting. Enter the attendance by hand.")
            )
    return redirect("meetings:session-held", session.pk)


@role_required(*RUNNERS)
@require_http_methods(["GET", "POST"])
def participants_view(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    session = _session(session_id)
    which = request.POST.get("which")
    bma_form = BMAParticipantForm(request.POST if which == "bma" else None, prefix="bma")
    city_form = CityParticipantForm(
        request.POST if which == "city" else None, prefix="city", session=session
    )
    if which == "bma" and bma_form.is_valid():
        data = bma_form.cleaned_data
        if run_service(
            request,
            lambda: people.bma_participant_add(
                session_id=session.pk,
                user=data["user"],
                office=data["office"],
                role_in_session=data["role_in_session"],
                acting_user=request.user,
            ),
            _("The participant is added."),
        ):
            return redirect("meetings:session-participants", session.pk)
    if which == "city" and city_form.is_valid():
        data = city_form.cleaned_data
        if run_service(
            request,
            lambda: people.city_participant_add(
                session_id=session.pk,
                city=data["city"],
                contact=data["contact"],
                name=data["name"],
                title=data["title"],
                organisation=data["organisation"],
                email=data["email"],
                language=data["language"],
                acting_user=request.user,
            ),
            _("The participant is added."),
        ):
            return redirect("meetings:session-participants", session.pk)
    return render(
        request,
        "meetings/participants.html",
        {"session": session, "bma_form": bma_form, "city_form": city_form},
    )


@role_required(*RUNNERS)
@require_POST
def bma_participant_remove_view(
    request: AuthenticatedHttpRequest, participant_id: int
) -> HttpResponse:
    participant = get_or_404(BMAParticipant.objects.get, pk=participant_id)
    run_service(
        request,
        lambda: people.bma_participant_remove(
            participant_id=participant_id, acting_user=request.user
        ),
        _("The participant is removed."),
    )
    return redirect("meetings:session-participants", participant.session_id)


@role_required(*RUNNERS)
@require_POST
def city_participant_remove_view(
    request: AuthenticatedHttpRequest, participant_id: int
) -> HttpResponse:
    participant = get_or_404(CityParticipant.objects.get, pk=participant_id)
    run_service(
        request,
        lambda: people.city_participant_remove(
            participant_id=participant_id, acting_user=request.user
        ),
        _("The participant is removed."),
    )
    return redirect("meetings:session-participants", participant.session_id)


@role_required(*PLANNERS)
@require_http_methods(["GET", "POST"])
def vendors_view(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    session = _session(session_id)
    form = VendorPickForm(
        request.POST or None,
        session=session,
        initial={"vendors": [e.vendor for e in session.shortlist.all()]},
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: shortlists.shortlist_set_vendors(
                session_id=session.pk,
                vendors=form.cleaned_data["vendors"],
                acting_user=request.user,
            ),
            _("The session's vendors are saved."),
        )
        if done:
            # The next step asks which products each of them presents.
            if form.cleaned_data["vendors"]:
                return redirect("meetings:session-vendor-products", session.pk)
            return to_session(session.pk)
    return render(
        request, "meetings/session_form.html", {"session": session, "form": form, "step": "vendors"}
    )


@role_required(*PLANNERS)
@require_http_methods(["GET", "POST"])
def vendor_products_view(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    session = _session(session_id)
    form = PresentedProductsForm(request.POST or None, entries=presented_products_choices(session))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            lambda: shortlists.shortlist_set_presented_products(
                session_id=session.pk, choices=form.choices(), acting_user=request.user
            ),
            _("The products each vendor presents are saved."),
        )
    ):
        return to_session(session.pk)
    return render(
        request,
        "meetings/session_form.html",
        {
            "session": session,
            "form": form,
            "step": "vendor-products",
            "title": _("Products presented"),
            "intro": _(
                "Ticked by default: each vendor's products in the categories the session's "
                "cities are interested in."
            ),
        },
    )


@role_required(*RUNNERS)
@require_http_methods(["GET", "POST"])
def agenda_view(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    session = _session(session_id)
    initial = [
        {
            "item_id": item.pk,
            "title_th": item.title_th,
            "title_en": item.title_en,
            "duration_minutes": item.duration_minutes,
            "minutes": item.minutes,
        }
        for item in session.agenda.all()
    ]
    formset = AgendaFormSet(request.POST or None, initial=initial, prefix="agenda")
    if request.method == "POST" and formset.is_valid():
        rows = [
            form.row(delete=bool(form.cleaned_data.get("DELETE")))
            for form in formset.forms
            if form.has_changed() or form.cleaned_data.get("item_id")
        ]
        if run_service(
            request,
            lambda: people.agenda_save(session_id=session.pk, rows=rows, acting_user=request.user),
            _("The agenda and its minutes are saved."),
        ):
            return to_session(session.pk)
    return render(request, "meetings/agenda.html", {"session": session, "formset": formset})


@role_required(*RUNNERS)
@require_POST
def invitations_view(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    invited = run_service(
        request,
        lambda: notices.session_send_invitations(session_id=session_id, acting_user=request.user),
        joined=True,
    )
    if invited:
        sent = invited.value
        if sent:
            messages.success(
                request,
                _("%(count)s invitations are on their way.") % {"count": len(sent)},
            )
        else:
            messages.info(request, _("Every participant was already invited for this time."))
    return to_session(session_id)


@role_required(*RUNNERS)
@require_POST
def teams_request_retry_view(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    row = get_or_404(TeamsMeetingRequest.objects.select_related("meeting").get, pk=request_id)
    run_service(
        request,
        lambda: teams.teams_request_retry(request_id=request_id, acting_user=request.user),
        _("The Teams request is tried again."),
    )
    return to_session(row.meeting.session_id)
