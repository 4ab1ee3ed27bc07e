"""A session's status moves only forward, through services, with clear refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import Session, TeamsMeeting, TeamsMeetingRequest
from meetings.services import sessions as svc
from meetings.services.people import bma_participant_add, city_participant_add

from ..factories import ShortlistEntryFactory
from .factories import BMAParticipantFactory, CityParticipantFactory
from .support import in_past

pytestmark = pytest.mark.django_db
Status = Session.Status


def refuse(call, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        call()
    assert error.value.messages == [message]


def test_the_cities_are_chosen_before_the_invitation(planned_year, fao_user):
    session = planned_year.sessions.get(number=1)
    refuse(
        lambda: svc.session_mark_city_invited(session_id=session.pk, acting_user=fao_user),
        "Choose the sister cities before inviting them.",
    )
    refuse(
        lambda: svc.session_mark_city_confirmed(session_id=session.pk, acting_user=fao_user),
        "Invite the cities before recording their confirmation.",
    )


def test_inviting_ticks_off_step_4_and_moves_forward_only(confirmed_session, fao_user):
    session = confirmed_session
    assert session.status == Status.CITY_CONFIRMED
    step = session.steps.get(number=4)
    assert step.done_by == fao_user and step.note == "city invited"
    refuse(
        lambda: svc.session_mark_city_invited(session_id=session.pk, acting_user=fao_user),
        "The cities were already invited.",
    )
    refuse(
        lambda: svc.session_mark_city_confirmed(session_id=session.pk, acting_user=fao_user),
        "The cities have already confirmed.",
    )
    assert [h.status for h in session.history.order_by("history_date")][-2:] == [
        Status.CITY_INVITED,
        Status.CITY_CONFIRMED,
    ]


def test_teams_is_asked_only_once_the_cities_confirmed(planned_year, seoul, fao_user):
    session = planned_year.sessions.get(number=1)
    refuse(
        lambda: svc.session_schedule(session_id=session.pk, acting_user=fao_user),
        "Schedule the Teams meeting once the cities have confirmed.",
    )
    assert not TeamsMeetingRequest.objects.exists()


def test_scheduling_creates_the_teams_meeting_on_commit(
    confirmed_session, fao_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        svc.session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    assert len(callbacks) == 1
    session = Session.objects.get(pk=confirmed_session.pk)
    assert session.status == Status.SCHEDULED
    meeting = session.teams_meetings.get()
    assert meeting.state == TeamsMeeting.State.ACTIVE
    assert meeting.join_url.startswith("https://teams.invalid/local-meeting/")
    request = meeting.requests.get()
    assert (request.action, request.status, request.attempts) == ("create", "succeeded", 1)
    assert request.requested_by == fao_user
    refuse(
        lambda: svc.session_schedule(session_id=session.pk, acting_user=fao_user),
        "The Teams meeting is already scheduled.",
    )


def test_a_session_in_the_past_cannot_be_scheduled(confirmed_session, fao_user):
    in_past(confirmed_session)
    refuse(
        lambda: svc.session_schedule(session_id=confirmed_session.pk, acting_user=fao_user),
        "The session cannot start in the past.",
    )


def test_moving_the_session_updates_its_teams_meeting(
    confirmed_session, fao_user, teams_backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        svc.session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    new_start = confirmed_session.starts_at + dt.timedelta(days=1, hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        svc.session_reschedule(
            session_id=confirmed_session.pk,
            starts_at=new_start,
            ends_at=new_start + dt.timedelta(hours=2),
            acting_user=fao_user,
        )
    session = Session.objects.get(pk=confirmed_session.pk)
    assert session.starts_at == new_start and session.sequence == 1
    update = TeamsMeetingRequest.objects.get(action="update")
    assert update.status == "succeeded"
    (create, update_call) = teams_backend.calls
    assert create[0] == "create"
    assert update_call[:2] == ("update", session.teams_meetings.get().event_id)
    assert update_call[2].start == new_start
    assert update_call[2].body_html == ""  # an update never sends the body


def test_a_move_to_the_same_time_asks_nothing(confirmed_session, fao_user):
    svc.session_reschedule(
        session_id=confirmed_session.pk,
        starts_at=confirmed_session.starts_at,
        ends_at=confirmed_session.ends_at,
        acting_user=fao_user,
    )
    assert (
        confirmed_session.history.count()
        == Session.objects.get(pk=confirmed_session.pk).history.count()
    )
    assert not TeamsMeetingRequest.objects.exists()


@pytest.mark.parametrize(
    ("shift", "length", "message"),
    [
        (dt.timedelta(days=-800), dt.timedelta(hours=2), "The session cannot start in the past."),
        (
            dt.timedelta(days=1),
            dt.timedelta(minutes=10),
            "A session lasts between 30 minutes and 8 hours.",
        ),
        (dt.timedelta(days=400), dt.timedelta(hours=2), None),  # outside the fiscal year
    ],
)
def test_reschedule_refusals(confirmed_session, fao_user, shift, length, message):
    start = confirmed_session.starts_at + shift
    expected = message or f"The session must take place within {confirmed_session.year.fiscal}."
    refuse(
        lambda: svc.session_reschedule(
            session_id=confirmed_session.pk,
            starts_at=start,
            ends_at=start + length,
            acting_user=fao_user,
        ),
        expected,
    )


def test_the_connection_test_is_its_own_shorter_meeting_before_the_session(
    confirmed_session, seo_user, django_capture_on_commit_callbacks
):
    start = confirmed_session.starts_at - dt.timedelta(days=7)
    refuse(
        lambda: svc.connection_test_schedule(
            session_id=confirmed_session.pk,
            starts_at=confirmed_session.starts_at,
            ends_at=confirmed_session.starts_at + dt.timedelta(minutes=30),
            acting_user=seo_user,
        ),
        "The connection test must end before the session starts.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        svc.connection_test_schedule(
            session_id=confirmed_session.pk,
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=30),
            acting_user=seo_user,
        )
        svc.session_schedule(session_id=confirmed_session.pk, acting_user=seo_user)
    meetings = {m.purpose: m for m in TeamsMeeting.objects.all()}
    assert set(meetings) == {"session", "connection_test"}
    assert meetings["session"].join_url != meetings["connection_test"].join_url
    # The session cannot move before its connection test.
    refuse(
        lambda: svc.session_reschedule(
            session_id=confirmed_session.pk,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            acting_user=seo_user,
        ),
        "Move the connection test first: it must end before the session starts.",
    )


def test_held_needs_the_connection_test_done_or_waived(confirmed_session, seo_user):
    session = in_past(confirmed_session)
    vendor = ShortlistEntryFactory(session=session)
    city_person = CityParticipantFactory(session=session, contact__city=session.cities.get())
    bma_person = BMAParticipantFactory(session=session)

    def held():
        return svc.session_mark_held(
            session_id=session.pk,
            vendor_attendance={vendor.pk: True},
            city_attendance={city_person.pk: False},
            bma_attendance={bma_person.pk: True},
            acting_user=seo_user,
        )

    refuse(
        held,
        "Record the connection test, or waive it with a reason, before the session is held.",
    )
    refuse(
        lambda: svc.connection_test_waive(session_id=session.pk, reason="  ", acting_user=seo_user),
        "Give the reason the connection test is waived.",
    )
    svc.connection_test_waive(
        session_id=session.pk, reason="Same room and laptop as last month", acting_user=seo_user
    )
    held()
    session.refresh_from_db()
    vendor.refresh_from_db()
    city_person.refresh_from_db()
    bma_person.refresh_from_db()
    assert session.status == Status.HELD
    assert (vendor.attended, city_person.attended, bma_person.attended) == (True, False, True)
    assert session.steps.get(number=7).done_by == seo_user
    refuse(held, "This session has already been held.")


def test_recording_the_test_moves_the_status_to_connection_tested(confirmed_session, seo_user):
    svc.connection_test_record_done(
        session_id=confirmed_session.pk, notes="Sound and video fine", acting_user=seo_user
    )
    session = Session.objects.get(pk=confirmed_session.pk)
    assert session.status == Status.CONNECTION_TESTED
    assert session.connection_test_done_by == seo_user
    assert session.connection_test_notes == "Sound and video fine"


def test_a_connection_test_still_to_come_cannot_be_recorded(confirmed_session, seo_user):
    start = confirmed_session.starts_at - dt.timedelta(days=7)
    svc.connection_test_schedule(
        session_id=confirmed_session.pk,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        acting_user=seo_user,
    )
    refuse(
        lambda: svc.connection_test_record_done(
            session_id=confirmed_session.pk, notes="", acting_user=seo_user
        ),
        "The connection test has not taken place yet.",
    )


def test_a_session_still_to_come_cannot_be_held(confirmed_session, seo_user):
    svc.connection_test_waive(session_id=confirmed_session.pk, reason="x", acting_user=seo_user)
    refuse(
        lambda: svc.session_mark_held(
            session_id=confirmed_session.pk,
            vendor_attendance={},
            city_attendance={},
            bma_attendance={},
            acting_user=seo_user,
        ),
        "The session has not started yet.",
    )


def test_reported_only_after_held(confirmed_session, fao_user, seo_user):
    refuse(
        lambda: svc.session_mark_reported(session_id=confirmed_session.pk, acting_user=fao_user),
        "Only a session that was held can be reported.",
    )
    session = in_past(confirmed_session)
    svc.connection_test_waive(session_id=session.pk, reason="x", acting_user=seo_user)
    svc.session_mark_held(
        session_id=session.pk,
        vendor_attendance={},
        city_attendance={},
        bma_attendance={},
        acting_user=seo_user,
    )
    svc.session_mark_reported(session_id=session.pk, acting_user=fao_user)
    session.refresh_from_db()
    assert session.status == Status.REPORTED
    assert session.steps.get(number=8).done_by == fao_user


def test_cancelling_cancels_both_teams_meetings(
    confirmed_session, fao_user, django_capture_on_commit_callbacks
):
    start = confirmed_session.starts_at - dt.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        svc.connection_test_schedule(
            session_id=confirmed_session.pk,
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=30),
            acting_user=fao_user,
        )
        svc.session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    refuse(
        lambda: svc.session_cancel(
            session_id=confirmed_session.pk, reason="", acting_user=fao_user
        ),
        "Give a reason for cancelling.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        svc.session_cancel(
            session_id=confirmed_session.pk,
            reason="The city asked to postpone",
            acting_user=fao_user,
        )
    session = Session.objects.get(pk=confirmed_session.pk)
    assert session.status == Status.CANCELLED
    assert session.cancel_reason == "The city asked to postpone"
    assert session.cancelled_by == fao_user
    cancels = TeamsMeetingRequest.objects.filter(action="cancel")
    assert sorted(c.meeting.purpose for c in cancels) == ["connection_test", "session"]
    assert {c.status for c in cancels} == {"succeeded"}
    assert {c.comment for c in cancels} == {"The city asked to postpone"}
    assert set(TeamsMeeting.objects.values_list("state", flat=True)) == {"cancelled"}
    # A cancelled session refuses everything else.
    refuse(
        lambda: svc.session_reschedule(
            session_id=session.pk,
            starts_at=session.starts_at,
            ends_at=session.ends_at + dt.timedelta(minutes=30),
            acting_user=fao_user,
        ),
        "This session was cancelled.",
    )
    refuse(
        lambda: svc.session_cancel(session_id=session.pk, reason="again", acting_user=fao_user),
        "This session was cancelled.",
    )


def test_changing_attendees_updates_the_live_meetings(
    confirmed_session, fao_user, make_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        svc.session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    contact = confirmed_session.cities.get().contacts.get()
    with django_capture_on_commit_callbacks(execute=True):
        bma_participant_add(session_id=confirmed_session.pk, user=make_user(), acting_user=fao_user)
        city_participant_add(
            session_id=confirmed_session.pk,
            city=contact.city,
            contact=contact,
            acting_user=fao_user,
        )
    updates = TeamsMeetingRequest.objects.filter(action="update").order_by("pk")
    # Each change asked for an update; the first, still waiting, was replaced by the second.
    assert [u.status for u in updates] == ["superseded", "succeeded"]


def test_a_city_participant_must_belong_to_a_city_of_the_session(
    confirmed_session, fao_user, shanghai
):
    refuse(
        lambda: city_participant_add(
            session_id=confirmed_session.pk, city=shanghai, name="Li", acting_user=fao_user
        ),
        "Shanghai does not take part in this session.",
    )


def test_a_city_with_participants_stays_until_they_are_removed(
    confirmed_session, fao_user, shanghai
):
    seoul_city = confirmed_session.cities.get()
    city_participant_add(
        session_id=confirmed_session.pk, city=seoul_city, name="Park", acting_user=fao_user
    )
    refuse(
        lambda: svc.session_update_details(
            session_id=confirmed_session.pk,
            cities=[shanghai],
            organizer_mailbox="",
            acting_user=fao_user,
        ),
        "Remove the participants from Seoul first.",
    )
    svc.session_update_details(
        session_id=confirmed_session.pk,
        cities=[seoul_city, shanghai],
        organizer_mailbox="teams@bangkok.go.th",
        acting_user=fao_user,
    )
    assert set(confirmed_session.cities.values_list("name_en", flat=True)) == {
        "Seoul",
        "Shanghai",
    }


def test_the_status_rank_orders_every_status():
    ranks = [Session.rank(s) for s in Session.STATUS_ORDER]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    assert Session.rank(Status.CANCELLED) > Session.rank(Status.REPORTED)


def test_the_database_refuses_a_cancelled_session_without_reason(confirmed_session):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=confirmed_session.pk).update(
            status=Status.CANCELLED, cancel_reason=""
        )


def test_picking_vendors_keeps_their_products_and_withdraws_an_approval(
    confirmed_session, fao_user
):
    from meetings.services.shortlists import shortlist_set_vendors

    from ..factories import ProductFactory, VendorFactory

    kept = ShortlistEntryFactory(session=confirmed_session, position=1)
    product = ProductFactory(vendor=kept.vendor)
    kept.products.add(product)
    dropped = ShortlistEntryFactory(session=confirmed_session, position=2)
    Session.objects.filter(pk=confirmed_session.pk).update(
        shortlist_approved_by=fao_user, shortlist_approved_at=timezone.now()
    )
    newcomer = VendorFactory()
    shortlist_set_vendors(
        session_id=confirmed_session.pk, vendors=[newcomer, kept.vendor], acting_user=fao_user
    )
    entries = list(confirmed_session.shortlist.order_by("position"))
    assert [(e.vendor, e.position) for e in entries] == [(newcomer, 1), (kept.vendor, 2)]
    assert list(entries[1].products.all()) == [product]
    assert not confirmed_session.shortlist.filter(vendor=dropped.vendor).exists()
    session = Session.objects.get(pk=confirmed_session.pk)
    assert session.shortlist_approved_at is None and session.shortlist_approved_by is None

    inactive = VendorFactory(is_active=False)
    refuse(
        lambda: shortlist_set_vendors(
            session_id=confirmed_session.pk, vendors=[inactive], acting_user=fao_user
        ),
        f"{inactive.business_name} is not an active vendor.",
    )
