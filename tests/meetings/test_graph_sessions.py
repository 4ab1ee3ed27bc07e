"""The portal's own service calls against the fake Entra ID and Graph over real HTTPS
(TEAMS_BACKEND=graph), each request asserted field by field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from meetings.models import Session, TeamsMeeting, TeamsMeetingRequest
from meetings.services import sessions as svc
from meetings.services.people import bma_participant_add, city_participant_add
from meetings.services.teams import teams_request_execute
from microsoft.teams import make_transaction_id

from .support import BANGKOK

pytestmark = pytest.mark.django_db
Status = TeamsMeetingRequest.Status


@pytest.fixture
def graph_session(fake_graph, confirmed_session, fao_user, make_user):
    """Session 1 with Seoul, one BMA participant and the city's contact, cities confirmed."""
    user = make_user(email="somchai@bangkok.go.th", first_name="Somchai", last_name="Dee")
    bma_participant_add(session_id=confirmed_session.pk, user=user, acting_user=fao_user)
    contact = confirmed_session.cities.get().contacts.get()
    city_participant_add(
        session_id=confirmed_session.pk,
        city=contact.city,
        contact=contact,
        acting_user=fao_user,
    )
    return Session.objects.get(pk=confirmed_session.pk)


def wall_clock(moment: dt.datetime) -> str:
    return moment.astimezone(BANGKOK).replace(tzinfo=None).isoformat(timespec="seconds")


ATTENDEES = [
    {
        "emailAddress": {"address": "kim@seoul.example.kr", "name": "Kim Min-jun"},
        "type": "required",
    },
    {
        "emailAddress": {"address": "somchai@bangkok.go.th", "name": "Somchai Dee"},
        "type": "required",
    },
]


def schedule(session, user, capture):
    with capture(execute=True):
        svc.session_schedule(session_id=session.pk, acting_user=user)
    return TeamsMeetingRequest.objects.get(action="create", meeting__purpose="session")


def test_schedule_move_and_cancel_through_graph(
    fake_graph, graph_session, fao_user, django_capture_on_commit_callbacks
):
    session = graph_session
    events_path = f"/v1.0/users/{fake_graph.organizer}/events"
    request = schedule(session, fao_user, django_capture_on_commit_callbacks)
    assert (request.status, request.attempts, request.last_error) == (Status.SUCCEEDED, 1, "")

    (create,) = fake_graph.graph_calls("POST")
    assert create.path == events_path
    assert create.header("Authorization").startswith("Bearer ")
    body = create.json
    assert set(body) == {
        "subject",
        "start",
        "end",
        "attendees",
        "isOnlineMeeting",
        "onlineMeetingProvider",
        "location",
        "transactionId",
        "body",
    }
    assert body["subject"] == f"Bangkok Brand × Seoul: session 1, FY {session.year.fiscal_year}"
    assert body["start"] == {"dateTime": wall_clock(session.starts_at), "timeZone": "Asia/Bangkok"}
    assert body["end"] == {"dateTime": wall_clock(session.ends_at), "timeZone": "Asia/Bangkok"}
    assert body["attendees"] == ATTENDEES
    # #13 defect 8: where the meeting takes place, for calendars that show it.
    assert body["location"] == {"displayName": "Microsoft Teams Meeting"}
    assert body["isOnlineMeeting"] is True
    assert body["onlineMeetingProvider"] == "teamsForBusiness"
    assert body["transactionId"] == make_transaction_id("session", session.pk, 0)
    assert body["body"]["contentType"] == "HTML"
    assert "Summary and exchange of contact details" in body["body"]["content"]

    meeting = TeamsMeeting.objects.get(purpose="session")
    event = fake_graph.events[meeting.event_id]
    assert meeting.backend == "graph" and meeting.state == TeamsMeeting.State.ACTIVE
    assert meeting.join_url == event["onlineMeeting"]["joinUrl"]
    assert meeting.join_url.startswith("https://teams.microsoft.com/l/meetup-join/")
    assert (meeting.ical_uid, meeting.change_key) == (event["iCalUId"], event["changeKey"])
    assert (request.event_id, request.join_url) == (meeting.event_id, meeting.join_url)

    first_change_key, join_url = meeting.change_key, meeting.join_url
    # Move it a day later: a PATCH with time, subject and attendees, never the body.
    new_start = session.starts_at + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        svc.session_reschedule(
            session_id=session.pk,
            starts_at=new_start,
            ends_at=new_start + dt.timedelta(hours=2),
            acting_user=fao_user,
        )
    (patch,) = fake_graph.graph_calls("PATCH")
    assert patch.path == f"{events_path}/{meeting.event_id}"
    assert patch.json == {
        "subject": body["subject"],
        "start": {"dateTime": wall_clock(new_start), "timeZone": "Asia/Bangkok"},
        "end": {
            "dateTime": wall_clock(new_start + dt.timedelta(hours=2)),
            "timeZone": "Asia/Bangkok",
        },
        "attendees": ATTENDEES,
        "location": {"displayName": "Microsoft Teams Meeting"},
    }
    meeting.refresh_from_db()
    # The Teams link survives the update; the change key is the new one.
    assert meeting.join_url == join_url == event["onlineMeeting"]["joinUrl"]
    assert meeting.change_key == event["changeKey"] != first_change_key
    assert fake_graph.events[meeting.event_id]["start"]["dateTime"].startswith(
        new_start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    )

    # Cancel: POST .../cancel with the reason as the comment.
    with django_capture_on_commit_callbacks(execute=True):
        svc.session_cancel(
            session_id=session.pk, reason="Seoul asked to postpone", acting_user=fao_user
        )
    (cancel,) = fake_graph.graph_calls("POST", path="/cancel")
    assert cancel.path == f"{events_path}/{meeting.event_id}/cancel"
    assert cancel.json == {"Comment": "Seoul asked to postpone"}
    assert fake_graph.cancelled[meeting.event_id]["cancelComment"] == "Seoul asked to postpone"
    assert meeting.event_id not in fake_graph.events
    meeting.refresh_from_db()
    assert meeting.state == TeamsMeeting.State.CANCELLED
    assert len(fake_graph.token_requests) == 1  # one app object per process: the token is reused


