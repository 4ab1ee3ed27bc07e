"""Teams meetings of sessions and connection tests: what is asked, and what came of it.

Each call to Teams is a `TeamsMeetingRequest` row, run by a Celery task after the asking
transaction commits. The task locks the row, checks it is still wanted, builds the meeting
from the session as it is *now* (so a late update never sends stale times), calls the
backend and records the outcome. Transient failures wait and retry with backoff;
credential and request errors fail at once with a message staff can act on.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from core.audit import save_audited
from core.queue import enqueue_on_commit
from microsoft import teams

from ..models import Session, TeamsMeeting, TeamsMeetingRequest
from ..selectors import session_recipients

logger = logging.getLogger(__name__)

ORGANISER_ZONE = "Asia/Bangkok"
# What Outlook itself shows as the place of a Teams meeting.
TEAMS_LOCATION = "Microsoft Teams Meeting"
# 30 s doubling to 30 min: ten attempts span about two hours, so an hour-long Graph
# outage delays a meeting rather than failing it.
MAX_ATTEMPTS = 10
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 30 * 60
# How long an update or cancel waits for the create it depends on.
WAIT_FOR_CREATE_SECONDS = 15
# The sweeper leaves a request alone this long: its own task normally runs it.
SWEEP_GRACE = dt.timedelta(minutes=2)
# A claimed (running) request whose run has not stored an outcome after this long was left
# by a worker that died: well beyond one call's worst case (GRAPH_MAX_ATTEMPTS tries of
# GRAPH_TIMEOUT_SECONDS each, plus GRAPH_MAX_WAIT_SECONDS of waiting).
CLAIM_LEASE = dt.timedelta(minutes=10)

Action = TeamsMeetingRequest.Action
Status = TeamsMeetingRequest.Status
Purpose = TeamsMeeting.Purpose
State = TeamsMeeting.State


class Outcome(enum.Enum):
    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"
    RETRY = "retry"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    retry_in: float = 0.0


def backoff_seconds(attempts: int) -> float:
    return float(min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


# --- What the meeting looks like --------------------------------------------------------


def meeting_times(meeting: TeamsMeeting) -> tuple[dt.datetime | None, dt.datetime | None]:
    session = meeting.session
    if meeting.purpose == Purpose.SESSION:
        return session.starts_at, session.ends_at
    return session.connection_test_starts_at, session.connection_test_ends_at


def meeting_attendees(session: Session) -> tuple[teams.Attendee, ...]:
    """The same people the e-mails go to, so Teams and the invitations never disagree."""
    attendees = (teams.Attendee(email=r.email, name=r.name) for r in session_recipients(session))
    return tuple(sorted(attendees, key=lambda a: a.email.lower()))


def meeting_subject(meeting: TeamsMeeting) -> str:
    session = meeting.session
    # The subject reaches the cities' mailboxes: always in English.
    with translation.override("en"):
        # Sorted here rather than in SQL, so a prefetched list is used as it is.
        cities = ", ".join(sorted(c.name_en for c in session.cities.all()))
        base = _("Bangkok Brand × %(cities)s: session %(number)s, FY %(year)s") % {
            "cities": cities or _("sister cities"),
            "number": session.number,
            "year": session.year.fiscal_year,
        }
        if meeting.purpose == Purpose.CONNECTION_TEST:
            return _("Connection test – %(subject)s") % {"subject": base}
        return base


def meeting_body_html(meeting: TeamsMeeting) -> str:
    """The invitation's body, sent on create only (an update carrying it loses the link)."""
    session = meeting.session
    if meeting.purpose == Purpose.CONNECTION_TEST:
        return format_html(
            "<p>{}</p><p lang='th'>{}</p>",
            "A short test of sound, video and screen sharing before the session.",
            "ทดสอบระบบภาพ เสียง และการแชร์หน้าจอก่อนการประชุมจริง",
        )
    items = format_html_join(
        "",
        "<li><span lang='th'>{}</span>{}</li>",
        (
            (item.title_th, format_html(" / {}", item.title_en) if item.title_en else "")
            for item in session.agenda.all()
        ),
    )
    return format_html(
        "<p>{}</p><p lang='th'>{}</p><ol>{}</ol>",
        "Bangkok Brand products for Bangkok's sister cities. Agenda:",
        "การประชุมทางไกลเพื่อส่งเสริมผลิตภัณฑ์กรุงเทพมหานคร (Bangkok Brand) ระเบียบวาระ:",
        items,
    )


