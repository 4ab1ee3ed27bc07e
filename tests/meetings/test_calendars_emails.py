"""Calendar files and the participants' e-mails, each in the recipient's own time."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.models import ParticipantNotice
from meetings.services.notices import (
    notices_queue_reminders,
    render_notice,
    session_send_invitations,
)
from meetings.services.people import bma_participant_add, city_participant_add
from meetings.services.sessions import connection_test_schedule, session_cancel, session_schedule
from meetings.views.calendars import feed_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(confirmed_session, fao_user, make_user, django_capture_on_commit_callbacks):
    """A scheduled session with a Bangkok participant and a Seoul contact."""
    somchai = make_user(email="somchai@bangkok.go.th", first_name="Somchai", last_name="Dee")
    bma_participant_add(session_id=confirmed_session.pk, user=somchai, acting_user=fao_user)
    contact = confirmed_session.cities.get().contacts.get()
    city_participant_add(
        session_id=confirmed_session.pk, city=contact.city, contact=contact, acting_user=fao_user
    )
    with django_capture_on_commit_callbacks(execute=True):
        session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    confirmed_session.refresh_from_db()
    return confirmed_session


def events_of(body: bytes) -> list:
    return list(Calendar.from_ical(body).walk("VEVENT"))


def test_session_ics_has_the_join_link_only_for_those_allowed(
    invited, fao_user, executive_user, client_for
):
    url = reverse("meetings:session-calendar", args=[invited.pk])
    response = client_for(fao_user).get(url)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    (event,) = events_of(response.content)
    meeting = invited.teams_meetings.get()
    assert str(event["uid"]).startswith(f"bbportal-session-{invited.pk}@")
    assert event.decoded("dtstart") == invited.starts_at
    assert event.decoded("dtend") == invited.ends_at
    assert str(event["summary"]) == (
        f"Bangkok Brand × Seoul: session 1, FY {invited.year.fiscal_year}"
    )
    assert str(event["url"]) == meeting.join_url
    assert str(event["status"]) == "CONFIRMED"
    assert "Join (local test link, no Microsoft tenant)" in str(event["description"])

    (hidden,) = events_of(client_for(executive_user).get(url).content)
    assert "url" not in hidden and meeting.join_url not in str(hidden["description"])


def test_year_feed_by_personal_link_and_cancelled_sessions(
    invited, planned_year, fao_user, executive_user, client
):
    second = planned_year.sessions.get(number=2)
    session_cancel(session_id=second.pk, reason="no city available", acting_user=fao_user)
    url = reverse("meetings:year-calendar", args=[planned_year.fiscal_year])
    assert client.get(url).status_code == 403
    assert client.get(url + "?token=forged").status_code == 403
    other_year = feed_token(executive_user, planned_year.fiscal_year + 1)
    assert client.get(f"{url}?token={other_year}").status_code == 403

    body = client.get(f"{url}?token={feed_token(executive_user, planned_year.fiscal_year)}")
    events = {str(e["uid"]).split("@")[0]: e for e in events_of(body.content)}
    assert set(events) == {f"bbportal-session-{s.pk}" for s in planned_year.sessions.all()}
    assert str(events[f"bbportal-session-{second.pk}"]["status"]) == "CANCELLED"
    assert all("url" not in e for e in events.values())  # an executive sees no join link

    fao_body = client.get(f"{url}?token={feed_token(fao_user, planned_year.fiscal_year)}")
    fao_events = {str(e["uid"]).split("@")[0]: e for e in events_of(fao_body.content)}
    assert "url" in fao_events[f"bbportal-session-{invited.pk}"]

    executive_user.is_active = False
    executive_user.save()
    assert (
        client.get(
            f"{url}?token={feed_token(executive_user, planned_year.fiscal_year)}"
        ).status_code
        == 403
    )


def test_a_moved_session_raises_its_sequence_and_adds_the_connection_test(
    invited, fao_user, client_for
):
    start = invited.starts_at - dt.timedelta(days=7)
    connection_test_schedule(
        session_id=invited.pk,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        acting_user=fao_user,
    )
    from meetings.services.sessions import session_reschedule

    session_reschedule(
        session_id=invited.pk,
        starts_at=invited.starts_at + dt.timedelta(hours=1),
        ends_at=invited.ends_at + dt.timedelta(hours=1),
        acting_user=fao_user,
    )
    body = client_for(fao_user).get(reverse("meetings:session-calendar", args=[invited.pk]))
    test, session = events_of(body.content)
    assert str(test["uid"]).startswith(f"bbportal-session-{invited.pk}-connection-test@")
    assert test.decoded("dtstart") == start
    assert str(test["summary"]).startswith("Connection test – ")
    assert int(session["sequence"]) == 1


def test_invitations_in_each_recipients_language_and_time(
    invited, fao_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notices = session_send_invitations(session_id=invited.pk, acting_user=fao_user)
    assert len(notices) == 2 and len(mail.outbox) == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    seoul = by_to["Kim Min-jun <kim@seoul.example.kr>"]
    bangkok = by_to["Somchai Dee <somchai@bangkok.go.th>"]

    local_seoul = timezone.localtime(invited.starts_at, timezone=dt.timezone(dt.timedelta(hours=9)))
    assert seoul.subject == (
        f"Invitation: Bangkok Brand × Seoul, {local_seoul:%a %-d %b %Y, %H:%M}–"
        f"{local_seoul + dt.timedelta(hours=2):%H:%M} (UTC+9)"
    )
    assert f"When (your time): {local_seoul:%a %-d %b %Y, %H:%M}" in seoul.body
    assert "Bangkok time: " in seoul.body
    assert invited.teams_meetings.get().join_url in seoul.body
    ((name, ics, mimetype),) = seoul.attachments
    assert mimetype == "text/calendar" and name == "session-1.ics"
    assert "url" in events_of(ics.encode() if isinstance(ics, str) else ics)[0]

    local_bangkok = timezone.localtime(invited.starts_at)
    be_year = local_bangkok.year + 543
    assert bangkok.subject.startswith("เชิญประชุม: Bangkok Brand × โซล")
    assert f"{be_year}, {local_bangkok:%H:%M}" in bangkok.subject
    assert "Bangkok time" not in bangkok.body and "เวลากรุงเทพฯ" not in bangkok.body
    assert {n.status for n in ParticipantNotice.objects.all()} == {"sent"}

    # A second click invites no one twice for the same time.
    assert session_send_invitations(session_id=invited.pk, acting_user=fao_user) == []


def test_reminders_go_once_for_sessions_within_a_day(invited, django_capture_on_commit_callbacks):
    from meetings.models import Session

    soon = timezone.now() + dt.timedelta(hours=20)
    Session.objects.filter(pk=invited.pk).update(
        starts_at=soon, ends_at=soon + dt.timedelta(hours=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = notices_queue_reminders()
        second = notices_queue_reminders()
    assert len(first) == 2 and second == []
    assert {m.subject.split(":")[0] for m in mail.outbox} == {"Reminder", "เตือนการประชุม"}
    assert notices_queue_reminders(now=timezone.now() - dt.timedelta(days=2)) == []


def test_a_failing_mail_server_is_retried_then_given_up(
    invited, fao_user, settings, monkeypatch, caplog
):
    from meetings.services import notices as notices_module

    def broken(self, fail_silently=False):
        raise ConnectionRefusedError("SMTP server refused the connection")

    monkeypatch.setattr(notices_module.EmailMultiAlternatives, "send", broken)
    (notice, _other) = session_send_invitations(session_id=invited.pk, acting_user=fao_user)
    waits = [notices_module.notice_send(notice_id=notice.pk) for _ in range(5)]
    assert waits == [60.0, 120.0, 240.0, 480.0, None]
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == ("failed", 5)
    assert notice.last_error == "SMTP server refused the connection"
    # The log says which e-mail failed, not to whom (PDPA: no personal data in logs).
    failures = [r.getMessage() for r in caplog.records if "failed" in r.getMessage()]
    assert failures and not [m for m in failures if notice.recipient_email in m]


def test_the_thai_e_mail_reads_in_thai(invited, fao_user):
    session_send_invitations(session_id=invited.pk, acting_user=fao_user)
    notice = ParticipantNotice.objects.get(language="th")
    _subject, text, html = render_notice(notice, invited)
    assert text.startswith("เรียน Somchai Dee")
    assert "ระเบียบวาระ" in text and 'lang="th"' in html


def test_the_year_page_gives_a_personal_feed_link(planned_year, executive_user, client_for):
    import re

    page = client_for(executive_user).get(
        reverse("meetings:year-detail", args=[planned_year.fiscal_year])
    )
    (link,) = re.findall(
        r'id="feed-url" value="([^"]+)"|value="([^"]+)"[^>]*id="feed-url"', page.content.decode()
    )
    url = next(part for part in link if part).replace("&amp;", "&")
    assert url.startswith("http://testserver/meetings/years/")
    response = client_for(None).get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert len(events_of(response.content)) == 3


HOSTILE_NAMES = {
    "mallory@seoul.example.kr": "Mallory <mallory@evil.example> (",
    "jiwoo@seoul.example.kr": "Lee, Ji-woo",
}


def envelope(message) -> list[str]:
    """The addresses the SMTP backend would hand the server (it sanitises each one)."""
    from django.core.mail.message import sanitize_address

    return [
        sanitize_address(r, message.encoding or "utf-8").rsplit("<", 1)[-1].rstrip(">")
        for r in message.recipients()
    ]


def test_a_participants_name_never_changes_where_the_invitation_goes(
    invited, fao_user, django_capture_on_commit_callbacks
):
    city = invited.cities.get()
    for email, name in HOSTILE_NAMES.items():
        city_participant_add(
            session_id=invited.pk, city=city, name=name, email=email, acting_user=fao_user
        )
    with django_capture_on_commit_callbacks(execute=True):
        session_send_invitations(session_id=invited.pk, acting_user=fao_user)
    sent = {envelope(m)[0]: m for m in mail.outbox}
    assert "mallory@evil.example" not in sent
    assert set(HOSTILE_NAMES) <= set(sent)
    for email, name in HOSTILE_NAMES.items():
        message = sent[email]
        assert envelope(message) == [email]
        # The whole name is shown, quoted, and the message can be written out.
        assert message.message()["To"] is not None
        from email.utils import getaddresses

        assert getaddresses([str(message.message()["To"])]) == [(name, email)]
    statuses = dict(ParticipantNotice.objects.values_list("recipient_email", "status"))
    assert statuses["jiwoo@seoul.example.kr"] == statuses["mallory@seoul.example.kr"] == "sent"


def _old_token(monkeypatch, user, fiscal_year: int, days: float) -> str:
    """A feed link made `days` ago (the signer's clock turned back while it signs)."""
    real = signing.TimestampSigner.timestamp
    monkeypatch.setattr(
        signing.TimestampSigner,
        "timestamp",
        lambda self: signing.b62_encode(int(time.time() - days * 86400)),
    )
    token = feed_token(user, fiscal_year)
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", real)
    return token


def test_a_feed_link_expires(planned_year, executive_user, client, monkeypatch, settings):
    settings.CALENDAR_FEED_MAX_AGE_DAYS = 30
    url = reverse("meetings:year-calendar", args=[planned_year.fiscal_year])
    fresh = _old_token(monkeypatch, executive_user, planned_year.fiscal_year, days=29)
    stale = _old_token(monkeypatch, executive_user, planned_year.fiscal_year, days=31)
    assert client.get(f"{url}?token={fresh}").status_code == 200
    assert client.get(f"{url}?token={stale}").status_code == 403


def test_a_password_change_revokes_the_feed_links(
    planned_year, executive_user, client, client_for, password
):
    url = reverse("meetings:year-calendar", args=[planned_year.fiscal_year])
    token = feed_token(executive_user, planned_year.fiscal_year)
    assert client.get(f"{url}?token={token}").status_code == 200
    changed = client_for(executive_user).post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "An0ther-Secret!",
            "new_password2": "An0ther-Secret!",
        },
    )
    assert changed.status_code == 302
    assert client.get(f"{url}?token={token}").status_code == 403
    executive_user.refresh_from_db()
    fresh = feed_token(executive_user, planned_year.fiscal_year)
    assert client.get(f"{url}?token={fresh}").status_code == 200


def test_the_year_page_says_how_long_the_feed_link_works(planned_year, fao_user, client_for):
    page = client_for(fao_user).get(
        reverse("meetings:year-detail", args=[planned_year.fiscal_year])
    )
    assert "It works for 180 days and stops when you change your password." in page.content.decode()
    page = client_for(fao_user, "th").get(
        reverse("meetings:year-detail", args=[planned_year.fiscal_year])
    )
    assert "ใช้ได้ 180 วัน และจะใช้ไม่ได้เมื่อคุณเปลี่ยนรหัสผ่าน" in page.content.decode()