def test_an_attendee_change_patches_the_attendees(
    fake_graph, graph_session, fao_user, make_user, django_capture_on_commit_callbacks
):
    schedule(graph_session, fao_user, django_capture_on_commit_callbacks)
    newcomer = make_user(email="it@bangkok.go.th", first_name="Anan", last_name="IT")
    with django_capture_on_commit_callbacks(execute=True):
        bma_participant_add(session_id=graph_session.pk, user=newcomer, acting_user=fao_user)
    (patch,) = fake_graph.graph_calls("PATCH")
    assert set(patch.json) == {"subject", "start", "end", "attendees", "location"}
    assert [a["emailAddress"]["address"] for a in patch.json["attendees"]] == [
        "it@bangkok.go.th",
        "kim@seoul.example.kr",
        "somchai@bangkok.go.th",
    ]


def test_the_connection_test_is_its_own_shorter_event(
    fake_graph, graph_session, seo_user, django_capture_on_commit_callbacks
):
    start = graph_session.starts_at - dt.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        svc.connection_test_schedule(
            session_id=graph_session.pk,
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=30),
            acting_user=seo_user,
        )
    (create,) = fake_graph.graph_calls("POST")
    assert create.json["subject"] == (
        f"Connection test – Bangkok Brand × Seoul: session 1, FY {graph_session.year.fiscal_year}"
    )
    assert create.json["start"]["dateTime"] == wall_clock(start)
    assert create.json["end"]["dateTime"] == wall_clock(start + dt.timedelta(minutes=30))
    assert create.json["transactionId"] == make_transaction_id(
        "connection_test", graph_session.pk, 0
    )
    assert create.json["transactionId"] != make_transaction_id("session", graph_session.pk, 0)
    assert TeamsMeeting.objects.get(purpose="connection_test").join_url


def test_a_lost_answer_is_retried_without_a_second_meeting(
    fake_graph, graph_session, fao_user, django_capture_on_commit_callbacks
):
    fake_graph.drop_next(method="POST")
    request = schedule(graph_session, fao_user, django_capture_on_commit_callbacks)
    assert request.status == Status.PENDING and request.attempts == 1
    assert request.last_error.startswith("Microsoft Graph connection failed on POST ")
    assert len(fake_graph.events) == 1  # Graph made it; the answer was lost

    TeamsMeetingRequest.objects.filter(pk=request.pk).update(next_attempt_at=None)
    teams_request_execute(request_id=request.pk)
    request.refresh_from_db()
    assert (request.status, request.attempts) == (Status.SUCCEEDED, 2)
    first, second = fake_graph.graph_calls("POST")
    assert first.json["transactionId"] == second.json["transactionId"]
    assert len(fake_graph.events) == 1
    (event_id,) = fake_graph.events
    assert TeamsMeeting.objects.get().event_id == event_id


def test_a_timeout_is_retried_without_a_second_meeting(
    fake_graph, graph_session, fao_user, settings, django_capture_on_commit_callbacks
):
    settings.GRAPH_TIMEOUT_SECONDS = 0.5
    fake_graph.delay_next(1.5, method="POST")
    request = schedule(graph_session, fao_user, django_capture_on_commit_callbacks)
    assert request.status == Status.PENDING
    assert request.last_error == (
        f"Microsoft Graph did not answer POST {fake_graph.api_base}/users/"
        f"{fake_graph.organizer}/events within 0.5 s."
    )
    TeamsMeetingRequest.objects.filter(pk=request.pk).update(next_attempt_at=None)
    teams_request_execute(request_id=request.pk)
    request.refresh_from_db()
    assert request.status == Status.SUCCEEDED
    assert len(fake_graph.events) == 1


