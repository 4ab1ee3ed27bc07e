"""The `graph` Teams backend against the fake Entra ID and Graph over real HTTPS.

msal and requests run for real (OpenID discovery, client-credentials token, Graph calls);
every request is asserted as the fake received it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests

from microsoft.teams import (
    Attendee,
    MeetingSpec,
    TeamsAuthError,
    TeamsNotFoundError,
    TeamsPermanentError,
    TeamsTransientError,
    get_backend,
)
from microsoft.teams import graph as graph_client
from microsoft.teams.graph import GraphConfig, GraphTeamsBackend

ROOT = Path(__file__).resolve().parents[2]
BANGKOK = ZoneInfo("Asia/Bangkok")
AGENDA = "<ol><li>Introductions</li><li>Vendors present</li><li>Summary</li></ol>"


def session_spec(**changes) -> MeetingSpec:
    start = dt.datetime(2026, 1, 20, 14, 0, tzinfo=BANGKOK)
    values = {
        "subject": "BB Portal session 1: Bangkok – Seoul",
        "start": start,
        "end": start + dt.timedelta(hours=2, minutes=30),
        "time_zone": "Asia/Bangkok",
        "attendees": (
            Attendee("fao@bangkok.example.org", "Foreign Affairs Office"),
            Attendee("trade@seoul.example.kr", "Seoul Trade Division"),
            Attendee("observer@bangkok.example.org", "", optional=True),
        ),
        "body_html": AGENDA,
        "transaction_id": "bbportal-session-1-g0",
    }
    values.update(changes)
    return MeetingSpec(**values)


def expected_attendees() -> list[dict]:
    return [
        {
            "emailAddress": {
                "address": "fao@bangkok.example.org",
                "name": "Foreign Affairs Office",
            },
            "type": "required",
        },
        {
            "emailAddress": {"address": "trade@seoul.example.kr", "name": "Seoul Trade Division"},
            "type": "required",
        },
        {
            "emailAddress": {
                "address": "observer@bangkok.example.org",
                "name": "observer@bangkok.example.org",
            },
            "type": "optional",
        },
    ]


def events_path(fake, *rest: str) -> str:
    return "/".join([f"/v1.0/users/{fake.organizer}/events", *rest])


# --- create ----------------------------------------------------------------------------------


def test_create_posts_the_event_and_returns_its_ids(fake_graph):
    backend = get_backend()
    assert isinstance(backend, GraphTeamsBackend)

    ref = backend.create_meeting(session_spec())

    (call,) = fake_graph.graph_calls()
    assert call.method == "POST"
    assert call.path == events_path(fake_graph)
    assert call.header("Content-Type") == "application/json"
    assert call.header("Authorization") == f"Bearer {next(iter(fake_graph.issued_tokens))}"
    assert call.header("client-request-id")
    assert call.json == {
        "subject": "BB Portal session 1: Bangkok – Seoul",
        "start": {"dateTime": "2026-01-20T14:00:00", "timeZone": "Asia/Bangkok"},
        "end": {"dateTime": "2026-01-20T16:30:00", "timeZone": "Asia/Bangkok"},
        "attendees": expected_attendees(),
        "isOnlineMeeting": True,
        "onlineMeetingProvider": "teamsForBusiness",
        "transactionId": "bbportal-session-1-g0",
        "body": {"contentType": "HTML", "content": AGENDA},
    }

    (token_call,) = fake_graph.token_requests
    assert token_call.path == f"/{fake_graph.tenant_id}/oauth2/v2.0/token"
    assert token_call.form == {
        "grant_type": "client_credentials",
        "client_id": fake_graph.client_id,
        "client_secret": fake_graph.client_secret,
        "scope": fake_graph.scope,  # "<Graph origin>/.default", from GRAPH_API_BASE
        "client_info": "1",  # msal's own addition
    }

    stored = fake_graph.events[ref.event_id]
    assert ref.ical_uid == stored["iCalUId"]
    assert ref.change_key == stored["changeKey"]
    assert ref.join_url == stored["onlineMeeting"]["joinUrl"]
    assert ref.join_url.startswith("https://teams.microsoft.com/l/meetup-join/")
    assert ref.raw["subject"] == "BB Portal session 1: Bangkok – Seoul"
    # Graph keeps the times in UTC: 14:00 in Bangkok is 07:00 UTC.
    assert stored["start"] == {"dateTime": "2026-01-20T07:00:00.0000000", "timeZone": "UTC"}


def test_create_shows_the_time_in_the_zone_of_the_spec(fake_graph):
    # The same instant, shown to a Seoul organiser: wall-clock time in Seoul, no offset.
    get_backend().create_meeting(session_spec(time_zone="Asia/Seoul"))

    (call,) = fake_graph.graph_calls("POST")
    assert call.json["start"] == {"dateTime": "2026-01-20T16:00:00", "timeZone": "Asia/Seoul"}
    assert call.json["end"] == {"dateTime": "2026-01-20T18:30:00", "timeZone": "Asia/Seoul"}


def test_create_without_agenda_sends_no_body(fake_graph):
    get_backend().create_meeting(session_spec(body_html=""))

    (call,) = fake_graph.graph_calls("POST")
    assert "body" not in call.json


def test_create_needs_a_transaction_id_and_sends_nothing_without_one(fake_graph):
    with pytest.raises(ValueError, match="transaction_id is required by the Graph backend"):
        get_backend().create_meeting(session_spec(transaction_id=""))
    assert fake_graph.requests == []


def test_retried_create_after_a_lost_response_returns_the_first_event(fake_graph):
    backend = get_backend()
    fake_graph.drop_next(method="POST")

    with pytest.raises(TeamsTransientError) as lost:
        backend.create_meeting(session_spec())
    assert str(lost.value) == (
        f"Microsoft Graph connection failed on POST {fake_graph.api_base}"
        f"/users/{fake_graph.organizer}/events: ConnectionError."
    )
    assert lost.value.retry_after is None
    # Graph made the meeting although its answer was lost.
    assert len(fake_graph.events) == 1

    ref = backend.create_meeting(session_spec())  # what the Celery retry does

    first, second = fake_graph.graph_calls("POST")
    assert first.json == second.json
    assert second.json["transactionId"] == "bbportal-session-1-g0"
    assert list(fake_graph.events) == [ref.event_id]
    assert ref.join_url == fake_graph.events[ref.event_id]["onlineMeeting"]["joinUrl"]


def test_a_new_transaction_id_makes_a_second_meeting(fake_graph):
    # The counterpart of the test above: the fake's idempotency depends on the id.
    backend = get_backend()
    first = backend.create_meeting(session_spec())
    second = backend.create_meeting(session_spec(transaction_id="bbportal-session-1-g1"))
    assert first.event_id != second.event_id
    assert len(fake_graph.events) == 2


def test_recreating_a_cancelled_meeting_needs_a_new_transaction_id(fake_graph):
    backend = get_backend()
    first = backend.create_meeting(session_spec())
    backend.cancel_meeting(first.event_id, "Postponed.")

    with pytest.raises(TeamsPermanentError) as error:
        backend.create_meeting(session_spec())
    assert str(error.value) == (
        f"Microsoft Graph returned the cancelled event {first.event_id} for transaction "
        "bbportal-session-1-g0: a new meeting needs a new transaction id (generation)."
    )

    again = backend.create_meeting(session_spec(transaction_id="bbportal-session-1-g1"))
    assert again.event_id != first.event_id
    assert list(fake_graph.events) == [again.event_id]


def test_an_organiser_without_teams_gets_an_event_without_join_link(fake_graph, caplog):
    fake_graph.teams_licensed = False
    with caplog.at_level(logging.WARNING, logger="microsoft.teams.graph"):
        ref = get_backend().create_meeting(session_spec())
    assert ref.join_url == ""
    assert (
        f"Graph: event {ref.event_id} has no Teams join link; is {fake_graph.organizer} "
        "a licensed work account?"
    ) in caplog.messages


# --- reschedule and cancel -------------------------------------------------------------------


def test_reschedule_patches_time_subject_and_attendees_only(fake_graph):
    backend = get_backend()
    created = backend.create_meeting(session_spec())
    later = dt.datetime(2026, 1, 27, 9, 30, tzinfo=BANGKOK)

    ref = backend.update_meeting(
        created.event_id,
        session_spec(
            subject="BB Portal session 1 (moved)",
            start=later,
            end=later + dt.timedelta(hours=2),
            attendees=(Attendee("trade@seoul.example.kr", "Seoul Trade Division"),),
        ),
    )

    (call,) = fake_graph.graph_calls("PATCH")
    assert call.path == events_path(fake_graph, created.event_id)
    assert call.json == {
        "subject": "BB Portal session 1 (moved)",
        "start": {"dateTime": "2026-01-27T09:30:00", "timeZone": "Asia/Bangkok"},
        "end": {"dateTime": "2026-01-27T11:30:00", "timeZone": "Asia/Bangkok"},
        "attendees": [
            {
                "emailAddress": {
                    "address": "trade@seoul.example.kr",
                    "name": "Seoul Trade Division",
                },
                "type": "required",
            }
        ],
    }
    assert "body" not in call.json
    assert ref.event_id == created.event_id
    assert ref.ical_uid == created.ical_uid
    assert ref.join_url == created.join_url
    assert ref.change_key != created.change_key
    stored = fake_graph.events[created.event_id]
    assert stored["start"] == {"dateTime": "2026-01-27T02:30:00.0000000", "timeZone": "UTC"}
    assert stored["body"] == {"contentType": "HTML", "content": AGENDA}


def test_the_fake_replaces_the_join_link_when_an_update_carries_a_body(fake_graph):
    # Shows the reschedule test above would catch a client that sent `body`.
    created = get_backend().create_meeting(session_spec())
    token = next(iter(fake_graph.issued_tokens))
    response = requests.patch(
        f"{fake_graph.api_base}/users/{fake_graph.organizer}/events/{created.event_id}",
        json={"body": {"contentType": "HTML", "content": "<p>new agenda</p>"}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert response.status_code == 200
    assert response.json()["onlineMeeting"]["joinUrl"] != created.join_url


def test_updating_a_deleted_event_raises_not_found(fake_graph):
    with pytest.raises(TeamsNotFoundError) as error:
        get_backend().update_meeting("AAMkADgone", session_spec())
    assert str(error.value) == (
        "Microsoft Graph found no such event or mailbox (404 ErrorItemNotFound: "
        "The specified object was not found in the store.)."
    )
    assert (error.value.status, error.value.code) == (404, "ErrorItemNotFound")
    assert len(fake_graph.graph_calls()) == 1


def test_cancel_posts_the_comment(fake_graph):
    backend = get_backend()
    created = backend.create_meeting(session_spec())

    assert backend.cancel_meeting(created.event_id, "Moved to the next fiscal year.") is None

    (call,) = fake_graph.graph_calls(path="/cancel")
    assert call.method == "POST"
    assert call.path == events_path(fake_graph, created.event_id, "cancel")
    # #13 defect 8: the parameter as Graph's reference for event: cancel spells it.
    assert call.json == {"Comment": "Moved to the next fiscal year."}
    assert fake_graph.events == {}
    assert fake_graph.cancelled[created.event_id]["cancelComment"] == (
        "Moved to the next fiscal year."
    )


def test_cancelling_an_event_that_is_already_gone_is_not_an_error(fake_graph, caplog):
    backend = get_backend()
    created = backend.create_meeting(session_spec())
    backend.cancel_meeting(created.event_id, "first")

    with caplog.at_level(logging.INFO, logger="microsoft.teams.graph"):
        backend.cancel_meeting(created.event_id, "again, after a lost answer")

    assert len(fake_graph.graph_calls(path="/cancel")) == 2
    assert f"Graph: event {created.event_id} is already gone; treated as cancelled" in (
        caplog.messages
    )


# --- throttling, failures, timeouts ----------------------------------------------------------


def test_429_waits_for_retry_after_then_succeeds(fake_graph):
    fake_graph.fail_next(429, retry_after=1, method="POST")

    started = time.monotonic()
    ref = get_backend().create_meeting(session_spec())
    elapsed = time.monotonic() - started

    first, second = fake_graph.graph_calls("POST")
    assert second.at - first.at >= 1.0
    assert elapsed < 3
    assert list(fake_graph.events) == [ref.event_id]


def test_429_with_a_long_retry_after_goes_back_to_the_task_at_once(fake_graph):
    # Holding a worker for two minutes helps no one: the Celery task retries later instead.
    fake_graph.fail_next(429, retry_after=120, message="Too many requests.")

    started = time.monotonic()
    with pytest.raises(TeamsTransientError) as error:
        get_backend().create_meeting(session_spec())

    assert time.monotonic() - started < 1
    assert error.value.retry_after == 120
    assert (error.value.status, error.value.code) == (429, "ApplicationThrottled")
    assert str(error.value) == (
        "Microsoft Graph is busy or failing (429 ApplicationThrottled: Too many requests.); "
        "try again later."
    )
    assert len(fake_graph.graph_calls()) == 1
    assert fake_graph.events == {}


def test_throttling_beyond_the_attempts_raises_transient_with_retry_after(fake_graph, settings):
    settings.GRAPH_MAX_ATTEMPTS = 2
    fake_graph.fail_next(429, retry_after=1, times=5)

    with pytest.raises(TeamsTransientError) as error:
        get_backend().create_meeting(session_spec())

    assert error.value.retry_after == 1
    assert len(fake_graph.graph_calls()) == 2
    assert fake_graph.events == {}


def test_503_without_retry_after_backs_off_exponentially(fake_graph, settings):
    settings.GRAPH_BACKOFF_SECONDS = 0.2
    fake_graph.fail_next(503, times=2)

    get_backend().create_meeting(session_spec())

    first, second, third = fake_graph.graph_calls("POST")
    assert second.at - first.at >= 0.2
    assert third.at - second.at >= 0.4
    assert len(fake_graph.events) == 1


def test_500_then_success(fake_graph):
    fake_graph.fail_next(500)

    ref = get_backend().create_meeting(session_spec())

    first, second = fake_graph.graph_calls("POST")
    assert first.json == second.json
    assert list(fake_graph.events) == [ref.event_id]


def test_a_gateway_page_instead_of_graph_json(fake_graph, settings):
    settings.GRAPH_MAX_ATTEMPTS = 1
    fake_graph.fail_next(502, raw_body="<html><h1>Bad gateway</h1></html>")

    with pytest.raises(TeamsTransientError) as error:
        get_backend().create_meeting(session_spec())

    assert str(error.value) == (
        "Microsoft Graph is busy or failing (502: BAD GATEWAY); try again later."
    )
    # No Retry-After from Graph: none goes up, and the request row's backoff decides.
    assert (error.value.status, error.value.code, error.value.retry_after) == (502, "", None)


def test_a_success_status_without_json_is_transient(fake_graph):
    fake_graph.fail_next(200, raw_body="<html>Sign in to the proxy</html>")

    with pytest.raises(TeamsTransientError) as error:
        get_backend().create_meeting(session_spec())

    assert str(error.value) == (
        f"Microsoft Graph answered POST {fake_graph.api_base}/users/{fake_graph.organizer}"
        "/events with 200 but no JSON object."
    )


def test_timeout_raises_transient_and_the_retry_finds_the_event(fake_graph, settings):
    settings.GRAPH_TIMEOUT_SECONDS = 0.5
    fake_graph.delay_next(1.5, method="POST")
    backend = get_backend()

    started = time.monotonic()
    with pytest.raises(TeamsTransientError) as error:
        backend.create_meeting(session_spec())
    elapsed = time.monotonic() - started

    assert 0.5 <= elapsed < 1.4
    assert str(error.value) == (
        f"Microsoft Graph did not answer POST {fake_graph.api_base}/users/"
        f"{fake_graph.organizer}/events within 0.5 s."
    )
    ref = backend.create_meeting(session_spec())
    assert list(fake_graph.events) == [ref.event_id]


def test_401_from_graph_names_the_credentials_after_one_fresh_token(fake_graph):
    # #13: one 401 gets a fresh token and one retry; a second is the credentials' fault.
    fake_graph.fail_next(401, times=2, message="Access token has expired or is not yet valid.")

    with pytest.raises(TeamsAuthError) as error:
        get_backend().create_meeting(session_spec())

    assert str(error.value) == (
        "Microsoft Graph rejected the portal's access token (401 InvalidAuthenticationToken: "
        "Access token has expired or is not yet valid.). Check GRAPH_TENANT_ID, "
        "GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET."
    )
    assert (error.value.status, error.value.code) == (401, "InvalidAuthenticationToken")
    assert len(fake_graph.graph_calls()) == 2
    assert len(fake_graph.token_requests) == 2


def test_403_outside_the_access_policy_names_consent_and_the_mailbox(fake_graph, settings):
    settings.GRAPH_ORGANIZER = "someone.else@bangkok.example.org"

    with pytest.raises(TeamsAuthError) as error:
        get_backend().create_meeting(session_spec())

    assert str(error.value) == (
        "Microsoft Graph refused access to the organiser's calendar (403 ErrorAccessDenied: "
        "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly "
        "AccessPolicy settings.). An administrator must grant the application permission "
        'Calendars.ReadWrite (admin consent in Entra ID, or the Exchange role "Application '
        'Calendars.ReadWrite") with a mailbox scope that includes the organiser mailbox '
        "someone.else@bangkok.example.org."
    )
    assert len(fake_graph.graph_calls()) == 1


def test_other_4xx_is_permanent_with_graphs_code_and_message(fake_graph):
    fake_graph.fail_next(400, code="ErrorPropertyValidationFailure", message="Subject is too long.")

    with pytest.raises(TeamsPermanentError) as error:
        get_backend().create_meeting(session_spec())

    assert not isinstance(error.value, TeamsNotFoundError)
    assert str(error.value) == (
        "Microsoft Graph refused the request (400 ErrorPropertyValidationFailure: "
        "Subject is too long.)."
    )
    assert error.value.code == "ErrorPropertyValidationFailure"
    assert len(fake_graph.graph_calls()) == 1


def test_tls_verification_follows_requests_ca_bundle(fake_graph, monkeypatch):
    # Without the test CA the fake's certificate is not trusted: verification is really on.
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")

    with pytest.raises(TeamsPermanentError) as error:
        get_backend().create_meeting(session_spec())

    assert str(error.value).startswith(f"TLS verification of {fake_graph.authority_host} failed")
    assert str(error.value).endswith("Check REQUESTS_CA_BUNDLE.")
    assert fake_graph.requests == []


# --- tokens ----------------------------------------------------------------------------------


def test_one_token_serves_many_calls_and_backends(fake_graph):
    first_backend = get_backend()
    ref = first_backend.create_meeting(session_spec())
    second_backend = get_backend()  # a later Celery task builds a new backend
    second_backend.update_meeting(ref.event_id, session_spec(subject="Moved"))
    second_backend.cancel_meeting(ref.event_id, "Cancelled")

    assert len(fake_graph.token_requests) == 1
    assert graph_client.msal_app(first_backend.config) is graph_client.msal_app(
        second_backend.config
    )
    (token,) = fake_graph.issued_tokens
    assert [c.header("Authorization") for c in fake_graph.graph_calls()] == [f"Bearer {token}"] * 3


def test_wrong_client_secret(fake_graph, settings):
    settings.GRAPH_CLIENT_SECRET = "not-the-secret"

    with pytest.raises(TeamsAuthError) as error:
        get_backend().create_meeting(session_spec())

    assert str(error.value) == (
        "Microsoft Entra ID rejected the portal's client secret (invalid_client: "
        "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the "
        "request is the client secret value.). Check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and "
        "GRAPH_CLIENT_SECRET: the secret may be wrong or expired."
    )
    assert error.value.code == "invalid_client"
    assert "not-the-secret" not in str(error.value)
    assert len(fake_graph.token_requests) == 1
    assert fake_graph.graph_calls() == []


def test_wrong_client_id(fake_graph, settings):
    settings.GRAPH_CLIENT_ID = "00000000-0000-0000-0000-000000000bad"

    with pytest.raises(TeamsAuthError) as error:
        get_backend().create_meeting(session_spec())

    assert str(error.value) == (
        "Microsoft Entra ID does not know the portal's application (unauthorized_client: "
        "AADSTS700016: Application with identifier '00000000-0000-0000-0000-000000000bad' "
        f"was not found in the directory '{fake_graph.tenant_id}'.). Check GRAPH_TENANT_ID, "
        "GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET: the app registration must exist in that "
        "tenant and have admin consent."
    )
    assert fake_graph.graph_calls() == []


def test_unknown_tenant(fake_graph, settings):
    settings.GRAPH_TENANT_ID = "no-such-tenant"

    with pytest.raises(TeamsAuthError) as error:
        get_backend().create_meeting(session_spec())

    assert str(error.value) == (
        f"Microsoft Entra ID does not know the tenant 'no-such-tenant' at "
        f"{fake_graph.authority_host}. Check GRAPH_TENANT_ID and GRAPH_AUTHORITY_HOST."
    )
    assert fake_graph.graph_calls() == []


def test_token_endpoint_5xx_is_transient(fake_graph):
    fake_graph.fail_next(500, target="token")

    with pytest.raises(TeamsTransientError) as error:
        get_backend().create_meeting(session_spec())

    assert str(error.value).startswith(
        f"Microsoft Entra ID at {fake_graph.authority_host} failed to issue a token ("
    )
    assert len(fake_graph.token_requests) == 1
    assert fake_graph.graph_calls() == []


def test_logs_carry_no_secret_and_no_token(fake_graph, caplog):
    with caplog.at_level(logging.DEBUG):
        backend = get_backend()
        ref = backend.create_meeting(session_spec())
        backend.cancel_meeting(ref.event_id, "done")

    (token,) = fake_graph.issued_tokens
    assert fake_graph.client_secret not in caplog.text
    assert token not in caplog.text
    assert any(
        m.startswith(
            f"Graph: POST {fake_graph.api_base}/users/{fake_graph.organizer}/events -> 201"
        )
        for m in caplog.messages
    )


@pytest.mark.slow
def test_the_fake_serves_a_worker_process_configured_by_the_environment(fake_graph):
    # A Celery worker started during the test inherits the environment the fixture exported.
    code = (
        "import datetime as dt, django; django.setup()\n"
        "from zoneinfo import ZoneInfo\n"
        "from microsoft.teams import MeetingSpec, get_backend\n"
        "start = dt.datetime(2026, 9, 8, 10, 0, tzinfo=ZoneInfo('Asia/Bangkok'))\n"
        "ref = get_backend().create_meeting(MeetingSpec(subject='From a worker', start=start,"
        " end=start + dt.timedelta(hours=2), time_zone='Asia/Bangkok', transaction_id='w-1'))\n"
        "print(ref.event_id)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bbportal.settings.local"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    event_id = result.stdout.strip().splitlines()[-1]
    assert fake_graph.events[event_id]["subject"] == "From a worker"
    assert len(fake_graph.token_requests) == 1


# --- configuration ---------------------------------------------------------------------------


def test_missing_settings_are_named(settings):
    settings.TEAMS_BACKEND = "graph"
    settings.GRAPH_TENANT_ID = "tenant"
    settings.GRAPH_CLIENT_ID = ""
    settings.GRAPH_CLIENT_SECRET = ""
    settings.GRAPH_ORGANIZER = "bb.sessions@bangkok.example.org"

    with pytest.raises(TeamsAuthError) as error:
        get_backend()

    assert str(error.value) == (
        "Microsoft Graph is not configured: set GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET "
        "(or use TEAMS_BACKEND=local)."
    )


@pytest.mark.parametrize(
    ("api_base", "scope"),
    [
        ("https://graph.microsoft.com/v1.0", "https://graph.microsoft.com/.default"),
        ("https://graph.microsoft.us/v1.0/", "https://graph.microsoft.us/.default"),
        (
            "https://microsoftgraph.chinacloudapi.cn/v1.0",
            "https://microsoftgraph.chinacloudapi.cn/.default",
        ),
    ],
)
def test_scope_follows_the_graph_host_of_the_cloud(api_base, scope):
    config = GraphConfig(
        tenant_id="t",
        client_id="c",
        client_secret="s3cret",
        organizer="o@example.org",
        authority_host="https://login.microsoftonline.us/",
        api_base=api_base,
    )
    assert config.scope == scope
    assert config.authority == "https://login.microsoftonline.us/t"
    assert "s3cret" not in repr(config) and "s3cret" not in repr(config.app_key)


# --- a token Graph rejects, a consent granted later (#13, defect 1) ---------------------------


def test_a_401_for_a_cached_token_gets_one_fresh_token_and_one_retry(fake_graph):
    backend = get_backend()
    backend.create_meeting(session_spec())
    fake_graph.revoke_tokens()  # msal's cache still holds the token Graph now refuses

    ref = backend.create_meeting(session_spec(transaction_id="bbportal-session-2-g0"))

    assert ref.event_id in fake_graph.events
    assert len(fake_graph.token_requests) == 2
    first, refused, retried = fake_graph.graph_calls("POST")
    assert refused.header("Authorization") == first.header("Authorization")
    assert retried.header("Authorization") != refused.header("Authorization")
    # The fresh token is the one msal keeps: the next call sends it without asking again.
    backend.cancel_meeting(ref.event_id, "done")
    assert len(fake_graph.token_requests) == 2


def test_a_second_401_is_an_authentication_error_and_the_calls_are_bounded(fake_graph):
    fake_graph.fail_next(401, times=10, message="Access token validation failure.")

    with pytest.raises(TeamsAuthError) as error:
        get_backend().create_meeting(session_spec())

    assert str(error.value) == (
        "Microsoft Graph rejected the portal's access token (401 InvalidAuthenticationToken: "
        "Access token validation failure.). Check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and "
        "GRAPH_CLIENT_SECRET."
    )
    assert len(fake_graph.graph_calls()) == 2
    assert len(fake_graph.token_requests) == 2


def test_after_a_403_for_missing_consent_the_next_call_asks_for_a_fresh_token(fake_graph):
    fake_graph.revoke_consent("Calendars.ReadWrite")
    backend = get_backend()
    with pytest.raises(TeamsAuthError) as error:
        backend.create_meeting(session_spec())
    assert error.value.status == 403
    assert len(fake_graph.graph_calls()) == 1

    fake_graph.grant_consent("Calendars.ReadWrite")  # the administrator consents meanwhile
    ref = get_backend().create_meeting(session_spec())

    assert ref.event_id in fake_graph.events
    assert len(fake_graph.token_requests) == 2
    assert len(fake_graph.graph_calls()) == 2
