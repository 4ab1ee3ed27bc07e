"""#13 defect 6: every message in the reader's language, whoever stored it and when."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from meetings.models import TeamsMeetingRequest
from meetings.services import sessions as svc
from meetings.services.sessions import session_update_details

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "invited", "confirmed"),
    [
        ("en", "The cities are marked as invited.", "The cities&#x27; confirmation is recorded."),
        ("th", "บันทึกว่าเชิญเมืองแล้ว", "บันทึกการตอบรับของเมืองแล้ว"),
    ],
)
def test_invite_and_confirm_messages_follow_the_reader(
    planned_year, seoul, fao_user, client_for, language, invited, confirmed
):
    session = planned_year.sessions.get(number=1)
    session_update_details(
        session_id=session.pk, cities=[seoul], organizer_mailbox="", acting_user=fao_user
    )
    client = client_for(fao_user, language=language)
    invite = reverse("meetings:session-status", args=[session.pk, "invite"])
    assert invited in client.post(invite, follow=True).content.decode()
    confirm = reverse("meetings:session-status", args=[session.pk, "confirm"])
    assert confirmed in client.post(confirm, follow=True).content.decode()


def request_errors(client, session) -> str:
    return client.get(reverse("meetings:session-detail", args=[session.pk])).content.decode()


def test_a_graph_error_is_shown_in_the_readers_language(
    fake_graph, confirmed_session, fao_user, client_for, django_capture_on_commit_callbacks
):
    fake_graph.unlicensed_mailboxes.add(fake_graph.organizer)
    with translation.override("th"), django_capture_on_commit_callbacks(execute=True):
        svc.session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    assert TeamsMeetingRequest.objects.get().status == "failed"
    detail = (
        "404 MailboxNotEnabledForRESTAPI: The mailbox is either inactive, soft-deleted, or is "
        "hosted on-premise."
    )
    english = request_errors(client_for(fao_user), confirmed_session)
    assert (
        f"Microsoft Graph has no usable mailbox {fake_graph.organizer} ({detail}). Check "
        "GRAPH_ORGANIZER: it must be a licensed Exchange Online work mailbox."
    ) in english
    thai = request_errors(client_for(fao_user, language="th"), confirmed_session)
    assert (
        f"Microsoft Graph ไม่มีกล่องจดหมาย {fake_graph.organizer} ที่ใช้งานได้ ({detail}) "
        "โปรดตรวจสอบ GRAPH_ORGANIZER: ต้องเป็นกล่องจดหมายงานของ Exchange Online ที่มีสิทธิ์ใช้งาน"
    ) in thai


def test_a_message_the_worker_stored_in_thai_reads_in_english_on_an_english_page(
    confirmed_session, fao_user, client_for, django_capture_on_commit_callbacks
):
    from meetings.services.teams import teams_request_execute

    with django_capture_on_commit_callbacks(execute=False):
        svc.session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
        svc.session_cancel(session_id=confirmed_session.pk, reason="Off", acting_user=fao_user)
    TeamsMeetingRequest.objects.filter(action="create").update(status="pending")
    create = TeamsMeetingRequest.objects.get(action="create")
    with translation.override("th"):  # the worker's language
        teams_request_execute(request_id=create.pk)
    english = request_errors(client_for(fao_user), confirmed_session)
    assert "The Teams meeting was cancelled." in english
    assert "การประชุม Teams ถูกยกเลิกแล้ว" not in english
    thai = request_errors(client_for(fao_user, language="th"), confirmed_session)
    assert "การประชุม Teams ถูกยกเลิกแล้ว" in thai


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The session was cancelled before the e-mail went out."),
        ("th", "การประชุมถูกยกเลิกก่อนส่งอีเมล"),
    ],
)
def test_a_notice_the_worker_stopped_reads_in_the_readers_language(
    confirmed_session, fao_user, make_user, client_for, language, expected
):
    # The worker has no reader: it stores a code, the page renders it (#13 defect 6).
    from meetings.services.notices import notice_send, session_send_invitations
    from meetings.services.people import bma_participant_add

    somchai = make_user(email="somchai@bangkok.go.th", first_name="Somchai", last_name="Dee")
    bma_participant_add(session_id=confirmed_session.pk, user=somchai, acting_user=fao_user)
    (notice,) = session_send_invitations(session_id=confirmed_session.pk, acting_user=fao_user)
    # Queued, then the session is cancelled before a worker sends it.
    svc.session_cancel(session_id=confirmed_session.pk, reason="Typhoon", acting_user=fao_user)
    other = "th" if language == "en" else "en"
    with translation.override(other):
        notice_send(notice_id=notice.pk)
    notice.refresh_from_db()
    assert notice.status == "failed"
    assert notice.last_error == "The session was cancelled before the e-mail went out."
    page = client_for(fao_user, language=language).get(
        reverse("meetings:session-detail", args=[confirmed_session.pk])
    )
    assert expected in page.content.decode()
