"""A status change asks first, stating what it does, and can be undone where the state
machine goes back (issue 16, item 3). The confirmation is a page: it works without
JavaScript."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import Session
from meetings.progress import status_undo_target
from meetings.services import sessions as svc

from .support import in_past

pytestmark = pytest.mark.django_db

INVITE_EN = (
    "The status becomes “City invited” and step 4 of the work plan is ticked off. "
    "You can undo this until the cities confirm."
)
INVITE_TH = (
    "สถานะจะเปลี่ยนเป็น “เชิญเมืองแล้ว” และขั้นตอนที่ 4 ของแผนงานจะถูกบันทึกว่าเสร็จ ย้อนกลับได้จนกว่าเมืองจะตอบรับ"
)
REPORT_EN = (
    "This cannot be undone: the session is closed for good and step 8 of the work plan "
    "is ticked off."
)
REPORT_TH = "ย้อนกลับไม่ได้ สถานะจะปิดถาวรและขั้นตอนที่ 8 ของแผนงานจะถูกบันทึกว่าเสร็จ"
SCHEDULE_EN = (
    "Teams sends the invitation to every participant at once. "
    "Cancelling later sends each of them a cancellation."
)
SCHEDULE_TH = "Teams จะส่งคำเชิญถึงผู้เข้าร่วมทุกคนทันที หากยกเลิกภายหลัง ทุกคนจะได้รับแจ้งการยกเลิก"


@pytest.fixture
def session_with_city(planned_year, seoul, fao_user) -> Session:
    session = planned_year.sessions.get(number=1)
    svc.session_update_details(
        session_id=session.pk, cities=[seoul], organizer_mailbox="", acting_user=fao_user
    )
    return session


@pytest.fixture
def held_session(confirmed_session, fao_user) -> Session:
    svc.connection_test_waive(
        session_id=confirmed_session.pk, reason="Tested last time", acting_user=fao_user
    )
    in_past(confirmed_session)
    svc.session_mark_held(
        session_id=confirmed_session.pk,
        vendor_attendance={},
        city_attendance={},
        bma_attendance={},
        acting_user=fao_user,
    )
    return Session.objects.get(pk=confirmed_session.pk)


@pytest.mark.parametrize(
    ("language", "title", "consequence", "button"),
    [
        ("en", "Mark the cities as invited?", INVITE_EN, "Yes, the cities are invited"),
        ("th", "บันทึกว่าเชิญเมืองแล้วหรือไม่", INVITE_TH, "ยืนยัน เชิญเมืองแล้ว"),
    ],
)
def test_the_invite_button_opens_a_confirmation_that_changes_nothing(
    session_with_city, fao_user, client_for, language, title, consequence, button
):
    client = client_for(fao_user, language)
    detail = client.get(reverse("meetings:session-detail", args=[session_with_city.pk]))
    url = reverse("meetings:session-status", args=[session_with_city.pk, "invite"])
    html = detail.content.decode()
    # A link to the confirmation, not a form that acts at once.
    assert f'href="{url}" id="mark-invited"' in html
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert title in text and consequence in text and button in text
    assert Session.objects.get(pk=session_with_city.pk).status == "planned"

    response = client.post(url)
    assert response.status_code == 302
    assert Session.objects.get(pk=session_with_city.pk).status == "city_invited"


@pytest.mark.parametrize(("language", "consequence"), [("en", REPORT_EN), ("th", REPORT_TH)])
def test_reporting_says_it_cannot_be_undone(
    held_session, fao_user, client_for, language, consequence
):
    url = reverse("meetings:session-status", args=[held_session.pk, "report"])
    page = client_for(fao_user, language).get(url)
    assert consequence in page.content.decode()


@pytest.mark.parametrize(("language", "consequence"), [("en", SCHEDULE_EN), ("th", SCHEDULE_TH)])
def test_asking_teams_is_confirmed_first(
    confirmed_session, fao_user, client_for, language, consequence
):
    url = reverse("meetings:session-schedule", args=[confirmed_session.pk])
    page = client_for(fao_user, language).get(url)
    assert page.status_code == 200
    assert consequence in page.content.decode()
    assert not confirmed_session.teams_meetings.exists()


def test_undo_an_invitation_goes_back_to_planned_and_reopens_step_4(
    session_with_city, fao_user, client_for
):
    svc.session_mark_city_invited(session_id=session_with_city.pk, acting_user=fao_user)
    session = Session.objects.get(pk=session_with_city.pk)
    assert status_undo_target(session) == "planned"
    assert session.steps.get(number=4).done_at is not None

    client = client_for(fao_user, "en")
    detail = client.get(reverse("meetings:session-detail", args=[session.pk])).content.decode()
    assert "Undo: back to “Planned”" in detail
    response = client.post(reverse("meetings:session-undo", args=[session.pk]), follow=True)
    assert "The change is undone: the status is “Planned” again." in response.content.decode()
    session = Session.objects.get(pk=session.pk)
    assert session.status == "planned"
    assert session.steps.get(number=4).done_at is None
    latest = session.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        fao_user,
        "status undone: city_invited → planned",
    )


def test_undo_in_thai(session_with_city, fao_user, client_for):
    svc.session_mark_city_invited(session_id=session_with_city.pk, acting_user=fao_user)
    client = client_for(fao_user, "th")
    detail = client.get(
        reverse("meetings:session-detail", args=[session_with_city.pk])
    ).content.decode()
    assert "ย้อนกลับเป็น “วางแผนแล้ว”" in detail
    response = client.post(
        reverse("meetings:session-undo", args=[session_with_city.pk]), follow=True
    )
    assert "ย้อนกลับแล้ว สถานะกลับเป็น “วางแผนแล้ว”" in response.content.decode()


def test_a_confirmation_cannot_be_undone_once_the_test_is_asked_for(
    confirmed_session, fao_user, client_for
):
    assert status_undo_target(confirmed_session) == "city_invited"
    svc.connection_test_waive(session_id=confirmed_session.pk, reason="x", acting_user=fao_user)
    session = Session.objects.get(pk=confirmed_session.pk)
    assert status_undo_target(session) is None
    with pytest.raises(ValidationError) as excinfo:
        svc.session_status_undo(session_id=session.pk, acting_user=fao_user)
    assert excinfo.value.messages == ["This change can no longer be undone."]
    detail = client_for(fao_user, "en").get(reverse("meetings:session-detail", args=[session.pk]))
    assert "Undo: back to" not in detail.content.decode()


def test_held_and_reported_are_not_undone(held_session, fao_user):
    assert status_undo_target(held_session) is None
    svc.session_mark_reported(session_id=held_session.pk, acting_user=fao_user)
    assert status_undo_target(Session.objects.get(pk=held_session.pk)) is None


@pytest.mark.parametrize(
    ("language", "consequence"),
    [
        (
            "en",
            "This cannot be undone: a cancelled session is not reopened. To meet the cities "
            "again, add a replacement session on the year page.",
        ),
        (
            "th",
            "ย้อนกลับไม่ได้ การประชุมที่ยกเลิกแล้วจะไม่เปิดใหม่ "
            "หากจะพบเมืองอีกครั้ง ให้เพิ่มการประชุมทดแทนในหน้าแผนประจำปี",
        ),
    ],
)
def test_the_cancel_page_says_it_cannot_be_undone(
    session_with_city, fao_user, client_for, language, consequence
):
    url = reverse("meetings:session-cancel", args=[session_with_city.pk])
    assert consequence in client_for(fao_user, language).get(url).content.decode()
