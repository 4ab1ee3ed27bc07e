"""A city participant's invitation carries the city's showcase link while FAO has it on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from buyers.services import showcase_link_enable, showcase_link_revoke
from meetings.models import ParticipantNotice
from meetings.services.notices import render_notice
from tests.factories import SessionFactory, SisterCityFactory
from tests.meetings.factories import CityParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice():
    start = timezone.now() + dt.timedelta(days=7)
    session = SessionFactory(starts_at=start, ends_at=start + dt.timedelta(hours=2))
    city = SisterCityFactory(country="KR", time_zone="Asia/Seoul")
    session.cities.add(city)
    participant = CityParticipantFactory(session=session, contact__city=city)
    return ParticipantNotice.objects.create(
        session=session,
        kind=ParticipantNotice.Kind.INVITATION,
        recipient_name="Kim",
        recipient_email=participant.display_email.upper(),
        language="en",
        time_zone="Asia/Seoul",
        session_starts_at=start,
    )


def test_the_invitation_carries_the_live_link_and_not_a_revoked_one(notice, fao_user):
    session = notice.session
    city = session.cities.get()
    _subject, text, html = render_notice(notice, session)
    assert "/showcase/" not in text
    link = showcase_link_enable(
        session=session,
        city=city,
        expires_on=timezone.localdate() + dt.timedelta(days=30),
        acting_user=fao_user,
    )
    _subject, text, html = render_notice(notice, session)
    assert "Bangkok Brand products of this session (no account needed): " in text
    assert f"/showcase/{link.token}/ko/" in text and f"/showcase/{link.token}/ko/" in html
    showcase_link_revoke(link=link, acting_user=fao_user)
    _subject, text, _html = render_notice(notice, session)
    assert link.token not in text


def test_the_thai_invitation_names_the_link_in_thai(notice, fao_user):
    notice.language = "th"
    notice.save()
    showcase_link_enable(
        session=notice.session,
        city=notice.session.cities.get(),
        expires_on=timezone.localdate() + dt.timedelta(days=30),
        acting_user=fao_user,
    )
    _subject, text, _html = render_notice(notice, notice.session)
    assert "สินค้าบางกอกแบรนด์ของการประชุมนี้ (ไม่ต้องมีบัญชี): " in text


def test_the_korean_invitation_names_the_link_in_korean(notice, fao_user):
    # Without the Korean entry gettext would fall back to LANGUAGE_CODE: Thai, in Seoul.
    notice.language = "ko"
    notice.save()
    showcase_link_enable(
        session=notice.session,
        city=notice.session.cities.get(),
        expires_on=timezone.localdate() + dt.timedelta(days=30),
        acting_user=fao_user,
    )
    _subject, text, _html = render_notice(notice, notice.session)
    assert "이번 회의의 방콕 브랜드 상품 (계정 없이 보기): " in text
