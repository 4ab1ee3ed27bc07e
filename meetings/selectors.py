"""Reads for the year plan, the sessions and the timeline (no N+1: each list is a fixed
number of queries whatever its length)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cities.models import InquiryLetter, SisterCity
from core.compiled import compiled_instances
from vendors.models import Product, ProductCategory, Vendor

from . import planner
from .access import can_tick_step
from .models import (
    RECORD_DRIVEN_STEPS,
    BMAParticipant,
    CityParticipant,
    ParticipantNotice,
    ProgrammeYear,
    Session,
    ShortlistEntry,
    TeamsAttendance,
    TeamsMeeting,
    TeamsMeetingRequest,
    WorkPlanStep,
)
from .months import add_months, session_month


def year_list() -> QuerySet[ProgrammeYear]:
    return ProgrammeYear.objects.annotate(
        session_count=Count("sessions", distinct=True),
        held_count=Count(
            "sessions",
            filter=Q(sessions__status__in=Session.HELD_STATUSES),
            distinct=True,
        ),
    )


def year_get(fiscal_year: int) -> ProgrammeYear:
    """The year of every year page and session list, compiled once (core.compiled, #19)."""
    years = compiled_instances(_year_of, fiscal_year)
    if not years:
        raise ProgrammeYear.DoesNotExist(f"No programme year {fiscal_year}.")
    return years[0]


def _year_of(fiscal_year: int) -> QuerySet[ProgrammeYear]:
    return ProgrammeYear.objects.filter(fiscal_year=fiscal_year)


def year_sessions(year: ProgrammeYear) -> list[tuple[Session, list[SisterCity]]]:
    """What the year page shows: each session, in order, with how many vendors it has
    (`shortlisted`), its Teams meeting's state (`teams_state`, for its status badge) and
    its cities by English name. Two queries, their SQL compiled once
    per year (core.compiled: building the count's subquery cost more Python than its SQL,
    and the cities' prefetch three times its query; #19)."""
    sessions = compiled_instances(_sessions_with_counts, year.pk)
    cities: dict[int, list[SisterCity]] = {session.pk: [] for session in sessions}
    for city in compiled_instances(_cities_of_sessions, tuple(cities)):
        cities[city.session_pk].append(city)  # type: ignore[attr-defined]
    for session in sessions:
        session.year = year
    return [(session, cities[session.pk]) for session in sessions]


def _sessions_with_counts(year_pk: int) -> QuerySet[Session]:
    # The count is a subquery, not a prefetch: the page prints a number, and loading every
    # shortlist entry to count it in Python grew with the registry (#19).
    shortlisted = (
        ShortlistEntry.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # What the status badge says of a scheduled session (Session.status_display): one
    # meeting per session and purpose at most (teamsmeeting_unique).
    teams_state = TeamsMeeting.objects.filter(
        session=OuterRef("pk"), purpose=TeamsMeeting.Purpose.SESSION
    ).values("state")[:1]
    return (
        Session.objects.filter(year_id=year_pk)
        .annotate(
            shortlisted=Coalesce(Subquery(shortlisted, output_field=IntegerField()), 0),
            teams_state=Subquery(teams_state),
        )
        .order_by("number")
    )


def _cities_of_sessions(session_ids: tuple[int, ...]) -> QuerySet[SisterCity]:
    return (
        SisterCity.objects.filter(sessions__in=session_ids)
        .annotate(session_pk=F("sessions__id"))
        .order_by("name_en", "pk")
    )


def letter_targets(fiscal_year: int) -> list[tuple[Session, SisterCity]]:
    """The (session, city) pairs of a year a letter may still be sent for: the cities of
    its sessions that are not closed. Two queries."""
    sessions = (
        Session.objects.filter(year__fiscal_year=fiscal_year)
        .exclude(status__in=Session.CLOSED_STATUSES)
        .select_related("year")
        .prefetch_related(Prefetch("cities", queryset=SisterCity.objects.order_by("name_en")))
        .order_by("number")
    )
    return [(session, city) for session in sessions for city in session.cities.all()]


def letter_get(letter_id: int) -> InquiryLetter:
    return InquiryLetter.objects.select_related("city", "session__year", "document").get(
        pk=letter_id
    )


def session_head(session_id: int) -> Session:
    """A session with its year and nothing else: what a one-field form's page (a reason, a
    note) shows above the form. session_get's dozen related lists were read for every such
    page and every POST to it."""
    return Session.objects.select_related("year").get(pk=session_id)


def session_get(session_id: int) -> Session:
    return (
        Session.objects.select_related(
            "year",
            "cancelled_by",
            "connection_test_done_by",
            "connection_test_waived_by",
            "teams_meeting_skipped_by",
            "shortlist_approved_by",
        )
        .prefetch_related(
            Prefetch("cities", queryset=SisterCity.objects.order_by("name_en")),
            Prefetch(
                "bma_participants",
                queryset=BMAParticipant.objects.select_related("user").order_by("office", "pk"),
            ),
            Prefetch(
                "city_participants",
                queryset=CityParticipant.objects.select_related("city", "contact"),
            ),
            Prefetch(
                "shortlist",
                queryset=ShortlistEntry.objects.select_related(
                    "vendor", "vendor__district"
                ).prefetch_related("products"),
            ),
            "agenda",
            Prefetch("teams_meetings", queryset=TeamsMeeting.objects.order_by("purpose")),
            Prefetch(
                "steps", queryset=WorkPlanStep.objects.select_related("done_by").order_by("number")
            ),
            Prefetch("inquiry_letters", queryset=InquiryLetter.objects.select_related("city")),
        )
        .get(pk=session_id)
    )


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    language: str
    time_zone: str


def session_recipients(session: Session) -> list[Recipient]:
    """Participants with an e-mail address, each once: BMA staff in Thai and Bangkok time,
    city participants in their own language and their city's time."""
    seen: dict[str, Recipient] = {}
    for participant in session.bma_participants.select_related("user"):
        email = participant.user.email.strip()
        if email and email.lower() not in seen:
            seen[email.lower()] = Recipient(
                participant.display_name, email, "th", planner.BANGKOK_ZONE
            )
    for city_participant in session.city_participants.select_related("city", "contact"):
        email = city_participant.display_email.strip()
        if email and email.lower() not in seen:
            seen[email.lower()] = Recipient(
                city_participant.display_name,
                email,
                city_participant.language,
                city_participant.city.time_zone,
            )
    return list(seen.values())


def session_teams_requests(session: Session, limit: int = 50) -> list[TeamsMeetingRequest]:
    return list(
        TeamsMeetingRequest.objects.filter(meeting__session=session)
        .select_related("meeting", "requested_by")
        .order_by("-requested_at", "-pk")[:limit]
    )


def meeting_of(session: Session, purpose: str) -> TeamsMeeting | None:
    """From the prefetched meetings of `session_get`."""
    return next((m for m in session.teams_meetings.all() if m.purpose == purpose), None)


def planner_places(session: Session) -> list[planner.PlaceHours]:
    return city_places(session.cities.all())


def city_places(cities: Iterable[SisterCity]) -> list[planner.PlaceHours]:
    return [
        planner.PlaceHours(name=city.name, time_zone=city.time_zone, country=str(city.country))
        for city in cities
    ]


def session_places(
    session: Session, cities: Iterable[SisterCity] | None = None
) -> list[planner.PlaceHours]:
    """Bangkok first, then each city of the session (or `cities`, the session's as already
    read): where its times are shown."""
    return [
        planner.BANGKOK,
        *(planner_places(session) if cities is None else city_places(cities)),
    ]


def session_date_warnings(
    session: Session, starts_at: dt.datetime | None = None, ends_at: dt.datetime | None = None
) -> list[str]:
    """What is wrong with the session's time (or the one typed to move it) in Bangkok or a
    city: a weekend, a public holiday, hours outside the office's. Nothing to warn of once
    the session is held or cancelled: the date is no longer a decision."""
    starts_at, ends_at = starts_at or session.starts_at, ends_at or session.ends_at
    if not starts_at or not ends_at or session.is_closed:
        return []
    year = session.year
    return planner.slot_warnings(
        starts_at,
        ends_at,
        session_places(session),
        planner.OfficeHours(year.office_hours_start, year.office_hours_end),
    )


def session_proposal(session: Session) -> planner.Proposal:
    """The planner's slot for the session's month and cities; staff apply it (or not)."""
    month = session_month(session)
    year = session.year
    return planner.propose_slot(
        month.year,
        month.month,
        planner_places(session),
        minutes=year.session_minutes,
        hours=planner.OfficeHours(year.office_hours_start, year.office_hours_end),
    )


def connection_test_proposal(session: Session) -> planner.Slot | None:
    if not session.starts_at:
        return None
    year = session.year
    return planner.propose_connection_test(
        session.starts_at,
        planner_places(session),
        minutes=year.connection_test_minutes,
        hours=planner.OfficeHours(year.office_hours_start, year.office_hours_end),
        not_before=timezone.now(),
    )


# --- The timeline -----------------------------------------------------------------------


@dataclass
class TimelineStep:
    step: WorkPlanStep
    column: int  # 1-based month column of the fiscal year
    span: int
    overdue: bool
    can_tick: bool


@dataclass
class TimelineSession:
    session: Session
    month_column: int | None
    steps: list[TimelineStep]


def year_timeline(year: ProgrammeYear, user, today: dt.date | None = None):
    """The year's months and, per session, each step as a bar over its months."""
    today = today or timezone.localdate()
    first = year.fiscal.first_day.replace(day=1)
    months = [add_months(first, i) for i in range(12)]
    sessions = (
        year.sessions.select_related("year")
        .prefetch_related(
            Prefetch("cities", queryset=SisterCity.objects.order_by("name_en")),
            Prefetch(
                "steps", queryset=WorkPlanStep.objects.select_related("done_by").order_by("number")
            ),
        )
        .order_by("number")
    )

    def column(day: dt.date) -> int:
        return (day.year - first.year) * 12 + day.month - first.month + 1

    rows = []
    for session in sessions:
        held_in = session_month(session)
        steps = [
            TimelineStep(
                step=step,
                column=max(column(step.starts_on), 1),
                span=max(min(column(step.due_on), 12) - max(column(step.starts_on), 1) + 1, 1),
                overdue=step.is_overdue(today),
                can_tick=step.number not in RECORD_DRIVEN_STEPS
                and can_tick_step(user, step.offices),
            )
            for step in session.steps.all()
        ]
        month_col = column(held_in)
        rows.append(TimelineSession(session, month_col if 1 <= month_col <= 12 else None, steps))
    today_col = column(today.replace(day=1))
    return {
        "months": months,
        "rows": rows,
        "today_column": today_col if 1 <= today_col <= 12 else None,
    }


# --- Calendars --------------------------------------------------------------------------


def _for_calendar(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """What calendars.calendar_for reads of each session."""
    return sessions.select_related("year").prefetch_related(
        Prefetch("cities", queryset=SisterCity.objects.order_by("name_en")),
        "agenda",
        Prefetch("teams_meetings", queryset=TeamsMeeting.objects.order_by("purpose")),
        "bma_participants",
    )


def year_calendar_sessions(year: ProgrammeYear) -> QuerySet[Session]:
    return _for_calendar(year.sessions.filter(starts_at__isnull=False)).order_by("number")


def session_for_calendar(session_id: int) -> Session:
    return _for_calendar(Session.objects.all()).get(pk=session_id)


def session_notices(session: Session, limit: int = 50) -> list[ParticipantNotice]:
    return list(ParticipantNotice.objects.filter(session=session).order_by("-created_at")[:limit])


# --- Shortlists: the vendors a session presents (written by services.shortlists) ----------


def sessions_for_shortlists() -> QuerySet[Session]:
    return (
        Session.objects.select_related("year", "shortlist_approved_by")
        .prefetch_related("cities")
        .annotate(shortlisted=Count("shortlist", distinct=True))
        .order_by("-year__fiscal_year", "number")
    )


def shortlist_entries(session: Session) -> QuerySet[ShortlistEntry]:
    return (
        ShortlistEntry.objects.filter(session=session)
        .select_related("vendor__district", "added_by")
        .prefetch_related(
            Prefetch("products", queryset=Product.objects.select_related("category")),
            "vendor__products",
        )
        .order_by("position", "pk")
    )


def shortlist_entries_for_export(session: Session) -> QuerySet[ShortlistEntry]:
    return (
        ShortlistEntry.objects.filter(session=session)
        .select_related("vendor__district")
        .prefetch_related(
            "vendor__languages",
            Prefetch("products", queryset=Product.objects.select_related("vendor", "category")),
        )
        .order_by("position", "pk")
    )


def session_categories(session: Session) -> set[int]:
    """The categories the session's cities are interested in (empty: no preference)."""
    return set(
        ProductCategory.objects.filter(interested_cities__sessions=session).values_list(
            "pk", flat=True
        )
    )


def default_presented_products(session: Session, vendor_ids: set[int]) -> dict[int, list[Product]]:
    """What each vendor presents unless someone chooses otherwise: its products in the
    categories the session's cities are interested in (all its products when the cities
    name none). One query for the categories, one for the products."""
    categories = session_categories(session)
    products = Product.objects.filter(vendor_id__in=vendor_ids).order_by("category__code", "pk")
    if categories:
        products = products.filter(category_id__in=categories)
    chosen: dict[int, list[Product]] = {pk: [] for pk in vendor_ids}
    for product in products:
        chosen[product.vendor_id].append(product)
    return chosen


def presented_products_choices(session: Session) -> list[ShortlistEntry]:
    """The session's shortlist, each entry with every product of its vendor (to choose
    from) and the products it presents; a fixed number of queries."""
    return list(
        ShortlistEntry.objects.filter(session=session)
        .select_related("vendor__district")
        .prefetch_related(
            Prefetch("products", queryset=Product.objects.order_by("pk")),
            Prefetch(
                "vendor__products",
                queryset=Product.objects.select_related("category").order_by(
                    "category__code", "pk"
                ),
            ),
        )
        .order_by("position", "pk")
    )


def session_category_objects(session: Session):
    return ProductCategory.objects.filter(interested_cities__sessions=session).distinct()


def session_day(session: Session) -> dt.date:
    return timezone.localdate(session.starts_at) if session.starts_at else timezone.localdate()


def shortlist_suggestions(session: Session, *, limit: int | None = 20) -> Sequence[Vendor]:
    """Candidates for the session: active vendors with a valid certificate and an
    export-ready product in a category the session's cities want; vendors never
    presented before come first, then those with more matching products.

    Each vendor carries `matching_products` (a list) and `times_presented`.
    """
    day = session_day(session)
    categories = session_categories(session)
    matching = Product.objects.filter(is_export_ready=True).select_related("category")
    if categories:
        matching = matching.filter(category_id__in=categories)
    already = ShortlistEntry.objects.filter(session=session, vendor=OuterRef("pk"))
    vendors = (
        Vendor.objects.filter(is_active=True)
        .filter(Q(certificate_expires_on__isnull=True) | Q(certificate_expires_on__gte=day))
        .filter(Exists(matching.filter(vendor=OuterRef("pk"))))
        .exclude(Exists(already))
        .select_related("district")
        .annotate(
            times_presented=Count(
                "shortlist_entries",
                filter=~Q(shortlist_entries__session=session),
                distinct=True,
            )
        )
        .prefetch_related(Prefetch("products", queryset=matching, to_attr="matching_products"))
    )
    ranked = sorted(
        vendors,
        key=lambda v: (
            v.times_presented > 0,
            v.times_presented,
            -len(v.matching_products),
            v.business_name_th,
        ),
    )
    return ranked[:limit] if limit else ranked


@dataclass(frozen=True)
class TeamsAttendanceProposal:
    """The last import of attendance from Teams: the rows matched to a participant, keyed
    by ("vendor"|"city"|"bma", row id), and the people it could not match."""

    matched: dict[tuple[str, int], TeamsAttendance]
    unmatched: list[TeamsAttendance]
    imported_at: dt.datetime | None

    def __bool__(self) -> bool:
        return self.imported_at is not None

    def for_participant(self, group: str, pk: int) -> TeamsAttendance | None:
        return self.matched.get((group, pk))


def session_teams_attendance(session: Session) -> TeamsAttendanceProposal:
    """One query, whatever the number of people."""
    rows = list(TeamsAttendance.objects.filter(session=session).order_by("name", "pk"))
    matched = {row.participant_key: row for row in rows if row.participant_key}
    return TeamsAttendanceProposal(
        matched=matched,
        unmatched=[row for row in rows if not row.participant_key],
        imported_at=max((row.imported_at for row in rows), default=None),
    )


# --- The to-do list (core.todo) ------------------------------------------------------------


def sessions_needing_connection_test() -> QuerySet[Session]:
    """SEO's turn: the city confirmed, the session is still ahead, and no connection test
    was done or waived (the source: always a test before the real meeting)."""
    return Session.objects.filter(
        status__in=(
            Session.Status.CITY_CONFIRMED,
            Session.Status.CONNECTION_TESTED,
            Session.Status.SCHEDULED,
        ),
        connection_test_done_at__isnull=True,
        connection_test_waived_reason="",
    )


def sessions_needing_attendance(*, now: dt.datetime | None = None) -> QuerySet[Session]:
    """SEO's turn: the session's time has come, and it is not yet recorded as held with
    who attended (nor cancelled)."""
    now = now or timezone.now()
    return Session.objects.filter(starts_at__lte=now).exclude(status__in=Session.CLOSED_STATUSES)


def inquiry_letters_awaiting_reply() -> QuerySet[InquiryLetter]:
    """FAO's turn to chase: letters sent to a city that has not answered yet."""
    return InquiryLetter.objects.filter(reply=InquiryLetter.Reply.PENDING)