def meeting_spec(
    meeting: TeamsMeeting, *, with_body: bool, settling: bool = False
) -> teams.MeetingSpec:
    start, end = meeting_times(meeting)
    if settling and meeting.sent_starts_at and meeting.sent_ends_at:
        # Repeat the create exactly as it was sent: Graph answers with that event if it
        # exists, whatever happened to the session's times since.
        start, end = meeting.sent_starts_at, meeting.sent_ends_at
    if start is None or end is None:
        raise ValidationError(_("The meeting has no start and end time."))
    zone = ZoneInfo(ORGANISER_ZONE)
    return teams.MeetingSpec(
        subject=meeting_subject(meeting),
        start=start.astimezone(zone),
        end=end.astimezone(zone),
        time_zone=ORGANISER_ZONE,
        attendees=meeting_attendees(meeting.session),
        body_html=meeting_body_html(meeting) if with_body else "",
        transaction_id=transaction_id_for(meeting),
        # Sessions have no room of their own: they take place in the Teams meeting.
        location=TEAMS_LOCATION,
    )


def transaction_id_for(meeting: TeamsMeeting) -> str:
    return teams.make_transaction_id(meeting.purpose, meeting.session_id, meeting.generation)


# --- Asking for a call -----------------------------------------------------------------


def _enqueue(request: TeamsMeetingRequest) -> None:
    from ..tasks import run_teams_request

    enqueue_on_commit(run_teams_request, request.pk)


def _supersede_waiting(meeting: TeamsMeeting, actions: tuple[str, ...]) -> None:
    # A row a worker holds right now is skipped (it is running); everything still waiting
    # is replaced by the newer request, which sends the session as it is then.
    waiting = list(
        TeamsMeetingRequest.objects.select_for_update(skip_locked=True).filter(
            meeting=meeting, status=Status.PENDING, action__in=actions
        )
    )
    for row in waiting:
        row.status = Status.SUPERSEDED
        row.finished_at = timezone.now()
        row.save(update_fields=["status", "finished_at"])


def _check_organiser(session: Session, acting_user) -> None:
    """Graph makes the events in one mailbox, GRAPH_ORGANIZER: a session naming another
    organiser would be misleading, so it is refused; an empty one is filled in."""
    organizer = settings.GRAPH_ORGANIZER if settings.TEAMS_BACKEND == "graph" else ""
    if not organizer:
        return  # local backend; or the Graph backend reports the missing setting itself
    if session.organizer_mailbox and session.organizer_mailbox.lower() != organizer.lower():
        raise ValidationError(
            _(
                "Teams meetings are organised by %(mailbox)s (GRAPH_ORGANIZER): make it the "
                "session's organiser, or leave that empty."
            )
            % {"mailbox": organizer}
        )
    if not session.organizer_mailbox:
        session.organizer_mailbox = organizer
        save_audited(
            session,
            acting_user=acting_user,
            reason="organiser",
            update_fields=["organizer_mailbox", "updated_at"],
        )


