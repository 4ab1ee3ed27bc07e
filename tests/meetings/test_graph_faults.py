"""The portal's Teams requests under the Graph faults of #13, against the fake Entra ID and
Graph over real HTTPS, with a ceiling on the requests each action may send."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from meetings.models import TeamsMeetingRequest
from meetings.services import sessions as svc
from meetings.services.teams import teams_request_execute, teams_request_retry

pytestmark = pytest.mark.django_db
Status = TeamsMeetingRequest.Status


def schedule(session, user, capture):
    with capture(execute=True):
        svc.session_schedule(session_id=session.pk, acting_user=user)
    return TeamsMeetingRequest.objects.get(action="create", meeting__purpose="session")


def run_again(request: TeamsMeetingRequest) -> TeamsMeetingRequest:
    TeamsMeetingRequest.objects.filter(pk=request.pk).update(next_attempt_at=None)
    teams_request_execute(request_id=request.pk)
    request.refresh_from_db()
    return request


# --- defect 1: a token Graph rejects, a consent granted later --------------------------------


def test_retry_after_consent_is_granted_gets_a_fresh_token(
    fake_graph, confirmed_session, fao_user, django_capture_on_commit_callbacks
):
    fake_graph.revoke_consent("Calendars.ReadWrite")
    request = schedule(confirmed_session, fao_user, django_capture_on_commit_callbacks)
    assert request.status == Status.FAILED
    assert "Calendars.ReadWrite" in request.last_error

    fake_graph.grant_consent("Calendars.ReadWrite")
    with django_capture_on_commit_callbacks(execute=True):
        teams_request_retry(request_id=request.pk, acting_user=fao_user)
    request.refresh_from_db()

    assert request.status == Status.SUCCEEDED
    assert len(fake_graph.token_requests) == 2
    assert len(fake_graph.graph_calls()) == 2


# --- defect 3: a missing mailbox is configuration; a missing event was deleted in Outlook ----


def drain(capture, *, rounds: int = 30) -> int:
    """Run every waiting request (as the worker and the sweeper would) until none is left;
    the number of rounds it took. Bounded, so a loop shows up as a failed assertion."""
    for round_ in range(1, rounds + 1):
        waiting = list(
            TeamsMeetingRequest.objects.filter(status=Status.PENDING).values_list("pk", flat=True)
        )
        if not waiting:
            return round_ - 1
        TeamsMeetingRequest.objects.filter(pk__in=waiting).update(next_attempt_at=None)
        for pk in waiting:
            # What a request enqueues runs in the next round, not nested in this one.
            with capture(execute=False):
                teams_request_execute(request_id=pk)
    return rounds


@pytest.mark.parametrize(
    ("mailboxes", "code", "detail"),
    [
        ("missing_mailboxes", "ErrorInvalidUser", "The requested user '{organizer}' is invalid."),
        (
            "unlicensed_mailboxes",
            "MailboxNotEnabledForRESTAPI",
            "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
        ),
    ],
)
def test_a_missing_organiser_mailbox_fails_once_and_names_the_setting(
    fake_graph,
    confirmed_session,
    fao_user,
    django_capture_on_commit_callbacks,
    mailboxes,
    code,
    detail,
):
    getattr(fake_graph, mailboxes).add(fake_graph.organizer)
    with django_capture_on_commit_callbacks(execute=False):
        svc.session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    request = TeamsMeetingRequest.objects.get()
    assert drain(django_capture_on_commit_callbacks) == 1

    request.refresh_from_db()
    assert (request.status, request.attempts) == (Status.FAILED, 1)
    assert request.last_error == (
        f"Microsoft Graph has no usable mailbox {fake_graph.organizer} (404 {code}: "
        f"{detail.format(organizer=fake_graph.organizer)}). Check GRAPH_ORGANIZER: it must be "
        "a licensed Exchange Online work mailbox."
    )
    assert TeamsMeetingRequest.objects.count() == 1
    assert len(fake_graph.graph_calls()) == 1


def test_an_event_deleted_in_outlook_is_re_created_once_and_the_page_says_so(
    fake_graph, confirmed_session, fao_user, django_capture_on_commit_callbacks, client_for
):
    import datetime as dt

    from meetings.models import TeamsMeeting

    schedule(confirmed_session, fao_user, django_capture_on_commit_callbacks)
    fake_graph.events.clear()  # someone deleted it in Outlook

    def move(hours):
        start = confirmed_session.starts_at + dt.timedelta(hours=hours)
        with django_capture_on_commit_callbacks(execute=False):
            svc.session_reschedule(
                session_id=confirmed_session.pk,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                acting_user=fao_user,
            )
        drain(django_capture_on_commit_callbacks)

    move(1)
    meeting = TeamsMeeting.objects.get()
    assert (meeting.state, meeting.generation) == (TeamsMeeting.State.ACTIVE, 1)
    assert meeting.recreated_at is not None
    assert len(fake_graph.events) == 1
    url = reverse("meetings:session-detail", args=[confirmed_session.pk])
    english = client_for(fao_user).get(url).content.decode()
    assert "It was deleted in Outlook and made anew: the attendees got a new invitation." in (
        english
    )
    thai = client_for(fao_user, language="th").get(url).content.decode()
    assert "การประชุมนี้ถูกลบใน Outlook จึงสร้างใหม่แล้ว ผู้เข้าร่วมได้รับคำเชิญใหม่" in thai

    fake_graph.events.clear()  # deleted again: not re-created a second time
    with translation.override("en"):
        move(2)
    meeting.refresh_from_db()
    assert meeting.state == TeamsMeeting.State.CANCELLED
    last = TeamsMeetingRequest.objects.latest("pk")
    assert (last.action, last.status) == ("update", Status.FAILED)
    assert last.last_error == (
        "The Teams meeting was deleted in Outlook again, after it had been made anew once. "
        "Schedule it again if it is still wanted."
    )
    assert len(fake_graph.graph_calls("POST")) == 2
    assert fake_graph.events == {}


# --- defect 2: a cancel settles a create whose outcome is unknown -----------------------------


@pytest.mark.parametrize("fault", ["lost answer", "timeout"])
def test_a_cancel_after_an_unknown_create_outcome_cancels_the_meeting_in_teams(
    fake_graph, confirmed_session, fao_user, settings, django_capture_on_commit_callbacks, fault
):
    settings.GRAPH_TIMEOUT_SECONDS = 0.5
    if fault == "lost answer":
        fake_graph.drop_next(method="POST")
    else:
        fake_graph.delay_next(1.5, method="POST")
    create = schedule(confirmed_session, fao_user, django_capture_on_commit_callbacks)
    assert create.status == Status.PENDING
    (event_id,) = fake_graph.events  # Graph made it and invited everyone

    with django_capture_on_commit_callbacks(execute=True):
        svc.session_cancel(
            session_id=confirmed_session.pk, reason="Seoul postponed", acting_user=fao_user
        )
    assert drain(django_capture_on_commit_callbacks) < 30

    cancel = TeamsMeetingRequest.objects.get(action="cancel")
    assert (cancel.status, cancel.event_id) == (Status.SUCCEEDED, event_id)
    assert fake_graph.events == {}
    assert fake_graph.cancelled[event_id]["cancelComment"] == "Seoul postponed"
    first, settle = fake_graph.graph_calls("POST", path="/events")[:2]
    assert settle.json["transactionId"] == first.json["transactionId"]
    assert len(fake_graph.graph_calls()) == 3  # the lost create, the settling create, cancel
    create.refresh_from_db()
    assert create.status == Status.SUPERSEDED


def test_a_cancel_before_any_create_attempt_calls_no_graph(
    fake_graph, confirmed_session, fao_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        svc.session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
        svc.session_cancel(session_id=confirmed_session.pk, reason="Off", acting_user=fao_user)
    drain(django_capture_on_commit_callbacks)
    assert TeamsMeetingRequest.objects.get(action="cancel").status == Status.SUCCEEDED
    assert fake_graph.graph_calls() == []


# --- no unbounded loop: a ceiling on the requests of one action under every fault -------------

ALWAYS = 1000  # the fault lasts longer than any budget of attempts

# Each action: at most MAX_ATTEMPTS (10) runs of the row, each at most GRAPH_MAX_ATTEMPTS (3)
# tries plus one retry with a fresh token after a 401.
FAULTS = {
    "401 on every call": (lambda f: f.fail_next(401, times=ALWAYS), 2, 2),
    "403 consent missing": (lambda f: f.revoke_consent(), 1, 1),
    "404 mailbox missing": (lambda f: f.missing_mailboxes.add(f.organizer), 1, 1),
    "404 mailbox unlicensed": (lambda f: f.unlicensed_mailboxes.add(f.organizer), 1, 1),
    "400 bad request": (lambda f: f.fail_next(400, times=ALWAYS), 1, 1),
    "429 throttled": (lambda f: f.fail_next(429, retry_after=0, times=ALWAYS), 30, 1),
    "503 unavailable": (lambda f: f.fail_next(503, times=ALWAYS), 30, 1),
    "answer lost": (lambda f: f.drop_next(method="POST", times=ALWAYS), 10, 1),
    "timeout": (lambda f: f.delay_next(0.6, method="POST", times=ALWAYS), 10, 1),
    "token endpoint 500": (lambda f: f.fail_next(500, target="token", times=ALWAYS), 0, 10),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_scheduling_under_each_fault_sends_a_bounded_number_of_requests(
    fake_graph, confirmed_session, fao_user, settings, django_capture_on_commit_callbacks, fault
):
    settings.GRAPH_TIMEOUT_SECONDS = 0.3
    settings.GRAPH_MAX_WAIT_SECONDS = 1.0
    inject, graph_ceiling, token_ceiling = FAULTS[fault]
    inject(fake_graph)
    with django_capture_on_commit_callbacks(execute=False):
        svc.session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)

    rounds = drain(django_capture_on_commit_callbacks)

    assert rounds < 30, "the requests never finished"
    (request,) = TeamsMeetingRequest.objects.all()
    assert request.status == Status.FAILED
    assert len(fake_graph.graph_calls()) <= graph_ceiling
    assert len(fake_graph.token_requests) <= token_ceiling


def test_one_scheduled_session_costs_one_token_and_one_create(
    fake_graph, confirmed_session, fao_user, django_capture_on_commit_callbacks
):
    request = schedule(confirmed_session, fao_user, django_capture_on_commit_callbacks)
    assert request.status == Status.SUCCEEDED
    assert [(r.kind, r.method) for r in fake_graph.requests] == [
        ("discovery", "GET"),  # once per process: msal's OpenID discovery
        ("token", "POST"),
        ("graph", "POST"),
    ]


# --- defect 5: statuses say what Teams confirmed ------------------------------------------


def test_a_session_whose_create_failed_for_good_is_not_shown_as_scheduled(
    fake_graph, confirmed_session, fao_user, client_for, django_capture_on_commit_callbacks
):
    from meetings.models import TeamsMeeting

    fake_graph.revoke_consent()
    request = schedule(confirmed_session, fao_user, django_capture_on_commit_callbacks)
    assert request.status == Status.FAILED
    assert TeamsMeeting.objects.get().state == TeamsMeeting.State.FAILED

    url = reverse("meetings:session-detail", args=[confirmed_session.pk])
    english = client_for(fao_user).get(url).content.decode()
    assert ">Not scheduled: Teams failed</span>" in english
    assert ">Failed in Teams</span>" in english
    thai = client_for(fao_user, language="th").get(url).content.decode()
    assert ">ยังไม่ได้นัดหมาย: Teams ล้มเหลว</span>" in thai

    fake_graph.grant_consent()
    with django_capture_on_commit_callbacks(execute=True):
        teams_request_retry(request_id=request.pk, acting_user=fao_user)
    assert TeamsMeeting.objects.get().state == TeamsMeeting.State.ACTIVE
    assert ">Scheduled</span>" in client_for(fao_user).get(url).content.decode()


def test_a_session_waiting_for_teams_says_so(
    fake_graph, confirmed_session, fao_user, client_for, django_capture_on_commit_callbacks
):
    fake_graph.fail_next(503, times=3)
    schedule(confirmed_session, fao_user, django_capture_on_commit_callbacks)
    url = reverse("meetings:session-detail", args=[confirmed_session.pk])
    assert ">Scheduled, waiting for Teams</span>" in client_for(fao_user).get(url).content.decode()


def test_retry_keeps_counting_the_attempts(
    fake_graph, confirmed_session, fao_user, django_capture_on_commit_callbacks
):
    fake_graph.drop_next(method="POST")
    request = schedule(confirmed_session, fao_user, django_capture_on_commit_callbacks)
    assert (request.status, request.attempts) == (Status.PENDING, 1)
    with django_capture_on_commit_callbacks(execute=True):
        teams_request_retry(request_id=request.pk, acting_user=fao_user)
    request.refresh_from_db()
    assert (request.status, request.attempts) == (Status.SUCCEEDED, 2)


@pytest.mark.django_db(transaction=True)  # the command commits, then the task runs
def test_schedule_session_exits_non_zero_when_teams_failed(fake_graph, confirmed_session):
    from django.core.management import CommandError, call_command

    fake_graph.missing_mailboxes.add(fake_graph.organizer)
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("schedule_session", str(confirmed_session.pk))
    assert str(error.value) == (
        f"Session {confirmed_session.pk}: the Teams request failed: Microsoft Graph has no "
        f"usable mailbox {fake_graph.organizer} (404 ErrorInvalidUser: The requested user "
        f"'{fake_graph.organizer}' is invalid.). Check GRAPH_ORGANIZER: it must be a licensed "
        "Exchange Online work mailbox."
    )