def test_throttling_beyond_the_client_wait_returns_to_the_row(
    fake_graph, graph_session, fao_user, settings, django_capture_on_commit_callbacks
):
    settings.GRAPH_MAX_WAIT_SECONDS = 1.0
    fake_graph.fail_next(429, retry_after=120, code="TooManyRequests", message="Slow down.")
    request = schedule(graph_session, fao_user, django_capture_on_commit_callbacks)
    assert request.status == Status.PENDING
    assert request.last_error == (
        "Microsoft Graph is busy or failing (429 TooManyRequests: Slow down.); try again later."
    )
    wait = (request.next_attempt_at - timezone.now()).total_seconds()
    assert 115 < wait <= 120
    assert len(fake_graph.graph_calls("POST")) == 1
    assert fake_graph.events == {}


def test_a_short_retry_after_is_honoured_inside_one_attempt(
    fake_graph, graph_session, fao_user, django_capture_on_commit_callbacks
):
    fake_graph.fail_next(429, retry_after=1)
    request = schedule(graph_session, fao_user, django_capture_on_commit_callbacks)
    assert (request.status, request.attempts) == (Status.SUCCEEDED, 1)
    first, second = fake_graph.graph_calls("POST")
    assert second.at - first.at >= 1.0


def test_a_500_then_success(
    fake_graph, graph_session, fao_user, django_capture_on_commit_callbacks
):
    fake_graph.fail_next(500, code="generalException", message="Boom")
    request = schedule(graph_session, fao_user, django_capture_on_commit_callbacks)
    assert (request.status, request.attempts) == (Status.SUCCEEDED, 1)
    assert len(fake_graph.graph_calls("POST")) == 2
    assert len(fake_graph.events) == 1


def test_401_fails_at_once_with_a_clear_message(
    fake_graph, graph_session, fao_user, django_capture_on_commit_callbacks
):
    # #13: the first 401 gets a fresh token and one retry; the second fails the row.
    fake_graph.fail_next(
        401, times=2, code="InvalidAuthenticationToken", message="Access token has expired."
    )
    request = schedule(graph_session, fao_user, django_capture_on_commit_callbacks)
    assert (request.status, request.attempts) == (Status.FAILED, 1)
    assert request.last_error == (
        "Microsoft Graph rejected the portal's access token (401 InvalidAuthenticationToken: "
        "Access token has expired.). Check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and "
        "GRAPH_CLIENT_SECRET."
    )
    assert len(fake_graph.graph_calls("POST")) == 2


def test_a_missing_setting_fails_the_row_with_its_name(
    fake_graph, graph_session, fao_user, settings, django_capture_on_commit_callbacks
):
    settings.GRAPH_ORGANIZER = ""
    request = schedule(graph_session, fao_user, django_capture_on_commit_callbacks)
    assert request.status == Status.FAILED
    assert "GRAPH_ORGANIZER" in request.last_error
    assert fake_graph.graph_calls() == []


def test_the_organiser_is_graphs_mailbox(fake_graph, graph_session, fao_user):
    from django.core.exceptions import ValidationError

    Session.objects.filter(pk=graph_session.pk).update(organizer_mailbox="other@bangkok.go.th")
    with pytest.raises(ValidationError) as error:
        svc.session_schedule(session_id=graph_session.pk, acting_user=fao_user)
    assert error.value.messages == [
        f"Teams meetings are organised by {fake_graph.organizer} (GRAPH_ORGANIZER): make it "
        "the session's organiser, or leave that empty."
    ]
    Session.objects.filter(pk=graph_session.pk).update(organizer_mailbox="")
    svc.session_schedule(session_id=graph_session.pk, acting_user=fao_user)
    assert Session.objects.get(pk=graph_session.pk).organizer_mailbox == fake_graph.organizer


def test_a_participants_name_never_changes_who_teams_invites(
    fake_graph, graph_session, fao_user, django_capture_on_commit_callbacks
):
    city = graph_session.cities.get()
    hostile = {
        "mallory@seoul.example.kr": "Mallory <mallory@evil.example> (",
        "jiwoo@seoul.example.kr": "Lee, Ji-woo",
    }
    for email, name in hostile.items():
        city_participant_add(
            session_id=graph_session.pk, city=city, name=name, email=email, acting_user=fao_user
        )
    request = schedule(graph_session, fao_user, django_capture_on_commit_callbacks)
    assert request.status == Status.SUCCEEDED
    (create,) = fake_graph.graph_calls("POST")
    invited = {
        a["emailAddress"]["address"]: a["emailAddress"]["name"] for a in create.json["attendees"]
    }
    assert invited == {
        "kim@seoul.example.kr": "Kim Min-jun",
        "somchai@bangkok.go.th": "Somchai Dee",
        **hostile,
    }
