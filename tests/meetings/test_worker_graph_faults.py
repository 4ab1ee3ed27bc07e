"""Graph faults of #13 through Redis and a real Celery worker process, whose msal token
cache lives as long as the process, as in production."""

from __future__ import annotations

import pytest

from meetings.models import TeamsMeeting, TeamsMeetingRequest
from meetings.services.sessions import session_cancel, session_schedule
from meetings.services.teams import teams_request_retry

from ..worker import wait_until

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


def finished(request_id: int):
    return TeamsMeetingRequest.objects.filter(
        pk=request_id, status__in=["succeeded", "failed"]
    ).first()


def wait_finished(request_id: int, worker, timeout: float = 60) -> TeamsMeetingRequest:
    done = wait_until(lambda: finished(request_id), timeout=timeout)
    assert done is not None, worker.log()[-4000:]
    return done


def test_a_worker_replaces_a_token_graph_rejects(
    fake_graph, celery_worker_process, confirmed_session, fao_user
):
    session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    create = TeamsMeetingRequest.objects.get(action="create")
    assert wait_finished(create.pk, celery_worker_process).status == "succeeded"
    fake_graph.revoke_tokens()  # the worker's msal cache still holds the refused token

    session_cancel(session_id=confirmed_session.pk, reason="Postponed", acting_user=fao_user)
    cancel = TeamsMeetingRequest.objects.get(action="cancel")
    done = wait_finished(cancel.pk, celery_worker_process)

    assert (done.status, done.attempts, done.last_error) == ("succeeded", 1, "")
    assert len(fake_graph.token_requests) == 2
    refused, accepted = fake_graph.graph_calls(path="/cancel")
    assert refused.header("Authorization") != accepted.header("Authorization")
    assert TeamsMeeting.objects.get().state == "cancelled"


def test_a_consent_granted_after_a_403_takes_effect_on_retry_without_a_restart(
    fake_graph, celery_worker_process, confirmed_session, fao_user
):
    fake_graph.revoke_consent("Calendars.ReadWrite")
    session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    request = TeamsMeetingRequest.objects.get()
    assert wait_finished(request.pk, celery_worker_process).status == "failed"

    fake_graph.grant_consent("Calendars.ReadWrite")
    teams_request_retry(request_id=request.pk, acting_user=fao_user)
    done = wait_finished(request.pk, celery_worker_process)

    assert done.status == "succeeded", done.last_error
    assert len(fake_graph.token_requests) == 2
    assert len(fake_graph.graph_calls("POST")) == 2
    assert len(fake_graph.events) == 1


def test_a_wrong_organiser_mailbox_fails_once_in_the_worker(
    fake_graph, celery_worker_process, confirmed_session, fao_user
):
    fake_graph.missing_mailboxes.add(fake_graph.organizer)
    session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    request = TeamsMeetingRequest.objects.get()
    done = wait_finished(request.pk, celery_worker_process)
    wait_until(lambda: False, timeout=3)  # a loop would go on making rows and calls

    assert (done.status, done.attempts) == ("failed", 1)
    assert "GRAPH_ORGANIZER" in done.last_error
    assert TeamsMeetingRequest.objects.count() == 1
    assert len(fake_graph.graph_calls()) == 1


@pytest.mark.parametrize("fault", ["lost answer", "timeout"])
def test_a_worker_cancels_a_meeting_whose_create_answer_was_lost(
    fake_graph, monkeypatch, celery_worker_process, confirmed_session, fao_user, fault
):
    if fault == "lost answer":
        fake_graph.drop_next(method="POST")
    else:
        fake_graph.delay_next(7, method="POST")  # the worker's GRAPH_TIMEOUT_SECONDS is 5
    session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    create = TeamsMeetingRequest.objects.get()
    assert wait_until(
        lambda: TeamsMeetingRequest.objects.filter(
            pk=create.pk, status="pending", attempts=1
        ).exists(),
        timeout=60,
    ), celery_worker_process.log()[-3000:]
    (event_id,) = fake_graph.events

    session_cancel(session_id=confirmed_session.pk, reason="Postponed", acting_user=fao_user)
    cancel = TeamsMeetingRequest.objects.get(action="cancel")
    done = wait_finished(cancel.pk, celery_worker_process)

    assert (done.status, done.event_id) == ("succeeded", event_id), done.last_error
    assert fake_graph.events == {}
    assert fake_graph.cancelled[event_id]["cancelComment"] == "Postponed"
    assert TeamsMeeting.objects.get().state == "cancelled"


# --- defect 7: no transaction or row lock is held across the Graph call ---------------------


def test_no_row_is_locked_while_the_worker_waits_for_graph(
    fake_graph, celery_worker_process, lock_holder, confirmed_session, fao_user
):
    import psycopg

    fake_graph.delay_next(4, method="POST")
    session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    request = TeamsMeetingRequest.objects.get()
    assert wait_until(lambda: fake_graph.graph_calls("POST"), timeout=60), (
        celery_worker_process.log()[-3000:]
    )
    locked = []
    for table, pk in (
        ("meetings_teamsmeetingrequest", request.pk),
        ("meetings_teamsmeeting", request.meeting_id),
        ("meetings_session", confirmed_session.pk),
        ("meetings_programmeyear", confirmed_session.year_id),
    ):
        try:
            lock_holder.hold(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE NOWAIT", (pk,))
        except psycopg.errors.LockNotAvailable:
            locked.append(table)
        lock_holder.release()
    assert locked == []
    assert TeamsMeetingRequest.objects.get(pk=request.pk).status == "running"

    done = wait_finished(request.pk, celery_worker_process)
    assert (done.status, done.attempts) == ("succeeded", 1)
    assert TeamsMeeting.objects.get().event_id in fake_graph.events
