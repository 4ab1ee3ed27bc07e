from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.permissions import AuthenticatedHttpRequest, role_required
from core.roles import Role, has_role
from core.view_helpers import get_or_404, run_service, url_for_each

from ..access import PLANNERS, READERS, STEP_OFFICES, can_plan, can_run
from ..forms import StepTickForm, YearPlanForm
from ..models import ProgrammeYear, WorkPlanStep
from ..selectors import session_places, year_get, year_list, year_sessions, year_timeline
from ..services.workplan import workplan_step_reopen, workplan_step_tick
from ..services.years import (
    programme_year_plan,
    replacement_wanted,
    session_add_replacement,
)
from .calendars import feed_token


def _year_or_404(fiscal_year: int) -> ProgrammeYear:
    return get_or_404(year_get, fiscal_year, message=_("This fiscal year is not planned."))


@role_required(*READERS)
def year_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/year_list.html",
        {"years": year_list(), "can_plan": can_plan(request.user)},
    )


@role_required(*PLANNERS)
@require_http_methods(["GET", "POST"])
def year_plan_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = YearPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        planned = run_service(
            request,
            lambda: programme_year_plan(
                fiscal_year=data["fiscal_year"],
                session_months=data["session_months"],
                vendors_per_session=data["vendors_per_session"],
                session_minutes=data["session_minutes"],
                not_before=timezone.localdate() + dt.timedelta(days=1),
                acting_user=request.user,
            ),
            lambda year: (
                _("%(year)s is planned with %(count)s sessions.")
                % {"year": year.fiscal, "count": year.target_sessions}
            ),
            form=form,
        )
        if planned:
            return redirect("meetings:year-detail", planned.returned.fiscal_year)
    return render(request, "meetings/year_plan.html", {"form": form})


@role_required(*READERS)
def year_detail_view(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    year = _year_or_404(fiscal_year)
    cards = year_sessions(year)
    session_url = url_for_each("meetings:session-detail", "session_id")
    sessions = [session for session, _cities in cards]
    return render(
        request,
        "meetings/year_detail.html",
        {
            "year": year,
            "sessions": [
                (s, cities, session_places(s, cities), session_url(s.pk)) for s, cities in cards
            ],
            "can_plan": can_plan(request.user),
            "can_run": can_run(request.user),
            # The documents app's readers: FAO keeps the documents, executives read them.
            "can_read_documents": has_role(request.user, {Role.FAO, Role.EXECUTIVE}),
            "can_replace": can_plan(request.user)
            and replacement_wanted(year=year, sessions=sessions),
            "feed_days": settings.CALENDAR_FEED_MAX_AGE_DAYS,
            "feed_url": request.build_absolute_uri(
                reverse("meetings:year-calendar", args=[fiscal_year])
            )
            + "?token="
            + feed_token(request.user, fiscal_year),
        },
    )


@role_required(*READERS)
def year_timeline_view(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    year = _year_or_404(fiscal_year)
    context = year_timeline(year, request.user, today=timezone.localdate())
    return render(request, "meetings/year_timeline.html", {"year": year, **context})


@role_required(*STEP_OFFICES)
@require_POST
def step_tick_view(request: AuthenticatedHttpRequest, step_id: int) -> HttpResponse:
    form = StepTickForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    ticked = run_service(
        request,
        lambda: workplan_step_tick(step_id=step_id, note=note, acting_user=request.user),
        lambda step: _("Step %(number)s is ticked off.") % {"number": step.number},
        joined=True,
    )
    step = ticked.value or WorkPlanStep.objects.select_related("session__year").get(pk=step_id)
    return redirect("meetings:year-timeline", step.session.year.fiscal_year)


@role_required(*STEP_OFFICES)
@require_POST
def step_reopen_view(request: AuthenticatedHttpRequest, step_id: int) -> HttpResponse:
    reopened = run_service(
        request,
        lambda: workplan_step_reopen(step_id=step_id, acting_user=request.user),
        lambda step: _("Step %(number)s is open again.") % {"number": step.number},
        joined=True,
    )
    step = reopened.value or WorkPlanStep.objects.select_related("session__year").get(pk=step_id)
    return redirect("meetings:year-timeline", step.session.year.fiscal_year)


@role_required(*PLANNERS)
@require_POST
def session_add_view(request: AuthenticatedHttpRequest, fiscal_year: int) -> HttpResponse:
    """FAO replaces a cancelled session of the year by a new one to plan."""
    _year_or_404(fiscal_year)
    added = run_service(
        request,
        lambda: session_add_replacement(fiscal_year=fiscal_year, acting_user=request.user),
        lambda session: (
            _("Session %(number)s is added in place of the cancelled one.")
            % {"number": session.number}
        ),
        joined=True,
    )
    if not added:
        return redirect("meetings:year-detail", fiscal_year)
    return redirect("meetings:session-detail", added.returned.pk)
