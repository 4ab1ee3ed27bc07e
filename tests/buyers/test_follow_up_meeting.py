"""A follow-up meeting from a lead: asked of Teams through the sessions' backend with a
transactionId, shown as confirmed only once Teams made it, retried on a passing error."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from buyers.meetings_leads import (
    follow_up_meeting_execute,
    follow_up_meeting_request,
    follow_up_meetings_pending,
)
from buyers.models import FollowUpMeeting
from microsoft import teams

from .conftest import make_lead

pytestmark = pytest.mark.django_db


def _tomorrow():
    return timezone.now() + dt.timedelta(days=1)


def test_teams_confirms_the_meeting_with_vendor_buyer_and_sdo(
    showcase, sdo_user, django_capture_on_commit_callbacks, monkeypatch
):
    link, vendor, _ = showcase
    seen = []
    backend = teams.LocalTeamsBackend()
    original = backend.create_meeting

    def create(spec):
        seen.append(spec)
        return original(spec)

    monkeypatch.setattr(backend, "create_meeting", create)
    monkeypatch.setattr(teams, "get_backend", lambda: backend)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = follow_up_meeting_request(
            lead=make_lead(link, vendor), starts_at=_tomorrow(), minutes=30, acting_user=sdo_user
        )
    meeting.refresh_from_db()
    assert meeting.status == FollowUpMeeting.Status.CONFIRMED
    assert meeting.join_url and meeting.attempts == 1
    (spec,) = seen
    assert spec.transaction_id == meeting.transaction_id
    assert {a.email for a in spec.attendees} == {
        "minji@hanbit.example",
        "silk@example.org",
        sdo_user.email,
    }
    # A repeated run (a task announced twice) asks Teams nothing more.
    follow_up_meeting_execute(meeting_id=meeting.pk)
    assert len(seen) == 1


def test_a_passing_error_waits_and_tries_again_then_gives_up(showcase, sdo_user, monkeypatch):
    link, vendor, _ = showcase
    meeting = follow_up_meeting_request(
        lead=make_lead(link, vendor), starts_at=_tomorrow(), minutes=30, acting_user=sdo_user
    )

    class Down:
        def create_meeting(self, spec):
            raise teams.TeamsTransientError("503 from Graph", status=503)

    monkeypatch.setattr(teams, "get_backend", lambda: Down())
    assert follow_up_meeting_execute(meeting_id=meeting.pk) > 0
    meeting.refresh_from_db()
    assert (meeting.status, meeting.attempts) == ("requested", 1)
    assert "503 from Graph" in meeting.last_error
    assert follow_up_meetings_pending(now=timezone.now() + dt.timedelta(hours=1))
    for _ in range(4):
        follow_up_meeting_execute(meeting_id=meeting.pk)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.attempts) == ("failed", 5)


def test_a_meeting_in_the_past_or_for_a_closed_lead_is_refused(showcase, sdo_user):
    link, vendor, _ = showcase
    with pytest.raises(ValidationError, match=r"Choose a time in the future\."):
        follow_up_meeting_request(
            lead=make_lead(link, vendor),
            starts_at=timezone.now() - dt.timedelta(hours=1),
            minutes=30,
            acting_user=sdo_user,
        )
    with pytest.raises(
        ValidationError, match=r"A meeting can be scheduled only for an open lead\."
    ):
        follow_up_meeting_request(
            lead=make_lead(link, vendor, status="lost"),
            starts_at=_tomorrow(),
            minutes=30,
            acting_user=sdo_user,
        )


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "The meeting was asked of Teams; it shows as confirmed once Teams has made it."),
        ("th", "ส่งคำขอนัดประชุมไปยัง Teams แล้ว จะแสดงว่ายืนยันเมื่อ Teams สร้างการประชุมแล้ว"),
    ],
)
def test_staff_schedule_a_meeting_from_the_leads_page(
    showcase, sdo_user, client_for, lang, message
):
    link, vendor, _ = showcase
    lead = make_lead(link, vendor)
    start = timezone.localtime(_tomorrow()).strftime("%Y-%m-%dT%H:%M")
    response = client_for(sdo_user, lang).post(
        reverse("buyers:lead-meeting", args=[lead.pk]),
        {"starts_at": start, "minutes": "45"},
        follow=True,
    )
    assert message in response.content.decode()
    assert FollowUpMeeting.objects.get().minutes == 45
