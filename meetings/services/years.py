"""Planning a programme year: its targets, its sessions on the planner's dates, the plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import save_audited

from .. import planner
from ..models import ProgrammeYear, Session, default_session_months
from .people import agenda_create_default
from .workplan import workplan_create_for_session


@transaction.atomic
def programme_year_plan(
    *,
    fiscal_year: int,
    session_months: Sequence[int] | None = None,
    vendors_per_session: int = 3,
    session_minutes: int = 120,
    kpi_target_percent: int = 50,
    acting_user: User | None,
) -> ProgrammeYear:
    """Create the year with one session per month, each on the planner's proposal (in
    Bangkok until cities are chosen), the default agenda and the work plan steps."""
    if ProgrammeYear.objects.filter(fiscal_year=fiscal_year).exists():
        raise ValidationError(_("FY %(year)s is already planned.") % {"year": fiscal_year})
    months = list(session_months or default_session_months())
    year = ProgrammeYear(
        fiscal_year=fiscal_year,
        target_sessions=len(months),
        target_reports=len(months),
        session_months=months,
        vendors_per_session=vendors_per_session,
        session_minutes=session_minutes,
        kpi_target_percent=kpi_target_percent,
    )
    year.full_clean()
    save_audited(year, acting_user=acting_user, reason="planned")
    hours = planner.OfficeHours(year.office_hours_start, year.office_hours_end)
    proposals = planner.propose_year(fiscal_year, months, minutes=year.session_minutes, hours=hours)
    for number, proposal in enumerate(proposals, start=1):
        session = Session(
            year=year,
            number=number,
            organizer_mailbox=settings.GRAPH_ORGANIZER,
            starts_at=proposal.slot.start if proposal.slot else None,
            ends_at=proposal.slot.end if proposal.slot else None,
        )
        save_audited(session, acting_user=acting_user, reason="planned")
        agenda_create_default(session=session, acting_user=acting_user)
        workplan_create_for_session(session=session, acting_user=acting_user)
    return year


def replacement_wanted(*, year: ProgrammeYear, sessions: list[Session]) -> bool:
    """A session was cancelled and the ones still on are fewer than the year's target."""
    active = sum(not s.is_cancelled for s in sessions)
    return active < len(sessions) and active < year.target_sessions


@transaction.atomic
def session_add_replacement(*, fiscal_year: int, acting_user: User) -> Session:
    """A new session for the year in place of a cancelled one, with the default agenda and
    the work plan, dated by the planner in the next month of the year that has a slot.

    Only while the sessions not cancelled are fewer than the year's target, so a repeated
    request (a double click) adds nothing the second time."""
    year = ProgrammeYear.objects.select_for_update().get(fiscal_year=fiscal_year)
    sessions = list(year.sessions.all())
    if not replacement_wanted(year=year, sessions=sessions):
        raise ValidationError(
            _("%(year)s already has its %(count)s sessions: cancel one before adding another.")
            % {"year": year.fiscal, "count": year.target_sessions}
        )
    slot = _next_free_slot(year)
    session = Session(
        year=year,
        number=max(s.number for s in sessions) + 1,
        organizer_mailbox=settings.GRAPH_ORGANIZER,
        starts_at=slot.start if slot else None,
        ends_at=slot.end if slot else None,
    )
    save_audited(session, acting_user=acting_user, reason="added in place of a cancelled session")
    agenda_create_default(session=session, acting_user=acting_user)
    workplan_create_for_session(session=session, acting_user=acting_user)
    return session


def _next_free_slot(year: ProgrammeYear) -> planner.Slot | None:
    """The planner's slot in the first month of the year, from next month on, that has one."""
    hours = planner.OfficeHours(year.office_hours_start, year.office_hours_end)
    today = timezone.localdate()
    month = max(
        (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1), year.fiscal.first_day
    )
    while month <= year.fiscal.last_day:
        proposal = planner.propose_slot(
            month.year, month.month, minutes=year.session_minutes, hours=hours
        )
        if proposal.slot:
            return proposal.slot
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return None
