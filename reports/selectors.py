"""Reads for the reports: evaluations, the actions one session carries into the next,
report versions and the sessions and years a report can be made for."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from meetings.models import ProgrammeYear, Session

from .models import EvaluationAction, EvaluationFinding, ReportGeneration, SessionEvaluation

REPORTABLE_STATUSES = Session.HELD_STATUSES  # a report tells what a held session did


def evaluation_for(*, session: Session) -> SessionEvaluation | None:
    return (
        SessionEvaluation.objects.filter(session=session)
        .select_related("updated_by")
        .prefetch_related(
            Prefetch("findings", queryset=EvaluationFinding.objects.order_by("position", "pk")),
            Prefetch("actions", queryset=EvaluationAction.objects.order_by("position", "pk")),
        )
        .first()
    )


def previous_session_of(*, session: Session) -> Session | None:
    """The session held before this one, across fiscal years; cancelled ones are skipped."""
    return (
        Session.objects.exclude(status=Session.Status.CANCELLED)
        .filter(
            Q(year__fiscal_year__lt=session.year.fiscal_year)
            | Q(year__fiscal_year=session.year.fiscal_year, number__lt=session.number)
        )
        .select_related("year")
        .order_by("-year__fiscal_year", "-number")
        .first()
    )


def carried_actions_for(*, session: Session) -> list[EvaluationAction]:
    """The "act" items of the previous session's evaluation: what this session should do
    differently. Empty when there is no previous session or it has no evaluation yet.

    Each action has `.evaluation.session` loaded, to name where it comes from.
    """
    previous = previous_session_of(session=session)
    if previous is None:
        return []
    return list(
        EvaluationAction.objects.filter(evaluation__session=previous)
        .select_related("evaluation__session__year")
        .order_by("position", "pk")
    )


def carried_into_next_year(*, year: ProgrammeYear) -> list[EvaluationAction]:
    """The recommendations the year hands on: the actions of its last evaluated session."""
    last = (
        SessionEvaluation.objects.filter(session__year=year)
        .exclude(session__status=Session.Status.CANCELLED)
        .order_by("-session__number")
        .values_list("pk", flat=True)
        .first()
    )
    if last is None:
        return []
    return list(
        EvaluationAction.objects.filter(evaluation_id=last)
        .select_related("evaluation__session__year")
        .order_by("position", "pk")
    )


def reportable_sessions() -> QuerySet[Session]:
    """Held sessions, newest first, with what the list page shows."""
    return (
        Session.objects.filter(status__in=REPORTABLE_STATUSES)
        .select_related("year")
        .prefetch_related("cities")
        .annotate(
            done_versions=Count(
                "report_generations",
                filter=Q(report_generations__status=ReportGeneration.Status.DONE),
            ),
            has_evaluation=Exists(SessionEvaluation.objects.filter(session=OuterRef("pk"))),
        )
        .order_by("-year__fiscal_year", "-number")
    )


def programme_years() -> QuerySet[ProgrammeYear]:
    return ProgrammeYear.objects.annotate(
        held_sessions=Count(
            "sessions", filter=Q(sessions__status__in=REPORTABLE_STATUSES), distinct=True
        ),
        done_versions=Count(
            "report_generations",
            distinct=True,
            filter=Q(
                report_generations__kind=ReportGeneration.Kind.ANNUAL,
                report_generations__status=ReportGeneration.Status.DONE,
            ),
        ),
    ).order_by("-fiscal_year")


def session_for_report(*, session_id: int) -> Session:
    return Session.objects.select_related("year").prefetch_related("cities").get(pk=session_id)


def year_for_report(*, fiscal_year: int) -> ProgrammeYear:
    return ProgrammeYear.objects.get(fiscal_year=fiscal_year)


def sessions_of_year(*, year: ProgrammeYear) -> list[Session]:
    """The year's sessions in order, with the cities the annual report page names."""
    return list(year.sessions.order_by("number").prefetch_related("cities"))


def _generations() -> QuerySet[ReportGeneration]:
    return ReportGeneration.objects.select_related(
        "programme_year", "session", "requested_by", "delivered_by"
    )


def generations_for_session(*, session: Session) -> list[ReportGeneration]:
    return list(
        _generations()
        .filter(kind=ReportGeneration.Kind.SESSION, session=session)
        .order_by("-version")
    )


def generations_for_year(*, year: ProgrammeYear) -> list[ReportGeneration]:
    return list(
        _generations()
        .filter(kind=ReportGeneration.Kind.ANNUAL, programme_year=year)
        .order_by("-version")
    )


def generation_get(*, generation_id: int) -> ReportGeneration:
    return _generations().get(pk=generation_id)


# --- The to-do list (core.todo) ------------------------------------------------------------

RECENTLY_DELIVERED_DAYS = 30


def sessions_to_evaluate() -> QuerySet[Session]:
    """FAO's turn: held sessions with no PDCA evaluation yet."""
    return Session.objects.filter(status=Session.Status.HELD).exclude(
        Exists(SessionEvaluation.objects.filter(session=OuterRef("pk")))
    )


def sessions_to_report() -> QuerySet[Session]:
    """FAO's turn: held sessions whose report has not been delivered to the executives."""
    return Session.objects.filter(status=Session.Status.HELD)


def reports_recently_delivered(*, now=None) -> QuerySet[ReportGeneration]:
    """For the executives: session reports delivered in the last 30 days."""
    from django.utils import timezone

    since = (now or timezone.now()) - dt.timedelta(days=RECENTLY_DELIVERED_DAYS)
    return ReportGeneration.objects.filter(
        kind=ReportGeneration.Kind.SESSION, delivered_at__gte=since
    )
