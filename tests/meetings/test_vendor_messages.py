"""Vendors presenting at a session get an invitation and a reminder, by LINE when linked
(over HTTPS to the fake LINE) or else by e-mail, in Thai, with the join link."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from meetings.models import Session, ShortlistEntry
from meetings.services.notices import notices_queue_reminders, session_send_invitations
from notifications.models import LineLink, OutboxMessage
from tests.factories import VendorFactory

from .test_calendars_emails import invited  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def presenting(invited, fake_line):  # noqa: F811
    on_line = VendorFactory(email="line-shop@example.com")
    LineLink.objects.create(vendor=on_line, line_user_id=fake_line.new_user())
    by_mail = VendorFactory(email="mail-shop@example.com")
    for position, vendor in enumerate([on_line, by_mail]):
        ShortlistEntry.objects.create(session=invited, vendor=vendor, position=position)
    return on_line, by_mail


def test_presenting_vendors_are_invited_in_thai_with_the_join_link_once(
    invited,  # noqa: F811
    presenting,
    fake_line,
    fao_user,
    django_capture_on_commit_callbacks,
):
    on_line, _by_mail = presenting
    with django_capture_on_commit_callbacks(execute=True):
        session_send_invitations(session_id=invited.pk, acting_user=fao_user)
        session_send_invitations(session_id=invited.pk, acting_user=fao_user)
    join_url = invited.teams_meetings.get().join_url
    (text,) = fake_line.delivered[on_line.line_link.line_user_id]
    lines = text.splitlines()
    assert lines[0] == "BB Portal: คำเชิญ – การประชุมทางไกล Bangkok Brand × โซล"
    assert lines[1].startswith("เวลา: ") and lines[1].endswith("(เวลากรุงเทพฯ)")
    assert lines[-1] == f"เข้าร่วม: {join_url}"
    (vendor_mail,) = [m for m in mail.outbox if "mail-shop@example.com" in m.to[0]]
    assert vendor_mail.subject == lines[0]
    assert join_url in vendor_mail.body
    assert OutboxMessage.objects.filter(template="meetings.vendor_invitation").count() == 2
    assert len(fake_line.pushes()) == 1


def test_presenting_vendors_get_a_reminder_the_day_before(
    invited,  # noqa: F811
    presenting,
    fake_line,
    django_capture_on_commit_callbacks,
):
    on_line, _by_mail = presenting
    soon = timezone.now() + dt.timedelta(hours=20)
    Session.objects.filter(pk=invited.pk).update(
        starts_at=soon, ends_at=soon + dt.timedelta(hours=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        notices_queue_reminders()
        notices_queue_reminders()
    (text,) = fake_line.delivered[on_line.line_link.line_user_id]
    assert text.startswith("BB Portal: เตือน พรุ่งนี้ – ")
    assert OutboxMessage.objects.filter(template="meetings.vendor_reminder").count() == 2


def test_a_cancelled_session_sends_no_vendor_message(
    invited,  # noqa: F811
    presenting,
    fake_line,
    fao_user,
    django_capture_on_commit_callbacks,
):
    from meetings.services.sessions import session_cancel

    with django_capture_on_commit_callbacks(execute=False):
        session_send_invitations(session_id=invited.pk, acting_user=fao_user)
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session_id=invited.pk, reason="city withdrew", acting_user=fao_user)
    from notifications.services import outbox_deliver

    for message in OutboxMessage.objects.filter(template="meetings.vendor_invitation"):
        outbox_deliver(message_id=message.pk)
    assert fake_line.pushes() == []
    statuses = set(
        OutboxMessage.objects.filter(template="meetings.vendor_invitation").values_list(
            "status", "last_error_code"
        )
    )
    assert statuses == {("cancelled", "session_cancelled")}


def test_a_typical_session_sends_each_message_once(
    planned_year,
    seoul,
    shanghai,
    fao_user,
    make_user,
    fake_line,
    capsys,
    django_capture_on_commit_callbacks,
):
    """5 vendors (3 on LINE), 2 cities with 2 contacts each, 3 BMA staff: the invitations,
    the day-before reminders, each sent once however often staff click or the job runs."""
    from meetings.services.people import bma_participant_add, city_participant_add
    from meetings.services.sessions import (
        session_mark_city_confirmed,
        session_mark_city_invited,
        session_schedule,
        session_update_details,
    )
    from tests.factories import CityContactFactory

    session = planned_year.sessions.get(number=1)
    session_update_details(
        session_id=session.pk, cities=[seoul, shanghai], organizer_mailbox="", acting_user=fao_user
    )
    session_mark_city_invited(session_id=session.pk, acting_user=fao_user)
    session_mark_city_confirmed(session_id=session.pk, acting_user=fao_user)
    for city in (seoul, shanghai):
        CityContactFactory(city=city)
        for contact in city.contacts.all():
            city_participant_add(
                session_id=session.pk, city=city, contact=contact, acting_user=fao_user
            )
    for n in range(3):
        user = make_user(email=f"staff{n}@bangkok.go.th")
        bma_participant_add(session_id=session.pk, user=user, acting_user=fao_user)
    for n in range(5):
        vendor = VendorFactory(email=f"vendor{n}@example.com")
        if n < 3:
            LineLink.objects.create(vendor=vendor, line_user_id=fake_line.new_user())
        ShortlistEntry.objects.create(session=session, vendor=vendor, position=n)
    with django_capture_on_commit_callbacks(execute=True):
        session_schedule(session_id=session.pk, acting_user=fao_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session_send_invitations(session_id=session.pk, acting_user=fao_user)
        session_send_invitations(session_id=session.pk, acting_user=fao_user)
    invitations = (len(mail.outbox), len(fake_line.pushes()))
    soon = timezone.now() + dt.timedelta(hours=20)
    Session.objects.filter(pk=session.pk).update(
        starts_at=soon, ends_at=soon + dt.timedelta(hours=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        notices_queue_reminders()
        notices_queue_reminders()
    reminders = (len(mail.outbox) - invitations[0], len(fake_line.pushes()) - invitations[1])
    assert invitations == (7 + 2, 3)  # e-mails (4 contacts, 3 staff, 2 vendors), LINE pushes
    assert reminders == (7 + 2, 3)
    assert sum(len(texts) for texts in fake_line.delivered.values()) == 6
    with capsys.disabled():
        print(f"\ntypical session: invitations {invitations}, reminders {reminders} (e-mail, LINE)")
