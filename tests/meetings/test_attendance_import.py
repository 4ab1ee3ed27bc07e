"""Attendance read back from Teams and proposed to staff (#13), against the fake Graph over
HTTPS: matched by e-mail, suggested by name, guests apart, two reports merged, a retry
harmless, a 403 that names what to grant in the reader's language, an empty report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.forms import AttendanceForm
from meetings.models import TeamsAttendance
from meetings.selectors import session_teams_attendance
from meetings.services.attendance import session_attendance_import
from meetings.services.people import city_participant_add

from .attendance_support import join_url, two_reports
from .support import in_past

pytestmark = pytest.mark.django_db


def rows(session) -> list[tuple]:
    return sorted(
        (r.name, r.match, r.minutes, r.participant_key and r.participant_key[0])
        for r in TeamsAttendance.objects.filter(session=session)
    )


def test_the_import_matches_by_email_then_name_keeps_guests_apart_and_merges(
    fake_graph, held, seo_user
):
    two_reports(fake_graph, held)

    result = session_attendance_import(session_id=held.pk, acting_user=seo_user)

    assert (result.matched, result.suggested, result.unmatched) == (2, 1, 1)
    assert rows(held) == [
        ("Ban  khrua SILK", "name", 45, "vendor"),
        ("Guest 0812", "none", 10, None),
        ("Kim Min-jun", "email", 58, "city"),
        ("Somchai Dee", "email", 60, "bma"),
    ]
    kim = TeamsAttendance.objects.get(name="Kim Min-jun")
    assert kim.source == "teams"
    start = held.starts_at.replace(microsecond=0)  # Graph gives whole seconds
    assert kim.joined_at == start + dt.timedelta(minutes=2)
    assert kim.left_at == start + dt.timedelta(minutes=70)
    assert kim.imported_by == seo_user


def test_a_retry_replaces_the_proposal(fake_graph, held, seo_user):
    two_reports(fake_graph, held)
    session_attendance_import(session_id=held.pk, acting_user=seo_user)
    first = rows(held)
    session_attendance_import(session_id=held.pk, acting_user=seo_user)
    assert rows(held) == first
    assert TeamsAttendance.objects.count() == 4


def test_a_name_two_participants_share_is_no_suggestion(fake_graph, held, seo_user, fao_user):
    contact = held.cities.get().contacts.get()
    city_participant_add(
        session_id=held.pk, city=contact.city, name="Ban Khrua Silk", acting_user=fao_user
    )
    two_reports(fake_graph, held)
    session_attendance_import(session_id=held.pk, acting_user=seo_user)
    assert TeamsAttendance.objects.get(email="owner@gmail.example").match == "none"


def test_the_form_starts_from_the_proposal_without_ticking_everyone(fake_graph, held, seo_user):
    two_reports(fake_graph, held)
    session_attendance_import(session_id=held.pk, acting_user=seo_user)
    form = AttendanceForm(session=held, proposal=session_teams_attendance(held))
    (vendor,) = form.vendor_fields
    (city,) = form.city_fields
    (bma,) = form.bma_fields
    # By e-mail: proposed, ticked. By name only: a suggestion, left for staff to tick.
    assert (vendor.initial, city.initial, bma.initial) == (False, True, True)
    assert vendor.field.teams.is_suggestion
    assert [r.name for r in session_teams_attendance(held).unmatched] == ["Guest 0812"]


def test_an_empty_report_proposes_no_one(fake_graph, held, seo_user, client_for):
    fake_graph.attendance[join_url(held)] = [[]]
    client = client_for(seo_user)
    page = client.post(
        reverse("meetings:session-attendance-import", args=[held.pk]), follow=True
    ).content.decode()
    assert "Teams reported no one in this meeting. Enter the attendance by hand." in page
    assert TeamsAttendance.objects.count() == 0
    form = AttendanceForm(session=held, proposal=session_teams_attendance(held))
    assert not any(f.initial for f in form.vendor_fields + form.city_fields + form.bma_fields)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "Microsoft Graph refused the meeting&#x27;s attendance reports (403 General: No "
            "application access policy found for this app.). An administrator must grant the "
            "application permission OnlineMeetingArtifact.Read.All and a Teams application "
            "access policy for the organiser {organizer} (New-CsApplicationAccessPolicy, "
            "Grant-CsApplicationAccessPolicy). Attendance can still be entered by hand.",
        ),
        (
            "th",
            "Microsoft Graph ปฏิเสธรายงานการเข้าร่วมประชุม (403 General: No application access "
            "policy found for this app.) "
            "ผู้ดูแลระบบต้องให้สิทธิ์แอปพลิเคชัน OnlineMeetingArtifact.Read.All "
            "และนโยบายการเข้าถึงแอปพลิเคชันของ Teams สำหรับผู้จัดการประชุม {organizer} "
            "(New-CsApplicationAccessPolicy, Grant-CsApplicationAccessPolicy) "
            "ระหว่างนี้ยังบันทึกการเข้าร่วมด้วยตนเองได้",
        ),
    ],
)
def test_without_permission_the_page_names_what_to_grant_and_keeps_manual_entry(
    fake_graph, held, seo_user, client_for, language, expected
):
    # No Teams application access policy for the organiser: Graph answers 403.
    fake_graph.teams_access_policy = False
    two_reports(fake_graph, held)
    client = client_for(seo_user, language=language)
    response = client.post(
        reverse("meetings:session-attendance-import", args=[held.pk]), follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert expected.format(organizer=fake_graph.organizer) in page
    assert TeamsAttendance.objects.count() == 0
    assert 'id="held-form"' in page  # manual entry stays


def test_the_service_refuses_what_teams_cannot_answer(confirmed_session, seo_user):
    with pytest.raises(ValidationError) as error:
        session_attendance_import(session_id=confirmed_session.pk, acting_user=seo_user)
    assert error.value.messages == ["The session has not started yet."]
    session = in_past(confirmed_session)
    with pytest.raises(ValidationError) as error:
        session_attendance_import(session_id=session.pk, acting_user=seo_user)
    assert error.value.messages == [
        "This session has no Teams meeting to read the attendance from. Enter the attendance "
        "by hand."
    ]
    assert session.starts_at < timezone.now()


def test_the_proposal_is_read_in_one_query(fake_graph, held, seo_user, django_assert_num_queries):
    two_reports(fake_graph, held)
    session_attendance_import(session_id=held.pk, acting_user=seo_user)
    with django_assert_num_queries(1):
        proposal = session_teams_attendance(held)
        assert len(proposal.matched) == 3 and len(proposal.unmatched) == 1
