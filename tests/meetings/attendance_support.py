"""A session whose Teams meeting ran, with its attendance in the fake Graph (#13)."""

from __future__ import annotations

import datetime as dt

import pytest

from meetings.models import Session, TeamsMeeting
from meetings.services.people import bma_participant_add, city_participant_add
from microsoft.teams import MeetingSpec, get_backend
from tests.factories import ShortlistEntryFactory, VendorFactory
from tests.fakes.graph import attendance_record

from .support import in_past


def at(start: dt.datetime, minutes: int) -> str:
    return (start + dt.timedelta(minutes=minutes)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def held(fake_graph, confirmed_session, fao_user, make_user):
    """A session that started two hours ago, with its meeting in the fake Graph: a vendor,
    Seoul's contact Kim and BMA's Somchai."""
    session = in_past(confirmed_session)
    somchai = make_user(email="somchai@bangkok.go.th", first_name="Somchai", last_name="Dee")
    bma_participant_add(session_id=session.pk, user=somchai, acting_user=fao_user)
    contact = session.cities.get().contacts.get()
    city_participant_add(
        session_id=session.pk, city=contact.city, contact=contact, acting_user=fao_user
    )
    vendor = VendorFactory(
        business_name_th="ผ้าไหมบ้านครัว", business_name_en="Ban Khrua Silk", email="silk@example.th"
    )
    ShortlistEntryFactory(session=session, vendor=vendor)
    ref = get_backend().create_meeting(
        MeetingSpec(
            subject="Session 1",
            start=session.starts_at,
            end=session.ends_at,
            time_zone="Asia/Bangkok",
            transaction_id="bbportal-attendance-import",
        )
    )
    TeamsMeeting.objects.create(
        session=session,
        purpose=TeamsMeeting.Purpose.SESSION,
        state=TeamsMeeting.State.ACTIVE,
        backend="graph",
        event_id=ref.event_id,
        join_url=ref.join_url,
    )
    return Session.objects.get(pk=session.pk)


def join_url(session) -> str:
    return session.teams_meetings.get().join_url


def two_reports(fake_graph, session) -> None:
    start = session.starts_at
    fake_graph.attendance[join_url(session)] = [
        [
            attendance_record("Kim Min-jun", "KIM@seoul.example.kr", at(start, 2), at(start, 30)),
            attendance_record(
                "Somchai Dee", "somchai@bangkok.go.th", at(start, 0), at(start, 60), "Organizer"
            ),
            # The vendor joined from a private address: only the name says who it is.
            attendance_record(
                "Ban  khrua SILK", "owner@gmail.example", at(start, 5), at(start, 50)
            ),
            attendance_record("Guest 0812", "", at(start, 5), at(start, 15)),
        ],
        [  # the meeting ran a second time
            attendance_record("Kim Min-jun", "kim@seoul.example.kr", at(start, 40), at(start, 70)),
        ],
    ]
