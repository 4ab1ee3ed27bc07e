"""#13 defect 4: calendar files follow RFC 5545/5546 through moves and cancellations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings.models import TeamsMeeting
from meetings.services.sessions import (
    connection_test_cancel,
    connection_test_schedule,
    session_cancel,
    session_schedule,
)

pytestmark = pytest.mark.django_db


def ics(client, session) -> Calendar:
    response = client.get(reverse("meetings:session-calendar", args=[session.pk]))
    return Calendar.from_ical(response.content)


def by_uid(calendar: Calendar) -> dict:
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def schedule_test(session, user, capture, days=7):
    start = session.starts_at - dt.timedelta(days=days)
    with capture(execute=True):
        connection_test_schedule(
            session_id=session.pk,
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=30),
            acting_user=user,
        )


def test_moving_only_the_connection_test_raises_its_sequence(
    confirmed_session, fao_user, client_for, django_capture_on_commit_callbacks
):
    client = client_for(fao_user)
    schedule_test(confirmed_session, fao_user, django_capture_on_commit_callbacks)
    (test_uid,) = [u for u in by_uid(ics(client, confirmed_session)) if "connection-test" in u]
    before = int(by_uid(ics(client, confirmed_session))[test_uid]["sequence"])

    schedule_test(confirmed_session, fao_user, django_capture_on_commit_callbacks, days=6)

    assert int(by_uid(ics(client, confirmed_session))[test_uid]["sequence"]) > before


def test_a_cancelled_connection_test_stays_in_the_file_as_cancelled(
    confirmed_session, fao_user, client_for, django_capture_on_commit_callbacks
):
    client = client_for(fao_user)
    schedule_test(confirmed_session, fao_user, django_capture_on_commit_callbacks)
    before = by_uid(ics(client, confirmed_session))
    (test_uid,) = [u for u in before if "connection-test" in u]

    with django_capture_on_commit_callbacks(execute=True):
        connection_test_cancel(
            session_id=confirmed_session.pk, reason="Not needed", acting_user=fao_user
        )

    after = by_uid(ics(client, confirmed_session))
    assert str(after[test_uid]["status"]) == "CANCELLED"
    assert int(after[test_uid]["sequence"]) > int(before[test_uid]["sequence"])
    assert after[test_uid].decoded("dtstart") == before[test_uid].decoded("dtstart")


def test_a_cancelled_session_goes_out_as_method_cancel_with_the_same_uids(
    confirmed_session, fao_user, client_for, django_capture_on_commit_callbacks
):
    client = client_for(fao_user)
    with django_capture_on_commit_callbacks(execute=True):
        session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    before = ics(client, confirmed_session)
    assert str(before["method"]) == "PUBLISH"

    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session_id=confirmed_session.pk, reason="Off", acting_user=fao_user)

    after = ics(client, confirmed_session)
    assert str(after["method"]) == "CANCEL"
    assert set(by_uid(after)) == set(by_uid(before))
    for uid, event in by_uid(after).items():
        assert str(event["status"]) == "CANCELLED"
        assert int(event["sequence"]) > int(by_uid(before)[uid]["sequence"])


def test_the_file_uses_graphs_ical_uid_so_an_attendee_has_one_entry(
    fake_graph, confirmed_session, fao_user, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    meeting = TeamsMeeting.objects.get()
    assert meeting.ical_uid == fake_graph.events[meeting.event_id]["iCalUId"]

    (event,) = ics(client_for(fao_user), confirmed_session).walk("VEVENT")
    assert str(event["uid"]) == meeting.ical_uid