def teams_meeting_request_create(
    *, session: Session, purpose: str, acting_user: User | None
) -> TeamsMeetingRequest:
    """Ask for the Teams meeting of the session or its connection test. A meeting that was
    cancelled before is made anew under the next generation (a new transactionId)."""
    _check_organiser(session, acting_user)
    meeting, created = TeamsMeeting.objects.select_for_update().get_or_create(
        session=session, purpose=purpose
    )
    if not created and meeting.state == State.FAILED:
        # The create failed for good: ask again under the same transactionId, so a create
        # that reached Teams after all is found instead of doubled.
        pass
    elif not created:
        if meeting.is_live:
            raise ValidationError(_("The Teams meeting is already scheduled."))
        meeting.generation += 1
        meeting.event_id = meeting.ical_uid = meeting.change_key = meeting.join_url = ""
        meeting.recreated_at = None  # a deliberate new scheduling starts afresh
        meeting.create_outcome_unknown = False
        meeting.sent_starts_at = meeting.sent_ends_at = None
    meeting.state = State.REQUESTED
    meeting.backend = settings.TEAMS_BACKEND
    meeting.save()
    request = TeamsMeetingRequest.objects.create(
        meeting=meeting,
        action=Action.CREATE,
        generation=meeting.generation,
        transaction_id=transaction_id_for(meeting),
        requested_by=acting_user,
    )
    _enqueue(request)
    return request


def teams_meeting_request_update(
    *, meeting: TeamsMeeting, acting_user: User | None
) -> TeamsMeetingRequest | None:
    """After a change of time or attendees. Nothing to do for a meeting that is not live."""
    if not meeting.is_live:
        return None
    _supersede_waiting(meeting, (Action.UPDATE,))
    request = TeamsMeetingRequest.objects.create(
        meeting=meeting,
        action=Action.UPDATE,
        generation=meeting.generation,
        requested_by=acting_user,
    )
    _enqueue(request)
    return request


def teams_meetings_follow_session(
    *, session: Session, purposes: tuple[str, ...], acting_user: User | None
) -> list[TeamsMeetingRequest]:
    requests = []
    for meeting in session.teams_meetings.select_for_update().filter(purpose__in=purposes):
        request = teams_meeting_request_update(meeting=meeting, acting_user=acting_user)
        if request:
            requests.append(request)
    return requests


def teams_meeting_request_cancel(
    *, meeting: TeamsMeeting, comment: str, acting_user: User | None
) -> TeamsMeetingRequest | None:
    unsettled = meeting.state == State.FAILED and meeting.create_outcome_unknown
    if not meeting.is_live and not unsettled:
        return None
    # A waiting create is the cancel's to settle: it repeats the create only if an attempt
    # may have reached Teams. A create running right now is waited for.
    _supersede_waiting(meeting, (Action.UPDATE, Action.CREATE))
    meeting.state = State.CANCEL_REQUESTED
    meeting.save(update_fields=["state", "updated_at"])
    request = TeamsMeetingRequest.objects.create(
        meeting=meeting,
        action=Action.CANCEL,
        generation=meeting.generation,
        comment=comment,
        requested_by=acting_user,
    )
    _enqueue(request)
    return request


@transaction.atomic
def teams_request_retry(*, request_id: int, acting_user: User) -> TeamsMeetingRequest:
    """Staff's "retry": a failed (or waiting) call is tried again now, with a fresh budget
    of attempts. A create keeps its transactionId, so it can never make a second meeting."""
    request = TeamsMeetingRequest.objects.select_for_update().get(pk=request_id)
    if not request.can_retry:
        raise ValidationError(_("Only a failed or waiting request can be retried."))
    request.status = Status.PENDING
    # Attempts keep counting; the retry gets a new budget of MAX_ATTEMPTS from here.
    request.budget_start = request.attempts
    request.next_attempt_at = None
    request.finished_at = None
    request.save(update_fields=["status", "budget_start", "next_attempt_at", "finished_at"])
    if request.action == Action.CREATE and request.generation == request.meeting.generation:
        TeamsMeeting.objects.filter(pk=request.meeting_id, state=State.FAILED).update(
            state=State.REQUESTED, updated_at=timezone.now()
        )
    _enqueue(request)
    return request


def teams_requests_pending(*, now: dt.datetime | None = None) -> list[tuple]:
    """For core.queue's sweeper: requests whose announcement was lost (broker down, or a
    worker that died) or whose retry time passed long ago. A task announced twice runs
    once: the row lock and its status decide."""
    from ..tasks import run_teams_request

    now = now or timezone.now()
    stale = TeamsMeetingRequest.objects.filter(
        Q(status=Status.PENDING, next_attempt_at__lte=now - SWEEP_GRACE)
        | Q(
            status=Status.PENDING, next_attempt_at__isnull=True, requested_at__lte=now - SWEEP_GRACE
        )
        | Q(status=Status.RUNNING, claimed_at__lte=now - CLAIM_LEASE)
    )
    return [(run_teams_request, (pk,)) for pk in stale.values_list("pk", flat=True)]


