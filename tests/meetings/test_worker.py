"""Teams requests through Redis to a real Celery worker process, and back to the rows."""

from __future__ import annotations

import pytest

from meetings.models import TeamsMeeting, TeamsMeetingRequest
from meetings.services.sessions import session_schedule

from ..worker import wait_until

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


def finished(request_id: int):
    return TeamsMeetingRequest.objects.filter(
        pk=request_id, status__in=["succeeded", "failed"]
    ).first()


def test_a_worker_creates_the_local_teams_meeting(
    celery_worker_process, confirmed_session, fao_user
):
    session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    request = TeamsMeetingRequest.objects.get()
    done = wait_until(lambda: finished(request.pk), timeout=60)
    assert done is not None, celery_worker_process.log()[-3000:]
    assert (done.status, done.attempts) == ("succeeded", 1)
    meeting = TeamsMeeting.objects.get()
    assert meeting.backend == "local"
    assert meeting.join_url.startswith("https://teams.invalid/local-meeting/")


@pytest.fixture
def short_client_wait(fake_graph, monkeypatch):
    # The worker reads its settings from the environment it starts with.
    monkeypatch.setenv("GRAPH_MAX_WAIT_SECONDS", "0.5")


def test_the_worker_waits_as_graph_asks_then_creates_one_meeting(
    fake_graph, short_client_wait, celery_worker_process, confirmed_session, fao_user
):
    fake_graph.fail_next(429, retry_after=2, code="TooManyRequests", message="Slow down.")
    session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    request = TeamsMeetingRequest.objects.get()
    done = wait_until(lambda: finished(request.pk), timeout=60)
    assert done is not None, celery_worker_process.log()[-3000:]
    assert (done.status, done.attempts) == ("succeeded", 2), done.last_error
    assert done.last_error == ""
    first, second = fake_graph.graph_calls("POST")
    # Celery's countdown honoured Retry-After: the task came back no sooner than asked.
    assert second.at - first.at >= 2.0
    assert first.json["transactionId"] == second.json["transactionId"]
    assert len(fake_graph.events) == 1
    meeting = TeamsMeeting.objects.get()
    assert meeting.backend == "graph"
    assert meeting.join_url == fake_graph.events[meeting.event_id]["onlineMeeting"]["joinUrl"]
