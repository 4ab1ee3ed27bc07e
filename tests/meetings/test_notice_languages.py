"""A sister city's participants get their invitation and reminder in the language the city
declared for them: Korean, Japanese or Chinese as well as Thai and English (issue #17)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone, translation
from icalendar import Calendar

from meetings.forms import CityParticipantForm
from meetings.models import CityParticipant, ParticipantNotice, Session
from meetings.services import packs
from meetings.services.notices import render_notice, session_send_invitations
from meetings.services.people import city_participant_add
from meetings.services.sessions import session_schedule

pytestmark = pytest.mark.django_db

BKK = ZoneInfo("Asia/Bangkok")
SEOUL = ZoneInfo("Asia/Seoul")
THAI_LETTERS = re.compile("[\u0e00-\u0e7f]")
PEOPLE = {
    "ko": ("Kim Minji", "minji@seoul.example.kr"),
    "ja": ("Sato Yuki", "yuki@seoul.example.kr"),
    "zh-hans": ("Wang Fang", "fang@seoul.example.kr"),
}


def next_tuesday_morning() -> dt.datetime:
    """09:00 in Bangkok (11:00 in Seoul) on a Tuesday a month or more ahead: the weekday in
    the expected texts is then known."""
    day = timezone.localdate(timezone.now(), BKK) + dt.timedelta(days=30)
    day += dt.timedelta(days=(1 - day.weekday()) % 7)
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=BKK)


@pytest.fixture
def invited(confirmed_session, fao_user, django_capture_on_commit_callbacks) -> Session:
    """A scheduled session whose Seoul participants read Korean, Japanese and Chinese, with
    its connection test, each participant invited through the outbox."""
    start = next_tuesday_morning()
    Session.objects.filter(pk=confirmed_session.pk).update(
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        connection_test_starts_at=start - dt.timedelta(days=7),
        connection_test_ends_at=start - dt.timedelta(days=7, minutes=-30),
    )
    seoul = confirmed_session.cities.get()
    for language, (name, email) in PEOPLE.items():
        city_participant_add(
            session_id=confirmed_session.pk,
            city=seoul,
            name=name,
            email=email,
            language=language,
            acting_user=fao_user,
        )
    with django_capture_on_commit_callbacks(execute=True):
        session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    with django_capture_on_commit_callbacks(execute=True):
        session_send_invitations(session_id=confirmed_session.pk, acting_user=fao_user)
    return Session.objects.get(pk=confirmed_session.pk)


def mail_to(email: str):
    (message,) = [m for m in mail.outbox if m.to[0].endswith(f"<{email}>")]
    return message


def seoul_day(session: Session) -> tuple[int, int, int]:
    local = session.starts_at.astimezone(SEOUL)
    return local.year, local.month, local.day


def test_a_korean_participant_gets_the_invitation_in_korean(invited):
    y, m, d = seoul_day(invited)
    message = mail_to("minji@seoul.example.kr")
    assert message.subject == (
        f"초대: Bangkok Brand × Seoul, {y}년 {m}월 {d}일 (화요일) 11:00–13:00 (UTC+9)"
    )
    body = message.body
    assert body.startswith("Kim Minji 님께")
    assert (
        "방콕시는 Seoul 측과 함께하는 화상 회의(제1차 회의)에 귀하를 초대합니다. "
        "이 회의에서는 Bangkok Brand 업체들이 자사 제품을 소개합니다."
    ) in body
    assert f"일시 (현지 시간): {y}년 {m}월 {d}일 (화요일) 11:00–13:00 (UTC+9)" in body
    assert f"방콕 시간: {y}년 {m}월 {d}일 (화요일) 09:00–11:00 (UTC+7)" in body
    assert "연결 테스트 (현지 시간): " in body and "의제:" in body
    assert "방콕시 외무국" in body
    ((html, _mimetype),) = message.alternatives
    assert '<html lang="ko">' in html
    ((_name, ics, _type),) = message.attachments
    (event, _test) = sorted(
        Calendar.from_ical(ics).walk("VEVENT"), key=lambda e: "test" in str(e["summary"]).lower()
    )
    assert "회의 페이지: " in str(event["description"])
    # A msgid the Korean catalogue lacked would show in Thai (LANGUAGE_CODE), not English.
    for text in (message.subject, body, html, ics.decode() if isinstance(ics, bytes) else ics):
        assert not THAI_LETTERS.search(text)


@pytest.mark.parametrize(
    ("email", "subject"),
    [
        (
            "yuki@seoul.example.kr",
            "ご招待：Bangkok Brand × Seoul、{y}年{m}月{d}日 (火) 11:00–13:00 (UTC+9)",
        ),
        (
            "fang@seoul.example.kr",
            "邀请：Bangkok Brand × Seoul，{y}年{m}月{d}日 (星期二) 11:00–13:00 (UTC+9)",
        ),
    ],
)
def test_japanese_and_chinese_participants_get_theirs_in_their_language(invited, email, subject):
    y, m, d = seoul_day(invited)
    message = mail_to(email)
    assert message.subject == subject.format(y=y, m=m, d=d)
    assert not THAI_LETTERS.search(message.subject + message.body)


def test_the_reminder_reads_in_korean_too(invited):
    notice = ParticipantNotice.objects.get(recipient_email="minji@seoul.example.kr")
    notice.kind = ParticipantNotice.Kind.REMINDER
    subject, text, _html = render_notice(notice, invited)
    y, m, d = seoul_day(invited)
    assert subject == f"알림: Bangkok Brand × Seoul, {y}년 {m}월 {d}일 (화요일) 11:00–13:00 (UTC+9)"
    assert "방콕과 Seoul 간의 화상 회의(제1차 회의)가 24시간 안에 시작됨을 알려 드립니다." in text


def test_a_pack_participant_declared_in_japanese_is_invited_in_japanese(
    confirmed_session, seoul, fao_user
):
    pack = packs.pack_create(session=confirmed_session, city=seoul, acting_user=fao_user)
    packs.pack_participants_submit(
        pack=pack,
        rows=[
            packs.ParticipantInput("Sato Yuki", "Seoul Japan Desk", "yuki@seoul.example.kr", "ja"),
            packs.ParticipantInput("Wang Fang", "", "fang@seoul.example.kr", "zh-hans"),
        ],
    )
    entries = list(pack.entries.values_list("pk", flat=True))
    packs.pack_participants_review(pack=pack, accept=entries, reject=[], acting_user=fao_user)
    languages = dict(
        CityParticipant.objects.filter(session=confirmed_session).values_list("email", "language")
    )
    assert languages == {"yuki@seoul.example.kr": "ja", "fang@seoul.example.kr": "zh-hans"}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The portal sends no e-mails in “fr”: choose a language from the list."),
        ("th", "พอร์ทัลไม่ส่งอีเมลเป็นภาษา “fr” โปรดเลือกภาษาจากรายการ"),
    ],
)
def test_the_form_refuses_a_language_the_portal_does_not_write(
    confirmed_session, seoul, language, expected
):
    data = {"city": seoul.pk, "name": "Jean Dupont", "email": "jean@example.fr", "language": "fr"}
    with translation.override(language):
        form = CityParticipantForm(data, session=confirmed_session)
        assert not form.is_valid()
        assert form.errors["language"] == [expected]


def test_the_form_offers_every_public_language(confirmed_session, seoul):
    form = CityParticipantForm(
        {"city": seoul.pk, "name": "Wang Fang", "language": "zh-hans"}, session=confirmed_session
    )
    assert form.is_valid(), form.errors
    codes = [code for code, _name in form.fields["language"].choices]
    assert codes == ["th", "en", "ko", "ja", "zh-hans"]


def test_the_citys_form_refuses_an_unknown_language_in_the_citys_language():
    from meetings.pack_forms import ParticipantRowForm

    data = {"name": "Kim Minji", "email": "minji@seoul.example.kr", "language": "xx"}
    with translation.override("ko"):
        form = ParticipantRowForm(data)
        assert not form.is_valid()
        assert form.errors["language"] == [
            "포털은 “xx” 언어로 이메일을 보내지 않습니다. 목록에서 언어를 선택하세요."
        ]
