"""The portal's Teams requests under the Graph faults of #13, against the fake Entra ID and
Graph over real HTTPS, with a ceiling on the requests each action may send."""

from __future__ import annotations

import pytest

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
