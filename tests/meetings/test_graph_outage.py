"""Microsoft Graph unavailable for an hour: the scheduling request waits, says why on the
session page, and succeeds once Graph is back, with one meeting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import TeamsMeeting, TeamsMeetingRequest
from meetings.services.teams import teams_request_execute

from .test_graph_sessions import graph_session as graph_session
from .test_graph_sessions import schedule

pytestmark = pytest.mark.django_db


def test_an_hour_of_503_delays_the_meeting_and_the_page_says_why(
    fake_graph,
    graph_session,
    fao_user,
    settings,
    client_for,
    django_capture_on_commit_callbacks,
):
    settings.GRAPH_MAX_ATTEMPTS = 1  # one call per task run: the row does the waiting
    fake_graph.fail_next(503, times=1000, code="ServiceUnavailable", message="Down for repair.")
    request = schedule(graph_session, fao_user, django_capture_on_commit_callbacks)

    waited = 0.0
    while waited < 3600:
        request.refresh_from_db()
        assert request.status == "pending", request.last_error
        waited += (request.next_attempt_at - timezone.now()).total_seconds()
        # The beat sweep would run it when its time comes; here time is skipped over.
        TeamsMeetingRequest.objects.filter(pk=request.pk).update(
            next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
        )
        teams_request_execute(request_id=request.pk)

    request.refresh_from_db()
    assert request.status == "pending"
    assert request.last_error == (
        "Microsoft Graph is busy or failing (503 ServiceUnavailable: Down for repair.); "
        "try again later."
    )
    page = (
        client_for(fao_user)
        .get(reverse("meetings:session-detail", args=[graph_session.pk]))
        .content.decode()
    )
    assert "Down for repair." in page and "next try" in page

    fake_graph.faults.clear()  # Graph is back
    TeamsMeetingRequest.objects.filter(pk=request.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    teams_request_execute(request_id=request.pk)
    request.refresh_from_db()
    assert (request.status, request.last_error) == ("succeeded", "")
    assert len(fake_graph.events) == 1
    assert TeamsMeeting.objects.get(purpose="session").event_id in fake_graph.events
