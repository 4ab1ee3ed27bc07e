"""Each call to Teams is a row: what was asked, its attempts, its last error, and a retry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import TeamsMeeting, TeamsMeetingRequest
from meetings.services import sessions as svc
from meetings.services.people import bma_participant_add, city_participant_add
from meetings.services.teams import (
    MAX_ATTEMPTS,
    Outcome,
    meeting_spec,
    teams_request_execute,
    teams_request_retry,
    teams_requests_pending,
)
from meetings.tasks import run_teams_request
from microsoft import teams

pytestmark = pytest.mark.django_db
Status = TeamsMeetingRequest.Status


@pytest.fixture
def scheduled(confirmed_session, fao_user, teams_backend, django_capture_on_commit_callbacks):
    """Session with its Teams meeting asked for; the first create is scripted per test."""

    def schedule(*failures):
        teams_backend.fail.extend(failures)
        with django_capture_on_commit_callbacks(execute=True):
            svc.session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
        return TeamsMeetingRequest.objects.get(action="create")

    return schedule


def test_the_spec_carries_times_in_bangkok_attendees_agenda_and_a_stable_transaction_id(
    confirmed_session, fao_user, make_user
):
    user = make_user(email="somchai@bangkok.go.th", first_name="Somchai", last_name="Dee")
    bma_participant_add(session_id=confirmed_session.pk, user=user, acting_user=fao_user)
    contact = confirmed_session.cities.get().contacts.get()
    city_participant_add(
        session_id=confirmed_session.pk,
        city=contact.city,
        contact=contact,
        acting_user=fao_user,
    )
    city_participant_add(  # the same address twice is invited once
        session_id=confirmed_session.pk,
        city=contact.city,
        name="Kim again",
        email="KIM@seoul.example.kr",
        acting_user=fao_user,
    )
    svc.session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    meeting = TeamsMeeting.objects.get()
    spec = meeting_spec(meeting, with_body=True)
    assert spec.subject == (
        f"Bangkok Brand × Seoul: session 1, FY {confirmed_session.year.fiscal_year}"
    )
    assert spec.time_zone == "Asia/Bangkok"
    assert spec.start == confirmed_session.starts_at and str(spec.start.tzinfo) == "Asia/Bangkok"
    assert spec.attendees == (
        teams.Attendee("kim@seoul.example.kr", "Kim Min-jun"),
        teams.Attendee("somchai@bangkok.go.th", "Somchai Dee"),
    )
    assert "Introductions of the participants of each side" in spec.body_html
    assert "การแนะนำผู้เข้าร่วมการประชุมของแต่ละฝ่าย" in spec.body_html
    assert spec.transaction_id == teams.make_transaction_id("session", confirmed_session.pk, 0)
    assert meeting_spec(meeting, with_body=False).body_html == ""


def test_a_transient_error_waits_as_the_server_asked(scheduled, teams_backend):
    request = scheduled(teams.TeamsTransientError("Throttled by Graph (429).", retry_after=42))
    assert request.status == Status.PENDING
    assert request.attempts == 1
    assert request.last_error == "Throttled by Graph (429)."
    wait = (request.next_attempt_at - timezone.now()).total_seconds()
    assert 40 < wait <= 42
    # Announced again before its time (a sweep), it waits.
    assert teams_request_execute(request_id=request.pk).outcome is Outcome.SKIPPED
    assert len(teams_backend.calls) == 1
    TeamsMeetingRequest.objects.filter(pk=request.pk).update(next_attempt_at=timezone.now())
    assert teams_request_execute(request_id=request.pk).outcome is Outcome.DONE
    request.refresh_from_db()
    assert (request.status, request.attempts) == (Status.SUCCEEDED, 2)
    # The retry is the same create, with the same transaction id: no second meeting.
    first, second = (call[1] for call in teams_backend.calls)
    assert first.transaction_id == second.transaction_id


def test_without_retry_after_the_backoff_doubles(scheduled):
    request = scheduled(teams.TeamsTransientError("Timed out"))
    waits = []
    for _ in range(3):
        waits.append(round((request.next_attempt_at - timezone.now()).total_seconds()))
        TeamsMeetingRequest.objects.filter(pk=request.pk).update(next_attempt_at=None)
        teams.get_backend().fail.append(teams.TeamsTransientError("Timed out"))
        teams_request_execute(request_id=request.pk)
        request.refresh_from_db()
    assert waits == [30, 60, 120]


def test_it_gives_up_after_the_last_attempt(scheduled):
    errors = [teams.TeamsTransientError("Service unavailable (503)")] * MAX_ATTEMPTS
    request = scheduled(*errors)
    for _ in range(MAX_ATTEMPTS - 1):
        TeamsMeetingRequest.objects.filter(pk=request.pk).update(next_attempt_at=None)
        teams_request_execute(request_id=request.pk)
    request.refresh_from_db()
    assert request.status == Status.FAILED
    assert request.attempts == MAX_ATTEMPTS
    assert request.last_error == "Gave up after 10 attempts: Service unavailable (503)"


def test_credentials_fail_at_once_with_the_message(scheduled):
    message = "Microsoft Graph refused the portal's credentials (401): check GRAPH_CLIENT_SECRET."
    request = scheduled(teams.TeamsAuthError(message, status=401))
    assert (request.status, request.attempts, request.last_error) == (Status.FAILED, 1, message)
    meeting = request.meeting
    meeting.refresh_from_db()
    # #13 defect 5: the meeting says what Teams confirmed.
    assert meeting.state == TeamsMeeting.State.FAILED and meeting.join_url == ""


def test_staff_retry_a_failed_create_with_the_same_transaction_id(
    scheduled, teams_backend, seo_user, django_capture_on_commit_callbacks
):
    request = scheduled(teams.TeamsPermanentError("Bad request (400)", status=400))
    with django_capture_on_commit_callbacks(execute=True):
        teams_request_retry(request_id=request.pk, acting_user=seo_user)
    request.refresh_from_db()
    # #13 defect 5: attempts accumulate across staff's retries.
    assert (request.status, request.attempts, request.last_error) == (Status.SUCCEEDED, 2, "")
    first, second = (call[1] for call in teams_backend.calls)
    assert first.transaction_id == second.transaction_id
    with pytest.raises(ValidationError) as error:
        teams_request_retry(request_id=request.pk, acting_user=seo_user)
    assert error.value.messages == ["Only a failed or waiting request can be retried."]


def test_an_update_waits_for_the_create_it_depends_on(confirmed_session, fao_user, teams_backend):
    # No on-commit execution: both rows wait, as when the worker is busy.
    svc.session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    start = confirmed_session.starts_at + dt.timedelta(hours=1)
    svc.session_reschedule(
        session_id=confirmed_session.pk,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        acting_user=fao_user,
    )
    create = TeamsMeetingRequest.objects.get(action="create")
    update = TeamsMeetingRequest.objects.get(action="update")
    result = teams_request_execute(request_id=update.pk)
    assert result.outcome is Outcome.RETRY and result.retry_in == 15
    assert teams_backend.calls == []
    assert teams_request_execute(request_id=create.pk).outcome is Outcome.DONE
    assert teams_request_execute(request_id=update.pk).outcome is Outcome.DONE
    # The create ran late, so it already carried the new time.
    assert [c[0] for c in teams_backend.calls] == ["create", "update"]
    assert teams_backend.calls[0][1].start == start


def test_a_cancel_before_the_create_ran_asks_teams_nothing(
    confirmed_session, fao_user, teams_backend
):
    svc.session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    create = TeamsMeetingRequest.objects.get(action="create")
    TeamsMeetingRequest.objects.filter(pk=create.pk).update(status=Status.FAILED)
    svc.session_cancel(session_id=confirmed_session.pk, reason="postponed", acting_user=fao_user)
    cancel = TeamsMeetingRequest.objects.get(action="cancel")
    assert teams_request_execute(request_id=cancel.pk).outcome is Outcome.DONE
    assert teams_backend.calls == []
    assert TeamsMeeting.objects.get().state == TeamsMeeting.State.CANCELLED
    # The failed create, retried after the cancel, is superseded instead of run.
    TeamsMeetingRequest.objects.filter(pk=create.pk).update(status=Status.PENDING)
    assert teams_request_execute(request_id=create.pk).outcome is Outcome.SKIPPED
    create.refresh_from_db()
    assert (create.status, create.last_error) == (
        Status.SUPERSEDED,
        "The Teams meeting was cancelled.",
    )


def test_a_recancelled_connection_test_is_made_anew_under_a_new_generation(
    confirmed_session, fao_user, teams_backend, django_capture_on_commit_callbacks
):
    start = confirmed_session.starts_at - dt.timedelta(days=7)
    for reason in ("the city's IT staff are away", None):
        with django_capture_on_commit_callbacks(execute=True):
            svc.connection_test_schedule(
                session_id=confirmed_session.pk,
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=30),
                acting_user=fao_user,
            )
        if reason:
            with django_capture_on_commit_callbacks(execute=True):
                svc.connection_test_cancel(
                    session_id=confirmed_session.pk, reason=reason, acting_user=fao_user
                )
    creates = [c[1] for c in teams_backend.calls if c[0] == "create"]
    assert [c.transaction_id for c in creates] == [
        teams.make_transaction_id("connection_test", confirmed_session.pk, 0),
        teams.make_transaction_id("connection_test", confirmed_session.pk, 1),
    ]
    assert [c[0] for c in teams_backend.calls] == ["create", "cancel", "create"]
    assert teams_backend.calls[1][2] == "the city's IT staff are away"
    meeting = TeamsMeeting.objects.get()
    assert (meeting.generation, meeting.state) == (1, TeamsMeeting.State.ACTIVE)


def test_an_event_deleted_in_outlook_is_made_anew(
    scheduled, fao_user, teams_backend, django_capture_on_commit_callbacks
):
    scheduled()
    session = TeamsMeeting.objects.get().session
    teams_backend.fail.append(teams.TeamsNotFoundError("The event no longer exists (404)."))
    start = session.starts_at + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        svc.session_reschedule(
            session_id=session.pk,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            acting_user=fao_user,
        )
    update = TeamsMeetingRequest.objects.get(action="update")
    assert (update.status, update.last_error) == (
        Status.FAILED,
        "The event no longer exists (404).",
    )
    recreate = TeamsMeetingRequest.objects.filter(action="create").latest("pk")
    assert (recreate.generation, recreate.status) == (1, Status.SUCCEEDED)
    assert TeamsMeeting.objects.get().state == TeamsMeeting.State.ACTIVE


def test_the_sweeper_finds_requests_whose_announcement_was_lost(confirmed_session, fao_user):
    svc.session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    request = TeamsMeetingRequest.objects.get()
    assert teams_requests_pending() == []
    later = timezone.now() + dt.timedelta(minutes=3)
    assert teams_requests_pending(now=later) == [(run_teams_request, (request.pk,))]


def test_the_task_runs_the_row_and_reports(scheduled):
    request = scheduled(teams.TeamsTransientError("busy", retry_after=5))
    TeamsMeetingRequest.objects.filter(pk=request.pk).update(next_attempt_at=None)
    # In-process (no broker) a retry cannot wait: the row stays pending.
    assert run_teams_request.apply(args=[request.pk]).get() == "done"
    assert run_teams_request.apply(args=[request.pk]).get() == "skipped"
