"""Issue #16 items 1 and 10: staff are told through the outbox when something becomes
their turn (each time, in a daily digest, or not at all, as each chooses)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from core.roles import Role
from notifications.models import OutboxMessage, RecipientKind, StaffPreference
from notifications.rendering import SkipMessage, render_message
from notifications.staff import DIGEST, staff_digests_send
from outcomes.services import submission_return, submission_submit
from reports.models import ReportGeneration
from reports.services import report_generation_deliver
from tests.factories import ReportingPeriodFactory, SessionFactory, SubmissionFactory, VendorFactory

pytestmark = pytest.mark.django_db


def _prefer(user, delivery: str, language: str = "th") -> None:
    StaffPreference.objects.update_or_create(
        user=user, defaults={"delivery": delivery, "language": language}
    )


def _messages(template: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template=template).order_by("recipient_id"))


@pytest.fixture
def submission(db):
    vendor = VendorFactory(business_name_th="น้ำพริกแม่สำราญ", business_name_en="Mae Samran")
    # Not locked whatever the day the test runs: SDO may still submit.
    period = ReportingPeriodFactory(
        fiscal_year=2569, half=1, due_on=dt.date(2099, 1, 1), locked_on=dt.date(2099, 2, 1)
    )
    return SubmissionFactory(vendor=vendor, period=period, status="draft")


WHEN = dt.datetime(2026, 4, 20, 3, 0, tzinfo=dt.UTC)  # 10:00 in Bangkok


def test_fao_hears_of_a_submission_in_its_language(
    submission, fao_user, sdo_user, make_user, monkeypatch
):
    english_fao = make_user(Role.FAO, username="fao.en", first_name="Jane", last_name="Doe")
    _prefer(english_fao, "immediate", "en")
    sdo_user.first_name, sdo_user.last_name = "Somchai", "Jaidee"
    sdo_user.save()
    monkeypatch.setattr("django.utils.timezone.now", lambda: WHEN)
    submission_submit(submission=submission, acting_user=sdo_user)

    thai, english = _messages("outcomes.staff_submitted")
    assert (thai.recipient_kind, thai.recipient_id, thai.address, thai.language) == (
        RecipientKind.USER,
        fao_user.pk,
        fao_user.email,
        "th",
    )
    assert (english.recipient_id, english.language) == (english_fao.pk, "en")
    assert thai.context == {"submission_id": submission.pk}  # ids, never finished text
    url = f"{settings.PORTAL_SITE_URL}/outcomes/{submission.pk}/"
    rendered = render_message(thai)
    assert rendered.subject == (
        "BB Portal: แบบรายงานผลของ น้ำพริกแม่สำราญ ปีงบประมาณ 2569 ครึ่งปีแรก (ต.ค.–มี.ค.) รอคุณตรวจ"
    )
    assert rendered.text.splitlines()[1:] == [
        "Somchai Jaidee ส่งเมื่อ 20 เมษายน 2569",
        "ตรวจได้ที่:",
        url,
    ]
    rendered = render_message(english)
    assert rendered.subject == (
        "BB Portal: Mae Samran's outcome form for FY 2569, first half (Oct–Mar) waits for "
        "your review"
    )
    assert rendered.text.splitlines()[1:] == [
        "Somchai Jaidee submitted it on 20 April 2026.",
        "Review it:",
        url,
    ]


def test_sdo_hears_of_a_return_but_not_the_one_who_returned_it(
    submission, fao_user, sdo_user, make_user
):
    other_sdo = make_user(Role.SDO, username="sdo.en")
    _prefer(other_sdo, "immediate", "en")
    submission_submit(submission=submission, acting_user=sdo_user)
    assert [m.recipient_id for m in _messages("outcomes.staff_submitted")] == [fao_user.pk]
    fao_user.first_name, fao_user.last_name = "Malee", "Srisuk"
    fao_user.save()
    submission_return(submission=submission, reason="ยอดสั่งซื้อไม่ตรง", acting_user=fao_user)

    thai, english = _messages("outcomes.staff_returned")
    assert (thai.recipient_id, english.recipient_id) == (sdo_user.pk, other_sdo.pk)
    assert render_message(english).text.splitlines()[1:] == [
        "Malee Srisuk returned it: ยอดสั่งซื้อไม่ตรง",
        "Fix it:",
        f"{settings.PORTAL_SITE_URL}/outcomes/{submission.pk}/",
    ]
    assert render_message(thai).text.splitlines()[1:3] == [
        "Malee Srisuk ส่งกลับ เหตุผล: ยอดสั่งซื้อไม่ตรง",
        "แก้ไขได้ที่:",
    ]
    assert render_message(thai).subject.endswith("ถูกส่งกลับให้แก้ไข")
    # Fixed and sent again before the message went out: it is not their turn any more.
    submission_submit(submission=submission, acting_user=sdo_user)
    with pytest.raises(SkipMessage):
        render_message(thai)
    # The second submission is a new turn for FAO: a second message.
    assert len(_messages("outcomes.staff_submitted")) == 2


def test_the_same_event_twice_sends_nothing_more(submission, fao_user, sdo_user):
    from outcomes.staff_messages import submission_submitted_notify

    submission_submit(submission=submission, acting_user=sdo_user)
    submission.refresh_from_db()
    submission_submitted_notify(submission=submission, acting_user=sdo_user)
    assert len(_messages("outcomes.staff_submitted")) == 1


def test_digest_and_off_users_get_no_message_each_time(submission, fao_user, sdo_user, make_user):
    _prefer(fao_user, "daily")
    _prefer(make_user(Role.FAO, username="fao.off"), "off")
    make_user(Role.FAO, username="fao.no.mail", email="")
    submission_submit(submission=submission, acting_user=sdo_user)
    assert _messages("outcomes.staff_submitted") == []


@pytest.fixture
def delivered(fao_user, executive_user, make_user):
    english = make_user(Role.EXECUTIVE, username="exec.en")
    _prefer(english, "immediate", "en")
    fao_user.first_name, fao_user.last_name = "Malee", "Srisuk"
    fao_user.save()
    session = SessionFactory(number=2, status="held", starts_at=WHEN)
    generation = ReportGeneration.objects.create(
        kind="session",
        programme_year=session.year,
        session=session,
        version=1,
        language="th",
        status="done",
        sha256="0" * 64,
    )
    report_generation_deliver(generation=generation, acting_user=fao_user)
    return generation


def test_executives_are_told_when_a_report_is_delivered(delivered, executive_user):
    thai, english = _messages("reports.delivered")
    assert thai.recipient_id == executive_user.pk
    delivered.refresh_from_db()
    day_th = f"{delivered.delivered_at.astimezone(dt.timezone(dt.timedelta(hours=7))).day}"
    url = f"{settings.PORTAL_SITE_URL}/reports/sessions/{delivered.session_id}/"
    rendered = render_message(thai)
    assert rendered.subject == ("BB Portal: รายงานผลการประชุมครั้งที่ 2 ปีงบประมาณ 2569 ส่งถึงคุณแล้ว")
    lines = rendered.text.splitlines()
    assert lines[1].startswith(f"Malee Srisuk สำนักงานการต่างประเทศ ส่งเมื่อ {day_th} ")
    assert lines[2:] == ["อ่านและดาวน์โหลด PDF ได้ที่:", url]
    rendered = render_message(english)
    assert rendered.subject == "BB Portal: the report of Session 2, FY 2569 is delivered to you"
    assert rendered.text.splitlines()[1].startswith(
        f"Malee Srisuk of the Foreign Affairs Office delivered it on {day_th} "
    )
    assert rendered.text.splitlines()[2:] == ["Read it and download the PDF:", url]


def test_delivering_again_tells_nobody_again(delivered, fao_user):
    report_generation_deliver(generation=delivered, acting_user=fao_user)
    assert len(_messages("reports.delivered")) == 2  # the two executives, once each


# --- the daily digest --------------------------------------------------------------------


def test_the_digest_goes_once_a_day_to_those_who_chose_it(fao_user, sdo_user, make_user):
    _prefer(fao_user, "daily", "en")
    _prefer(sdo_user, "daily", "th")
    _prefer(make_user(Role.SEO, username="seo.daily"), "daily")  # nothing waits for SEO
    make_user(Role.FAO, username="fao.immediate")  # gets its messages one by one
    SubmissionFactory.create_batch(2, status="submitted")
    SubmissionFactory(status="returned", return_reason="x")
    day = dt.date(2026, 4, 21)

    assert staff_digests_send(today=day) == 2
    assert staff_digests_send(today=day) == 0  # the beat ran twice: nothing more
    english, thai = _messages(DIGEST)
    assert (english.recipient_id, thai.recipient_id) == (fao_user.pk, sdo_user.pk)
    assert english.context == {"day": "2026-04-21", "counts": {"outcomes.to_review": 2}}
    site = settings.PORTAL_SITE_URL
    rendered = render_message(english)
    assert rendered.subject == "BB Portal: 2 items wait for you (21 April 2026)"
    assert rendered.text.splitlines()[1:] == [
        "",
        "- Outcome submissions to review: 2",
        f"  {site}/outcomes/?status=submitted",
        "",
        "Your to-do list:",
        f"{site}/",
    ]
    rendered = render_message(thai)
    assert rendered.subject == "BB Portal: มี 1 รายการรอคุณ (21 เมษายน 2569)"
    assert rendered.text.splitlines()[2:4] == [
        "- แบบรายงานผลที่ถูกส่งกลับให้แก้ไข: 1",
        f"  {site}/outcomes/?status=returned",
    ]
    assert staff_digests_send(today=day + dt.timedelta(days=1)) == 2


def test_the_digest_runs_every_morning():
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-staff-digests"]
    assert entry["task"] == "notifications.tasks.send_staff_digests"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({7}, {30})


# --- the preferences page ----------------------------------------------------------------


def test_a_user_chooses_the_digest_on_the_preferences_page(executive_user, client_for):
    client = client_for(executive_user, language="th")
    url = reverse("notifications:preferences")
    text = client.get(url).content.decode()
    assert "ตั้งค่าการแจ้งเตือน" in text
    assert "อีเมลทุกครั้งที่มีงานถึงคิวของฉัน" in text
    response = client.post(url, {"delivery": "daily", "language": "en"})
    assert response.status_code == 302
    assert "บันทึกการตั้งค่าการแจ้งเตือนแล้ว" in client.get(url).content.decode()
    preference = StaffPreference.objects.get(user=executive_user)
    assert (preference.delivery, preference.language) == ("daily", "en")


def test_the_preferences_page_in_english_refuses_a_made_up_choice(fao_user, client_for):
    client = client_for(fao_user)
    url = reverse("notifications:preferences")
    assert "An e-mail each time something becomes my turn" in client.get(url).content.decode()
    response = client.post(url, {"delivery": "hourly", "language": "fr"})
    assert response.status_code == 200
    assert "Select a valid choice. hourly is not one of the available choices." in (
        response.content.decode()
    )
    assert not StaffPreference.objects.filter(user=fao_user).exists()