# --- Running a call --------------------------------------------------------------------


def _finish(request: TeamsMeetingRequest, status: str, error: teams.Message | None = None) -> None:
    request.status = status
    _set_error(request, error)
    request.next_attempt_at = None
    request.finished_at = timezone.now()
    request.save()
    meeting = request.meeting
    if (
        status == Status.FAILED
        and request.action == Action.CREATE
        and meeting.state == State.REQUESTED
        and meeting.generation == request.generation
    ):
        # Say what Teams confirmed: nothing. Not "requested" for ever.
        meeting.state = State.FAILED
        meeting.save(update_fields=["state", "updated_at"])


def _set_error(request: TeamsMeetingRequest, error: teams.Message | None) -> None:
    request.last_error = error.english() if error else ""
    request.error = error.as_json() if error else {}


def _record_ref(request: TeamsMeetingRequest, meeting: TeamsMeeting, ref: teams.MeetingRef):
    request.event_id, request.ical_uid = ref.event_id, ref.ical_uid
    request.change_key, request.join_url = ref.change_key, ref.join_url
    meeting.event_id = ref.event_id
    meeting.ical_uid = ref.ical_uid or meeting.ical_uid
    meeting.change_key = ref.change_key or meeting.change_key
    meeting.join_url = ref.join_url or meeting.join_url


def _create_pending(meeting: TeamsMeeting) -> bool:
    return meeting.requests.filter(
        action=Action.CREATE,
        status__in=(Status.PENDING, Status.RUNNING),
        generation=meeting.generation,
    ).exists()


@dataclass(frozen=True)
class _Claim:
    """What a claimed request will ask of Teams, read while the rows were locked."""

    request_id: int
    token: str
    action: str
    event_id: str
    spec: teams.MeetingSpec | None
    comment: str
    settle: bool  # a cancel that first repeats a create whose answer was lost


def teams_request_execute(*, request_id: int, claimant: str = "") -> Result:
    """Run one request: claim the row and commit, call Teams with no transaction or row
    lock held (a call can last a minute with its retries), then store the outcome.

    `claimant` is the task's id: the same task delivered again (its worker died in the
    call) takes its own claim over at once; anyone else waits for CLAIM_LEASE."""
    claim = _claim(request_id, claimant or uuid.uuid4().hex)
    if isinstance(claim, Result):
        return claim
    ref, error, backend_name = _call(claim)
    return _store(claim, ref, error, backend_name)


def _claim(request_id: int, token: str) -> _Claim | Result:
    with transaction.atomic():
        request = (
            TeamsMeetingRequest.objects.select_for_update(of=("self",))
            .filter(pk=request_id)
            .first()
        )
        if request is None:
            return Result(Outcome.SKIPPED)
        now = timezone.now()
        taken_over = False
        if request.status == Status.RUNNING:
            orphaned = request.claimed_by == token or (
                request.claimed_at is not None and request.claimed_at <= now - CLAIM_LEASE
            )
            if not orphaned:
                return Result(Outcome.SKIPPED)  # another run is calling Teams right now
            taken_over = True
        elif request.status != Status.PENDING:
            return Result(Outcome.SKIPPED)
        elif request.next_attempt_at and request.next_attempt_at > now:
            # A second announcement (the sweeper's) before the backoff is over.
            return Result(Outcome.SKIPPED)
        meeting = (
            TeamsMeeting.objects.select_for_update(of=("self",))
            .select_related("session__year")
            .get(pk=request.meeting_id)
        )
        request.meeting = meeting
        if taken_over and request.action == Action.CREATE:
            # The run that died may have reached Graph before it did.
            meeting.create_outcome_unknown = True
            meeting.save(update_fields=["create_outcome_unknown", "updated_at"])
        stale = _stale_reason(request, meeting)
        if stale:
            _finish(request, Status.SUPERSEDED, stale)
            return Result(Outcome.SKIPPED)
        settle = False
        if request.action in (Action.UPDATE, Action.CANCEL) and not meeting.event_id:
            if _create_pending(meeting):
                return Result(Outcome.RETRY, WAIT_FOR_CREATE_SECONDS)
            if request.action == Action.UPDATE:
                _finish(request, Status.FAILED, teams.Message("teams_never_created"))
                return Result(Outcome.FAILED)
            if not meeting.create_outcome_unknown:
                # No create attempt can have reached Teams: there is nothing to cancel.
                meeting.state = State.CANCELLED
                meeting.save(update_fields=["state", "updated_at"])
                _finish(request, Status.SUCCEEDED)
                return Result(Outcome.DONE)
            settle = True
        request.attempts += 1
        try:
            spec = None
            if request.action == Action.CREATE:
                spec = meeting_spec(meeting, with_body=True)
                meeting.sent_starts_at, meeting.sent_ends_at = spec.start, spec.end
                meeting.save(update_fields=["sent_starts_at", "sent_ends_at", "updated_at"])
            elif request.action == Action.UPDATE:
                spec = meeting_spec(meeting, with_body=False)
            elif settle:
                spec = meeting_spec(meeting, with_body=True, settling=True)
        except ValidationError as exc:
            _finish(request, Status.FAILED, teams.Message.text(" ".join(exc.messages)))
            return Result(Outcome.FAILED)
        request.status = Status.RUNNING
        request.claimed_at, request.claimed_by = now, token
        request.save(update_fields=["status", "attempts", "claimed_at", "claimed_by"])
        return _Claim(
            request_id=request.pk,
            token=token,
            action=request.action,
            event_id=meeting.event_id,
            spec=spec,
            comment=request.comment,
            settle=settle,
        )


def _call(claim: _Claim) -> tuple[teams.MeetingRef | None, Exception | None, str]:
    """The network part, outside any transaction. Returns what Teams gave back (also a
    settled create's ref when the cancel after it failed) and the error, if any."""
    ref = None
    backend_name = settings.TEAMS_BACKEND
    try:
        backend = teams.get_backend()
        backend_name = getattr(backend, "name", backend_name)
        if claim.action == Action.CREATE:
            assert claim.spec is not None  # _claim builds a spec for every create
            ref = backend.create_meeting(claim.spec)
        elif claim.action == Action.UPDATE:
            assert claim.spec is not None  # and for every update
            ref = backend.update_meeting(claim.event_id, claim.spec)
        else:
            event_id = claim.event_id
            if claim.settle:
                # A create's answer was lost: the same transactionId returns the event if
                # Graph made it, so it can be cancelled and the attendees told.
                assert claim.spec is not None  # _claim builds one when settling
                ref = backend.create_meeting(claim.spec)
                event_id = ref.event_id
            backend.cancel_meeting(event_id, claim.comment)
    except Exception as exc:  # sorted out in _store, with the rows locked again
        return ref, exc, backend_name
    return ref, None, backend_name


def _store(
    claim: _Claim, ref: teams.MeetingRef | None, error: Exception | None, backend_name: str
) -> Result:
    with transaction.atomic():
        request = TeamsMeetingRequest.objects.select_for_update(of=("self",)).get(
            pk=claim.request_id
        )
        meeting = TeamsMeeting.objects.select_for_update(of=("self",)).get(pk=request.meeting_id)
        request.meeting = meeting
        if request.status != Status.RUNNING or request.claimed_by != claim.token:
            # Our claim ran out and another run took the row over: its outcome counts.
            return Result(Outcome.SKIPPED)
        request.status = Status.PENDING
        if ref is not None:
            _record_ref(request, meeting, ref)
            if claim.action != Action.UPDATE:
                meeting.create_outcome_unknown = False
            meeting.save()
        if error is None:
            return _succeeded(request, meeting, backend_name)
        return _failed(request, meeting, error)


def _succeeded(request: TeamsMeetingRequest, meeting: TeamsMeeting, backend_name: str) -> Result:
    if request.action == Action.CREATE:
        if meeting.state in (State.REQUESTED, State.FAILED):
            # Not over a cancel asked meanwhile: that cancel waited for this create.
            meeting.state = State.ACTIVE
    elif request.action == Action.CANCEL:
        request.event_id = meeting.event_id
        meeting.state = State.CANCELLED
    meeting.backend = backend_name
    meeting.save()
    _finish(request, Status.SUCCEEDED)
    return Result(Outcome.DONE)


def _failed(request: TeamsMeetingRequest, meeting: TeamsMeeting, exc: Exception) -> Result:
    if isinstance(exc, teams.TeamsTransientError):
        if request.action == Action.CREATE and (exc.status is None or exc.status >= 500):
            # No answer, or a server error: Graph may have made the event all the same.
            meeting.create_outcome_unknown = True
            meeting.save()
        return _transient(request, exc.message, exc.retry_after)
    if isinstance(exc, teams.TeamsNotFoundError):
        return _not_found(request, meeting, exc)
    if isinstance(exc, teams.TeamsError | ValidationError):
        if isinstance(exc, teams.TeamsError):
            message = exc.message
        else:
            message = teams.Message.text(" ".join(exc.messages))
        _finish(request, Status.FAILED, message)
        logger.warning("Teams %s for %s failed: %s", request.action, meeting, message.english())
        return Result(Outcome.FAILED)
    # An unforeseen failure is retried like a transient one.
    logger.error("Teams %s for %s raised", request.action, meeting, exc_info=exc)
    return _transient(request, teams.Message("teams_unexpected", {"error": str(exc)}), None)


def _stale_reason(request: TeamsMeetingRequest, meeting: TeamsMeeting) -> teams.Message | None:
    if request.generation != meeting.generation:
        return teams.Message("teams_replaced")
    if request.action != Action.CANCEL and meeting.state in (
        State.CANCEL_REQUESTED,
        State.CANCELLED,
    ):
        return teams.Message("teams_cancelled")
    return None


def _transient(
    request: TeamsMeetingRequest, message: teams.Message, retry_after: float | None
) -> Result:
    if request.attempts - request.budget_start >= MAX_ATTEMPTS:
        _finish(
            request,
            Status.FAILED,
            teams.Message("teams_gave_up", {"count": request.attempts, "error": message.as_json()}),
        )
        return Result(Outcome.FAILED)
    delay = retry_after if retry_after is not None else backoff_seconds(request.attempts)
    _set_error(request, message)
    request.next_attempt_at = timezone.now() + dt.timedelta(seconds=delay)
    request.status = Status.PENDING
    request.save(update_fields=["status", "attempts", "last_error", "error", "next_attempt_at"])
    return Result(Outcome.RETRY, delay)


def _not_found(request: TeamsMeetingRequest, meeting: TeamsMeeting, exc) -> Result:
    if request.action == Action.CANCEL:
        meeting.state = State.CANCELLED
        meeting.save()
        _finish(request, Status.SUCCEEDED, exc.message)
        return Result(Outcome.DONE)
    meeting.state = State.FAILED if request.action == Action.CREATE else State.CANCELLED
    if request.action == Action.CREATE or meeting.recreated_at is not None:
        # Never re-create from a create, nor twice: either could loop without end.
        if request.action == Action.UPDATE:
            message = teams.Message("teams_deleted_again")
        else:
            message = exc.message
        meeting.save()
        _finish(request, Status.FAILED, message)
        return Result(Outcome.FAILED)
    # Deleted in Outlook while the portal still wants it: make it anew (new generation),
    # once, and say so on the session page.
    _finish(request, Status.FAILED, exc.message)
    meeting.save()
    teams_meeting_request_create(
        session=meeting.session, purpose=meeting.purpose, acting_user=request.requested_by
    )
    meeting.refresh_from_db()
    meeting.recreated_at = timezone.now()
    meeting.save(update_fields=["recreated_at", "updated_at"])
    return Result(Outcome.FAILED)
