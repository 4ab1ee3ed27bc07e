"""The coordination pack of each city (issue #17): the page and PDF in English and the
city's language, the city's participants form, FAO's review, the sending."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import packs as pack_registry
from meetings.models import CityPack, CityParticipant, PackParticipant
from meetings.services import packs as services
from notifications.models import OutboxMessage, RecipientKind
from notifications.rendering import render_message

from ..factories import ProductFactory, ShortlistEntryFactory, SisterCityFactory, UserFactory
from .factories import AgendaItemFactory, BMAParticipantFactory

BKK = ZoneInfo("Asia/Bangkok")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pack(confirmed_session, seoul, fao_user) -> CityPack:
    session = confirmed_session
    session.starts_at = dt.datetime(2027, 1, 12, 9, 0, tzinfo=BKK)
    session.ends_at = dt.datetime(2027, 1, 12, 11, 0, tzinfo=BKK)
    session.connection_test_starts_at = dt.datetime(2027, 1, 5, 10, 0, tzinfo=BKK)
    session.connection_test_ends_at = dt.datetime(2027, 1, 5, 10, 30, tzinfo=BKK)
    session.save()
    AgendaItemFactory(session=session, position=1, title_th="แนะนำตัว", title_en="Introductions")
    BMAParticipantFactory(
        session=session,
        user=UserFactory(username="somchai", first_name="Somchai", last_name="Jaidee"),
        role_in_session="Chair",
    )
    entry = ShortlistEntryFactory(session=session)
    entry.products.add(ProductFactory(vendor=entry.vendor, name_en="Jasmine rice soap"))
    return services.pack_create(session=session, city=seoul, acting_user=fao_user)


def public(pack, name="pack-public", lang=""):
    url = reverse(f"meetings:{name}", kwargs={"token": pack.token})
    return url + (f"?lang={lang}" if lang else "")


def form_data(rows, **extra):
    data = {
        "p-TOTAL_FORMS": str(len(rows)),
        "p-INITIAL_FORMS": "0",
        "p-MIN_NUM_FORMS": "0",
        "p-MAX_NUM_FORMS": "30",
    }
    for i, (name, org, email, lang) in enumerate(rows):
        data |= {
            f"p-{i}-name": name,
            f"p-{i}-organisation": org,
            f"p-{i}-email": email,
            f"p-{i}-language": lang,
        }
    return data | extra


ROWS = [
    ("Kim Minji", "Seoul Metropolitan Government", "minji@seoul.example.kr", "ko"),
    ("Lee Joon", "Seoul Business Agency", "joon@sba.example.kr", "en"),
]


def test_the_pack_token_is_unguessable(pack):
    assert len(pack.token) >= 43
    assert re.fullmatch(r"[A-Za-z0-9_-]+", pack.token)


def test_the_page_shows_both_time_zones_agenda_delegation_vendors_and_teams(pack):
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(public(pack)).content.decode()
    english, korean = html.split('id="pack-en"')[1].split('id="pack-ko"')
    # 09:00 in Bangkok is 11:00 in Seoul.
    assert "Tue 12 Jan 2027, 11:00–13:00 (UTC+9)" in english
    assert "Tue 12 Jan 2027, 09:00–11:00 (UTC+7)" in english
    assert "Introductions" in english
    assert "Somchai Jaidee · Foreign Affairs Office · Chair" in english
    assert "Jasmine rice soap" in english
    assert "Tue 5 Jan 2027, 12:00–12:30 (UTC+9)" in english
    assert "How to join on Microsoft Teams as a guest" in english
    assert "Microsoft Teams 게스트로 참여하는 방법" in korean
    assert "방콕 시간" in korean
    assert "2027년 1월 12일 (화요일) 11:00–13:00 (UTC+9)" in korean
    assert "<strong>Test Shop" in english


def test_a_thai_reader_gets_the_buddhist_era_year(confirmed_session, fao_user):
    city = SisterCityFactory(country="TH", time_zone="Asia/Bangkok", name_en="Chiang Mai")
    confirmed_session.cities.add(city)
    confirmed_session.starts_at = dt.datetime(2027, 1, 12, 9, 0, tzinfo=BKK)
    confirmed_session.ends_at = dt.datetime(2027, 1, 12, 11, 0, tzinfo=BKK)
    confirmed_session.save()
    pack = services.pack_create(session=confirmed_session, city=city, acting_user=fao_user)
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(public(pack)).content.decode()
    thai = html.split('id="pack-th"')[1]
    assert "2570" in thai and "2027" not in thai


def test_a_registered_extra_is_a_link_in_each_language(pack):
    def showcase(session, city, language):
        return {"label": f"Showcase ({language})", "url": f"https://example.org/s/{language}"}

    pack_registry.register_pack_extra("test-showcase", showcase)
    pack_registry.register_pack_extra("test-nothing", lambda s, c, lang: None)
    try:
        html = Client(HTTP_ACCEPT_LANGUAGE="en").get(public(pack)).content.decode()
    finally:
        pack_registry.unregister_pack_extra("test-showcase")
        pack_registry.unregister_pack_extra("test-nothing")
    assert '<a href="https://example.org/s/en" data-extra="test-showcase">Showcase (en)</a>' in html
    assert '<a href="https://example.org/s/ko" data-extra="test-showcase">Showcase (ko)</a>' in html
    assert 'data-extra="test-nothing"' not in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "This link was withdrawn. Ask the Foreign Affairs Office of Bangkok for a new one."),
        ("th", "ลิงก์นี้ถูกเพิกถอนแล้ว กรุณาขอลิงก์ใหม่จากสำนักการต่างประเทศ กรุงเทพมหานคร"),
    ],
)
def test_a_withdrawn_link_says_so(pack, fao_user, language, expected):
    services.pack_revoke(pack=pack, acting_user=fao_user)
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(public(pack))
    assert response.status_code == 403
    assert expected in response.content.decode()


def test_an_expired_or_unknown_link_opens_nothing(pack):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(
        reverse("meetings:pack-public", kwargs={"token": "x" * 43})
    )
    assert response.status_code == 403
    assert "This link is not valid." in response.content.decode()
    CityPack.objects.filter(pk=pack.pk).update(expires_at=timezone.now() - dt.timedelta(hours=1))
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(public(pack, "pack-participants"))
    assert response.status_code == 403
    assert "This link has expired." in response.content.decode()


def test_enabling_a_withdrawn_link_gives_a_new_token(pack, fao_user):
    old = pack.token
    services.pack_revoke(pack=pack, acting_user=fao_user)
    pack = services.pack_enable(pack=pack, acting_user=fao_user)
    assert pack.token != old
    assert Client(HTTP_ACCEPT_LANGUAGE="en").get(public(pack)).status_code == 200
    assert (
        Client(HTTP_ACCEPT_LANGUAGE="en")
        .get(reverse("meetings:pack-public", kwargs={"token": old}))
        .status_code
        == 403
    )


def _get_form(client, pack, lang="ko"):
    html = client.get(public(pack, "pack-participants", lang)).content.decode()
    return re.search(r'name="form_once" value="([^"]+)"', html).group(1)


def test_the_citys_list_waits_for_review_and_a_repeat_changes_nothing(pack):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    once = _get_form(client, pack)
    url = public(pack, "pack-participants", "ko")
    response = client.post(url, form_data(ROWS, form_once=once), follow=True)
    assert "감사합니다. 방콕 외무국이 초대하기 전에 명단을 검토합니다." in response.content.decode()
    assert list(pack.entries.values_list("email", "status")) == [
        ("minji@seoul.example.kr", "pending"),
        ("joon@sba.example.kr", "pending"),
    ]
    assert not CityParticipant.objects.filter(session=pack.session, contact__isnull=True).exists()
    # The same form sent twice (a double click) is caught by its one-time token.
    again = client.post(url, form_data(ROWS, form_once=once), follow=True)
    assert "nothing was changed the second time" in again.content.decode()
    # The same list on a fresh form changes nothing either.
    once = _get_form(client, pack)
    before = list(pack.entries.values_list("pk", flat=True))
    response = client.post(url, form_data(ROWS, form_once=once), follow=True)
    assert "명단이 바뀌지 않았습니다." in response.content.decode()
    assert list(pack.entries.values_list("pk", flat=True)) == before


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Each participant needs their own e-mail address."),
        ("ko", "참가자마다 각자의 이메일 주소가 필요합니다."),
        ("th", "ผู้เข้าร่วมแต่ละคนต้องมีที่อยู่อีเมลของตนเอง"),
    ],
)
def test_the_same_address_twice_is_refused_in_the_readers_language(pack, language, expected):
    city = pack.city
    if language == "th":
        city.country = "TH"
        city.save()
    rows = [ROWS[0], ("Someone", "", ROWS[0][2].upper(), "en")]
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        public(pack, "pack-participants", language), form_data(rows)
    )
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not pack.entries.exists()


def test_hostile_input_gets_messages_not_errors(pack):
    url = public(pack, "pack-participants", "en")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    too_many = [(f"P{i}", "", f"p{i}@example.org", "en") for i in range(31)]
    response = client.post(url, form_data(too_many))
    assert response.status_code == 200
    assert "Please submit at most 30 forms." in response.content.decode()
    data = form_data([("x" * 5000, "<script>", "not-an-address", "xx")])
    data["p-TOTAL_FORMS"] = "999999999"
    assert client.post(url, data).status_code == 200
    data = form_data([("x" * 5000, "<script>", "not-an-address", "xx")])
    html = client.post(url, data).content.decode()
    assert "Enter a valid email address." in html
    assert "Ensure this value has at most 200 characters (it has 5000)." in html
    # A NUL byte is refused before any view (400), never a 500.
    assert client.post(url, form_data([("a\x00b", "", "a@b.org", "en")])).status_code == 400
    assert client.post(url, {"p-TOTAL_FORMS": "abc"}).status_code == 200
    assert not pack.entries.exists()


def test_a_robot_filling_the_hidden_field_stores_nothing(pack):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        public(pack, "pack-participants", "en"), form_data(ROWS, website="http://spam.example")
    )
    assert response.status_code == 200
    assert not pack.entries.exists()


def test_the_form_is_rate_limited_per_link(pack, settings):
    url = public(pack, "pack-participants", "en")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(20):
        assert client.post(url, {"p-TOTAL_FORMS": "0"}).status_code == 200
    response = client.post(url, {"p-TOTAL_FORMS": "0"})
    assert response.status_code == 429
    assert "Too many requests with this link. Please try again in an hour." in (
        response.content.decode()
    )


def _submit(pack, rows=ROWS):
    services.pack_participants_submit(
        pack=pack, rows=[services.ParticipantInput(*row) for row in rows]
    )
    return list(pack.entries.order_by("position"))


def test_fao_accepts_selected_and_rejects_the_rest(pack, fao_user, client_for):
    kim, lee = _submit(pack)
    existing = CityParticipant.objects.create(
        session=pack.session, city=pack.city, name="Old name", email="minji@seoul.example.kr"
    )
    client = client_for(fao_user)
    url = reverse("meetings:pack-review", args=[pack.pk])
    response = client.post(url, {"action": "accept", "entries": [kim.pk]}, follow=True)
    assert "Accepted: 1. Rejected: 0." in response.content.decode()
    existing.refresh_from_db()
    assert (existing.name, existing.organisation) == ("Kim Minji", "Seoul Metropolitan Government")
    # Declared in Korean on the city's form: the invitation comes in Korean.
    assert existing.language == "ko"
    response = client.post(url, {"action": "reject", "entries": [lee.pk]}, follow=True)
    assert "Accepted: 0. Rejected: 1." in response.content.decode()
    # A rejected row is not kept: its details have no purpose any more.
    assert dict(pack.entries.values_list("email", "status")) == {
        "minji@seoul.example.kr": "accepted",
    }
    assert not CityParticipant.objects.filter(email="joon@sba.example.kr").exists()
    pack.refresh_from_db()
    assert pack.reviewed_by == fao_user


def test_accept_all_and_messages_in_thai(pack, fao_user, client_for):
    _submit(pack)
    client = client_for(fao_user, "th")
    url = reverse("meetings:pack-review", args=[pack.pk])
    response = client.post(url, {"action": "accept_all"}, follow=True)
    assert "ยอมรับ: 2 ปฏิเสธ: 0" in response.content.decode()
    assert CityParticipant.objects.filter(session=pack.session, contact__isnull=True).count() == 2
    response = client.post(url, {"action": "accept_all"}, follow=True)
    assert "เลือกผู้เข้าร่วมที่รอการตรวจสอบอย่างน้อยหนึ่งคน" in response.content.decode()


def test_a_resubmitted_list_keeps_the_reviewed_rows(pack, fao_user):
    kim, _lee = _submit(pack)
    services.pack_participants_review(pack=pack, accept=[kim.pk], reject=[], acting_user=fao_user)
    entries = _submit(pack, [ROWS[1], ("Park Jisoo", "", "jisoo@seoul.example.kr", "ko")])
    assert [(e.email, e.status) for e in entries] == [
        ("minji@seoul.example.kr", "accepted"),
        ("joon@sba.example.kr", "pending"),
        ("jisoo@seoul.example.kr", "pending"),
    ]


def test_sending_puts_one_email_to_the_citys_contacts_in_the_outbox(pack, fao_user, client_for):
    client = client_for(fao_user)
    url = reverse("meetings:pack-send", args=[pack.pk])
    response = client.post(url, follow=True)
    assert "The pack is in the outbox, on its way to the city&#x27;s contacts." in (
        response.content.decode()
    )
    message = OutboxMessage.objects.get(template="meetings.city_pack")
    assert message.recipient_kind == RecipientKind.GROUP
    assert message.address == "kim@seoul.example.kr"
    assert message.language == "ko"
    assert message.context == {
        "pack_id": pack.pk,
        "session_id": pack.session_id,
        "city_id": pack.city_id,
    }
    rendered = render_message(message)
    assert rendered.subject == "방콕 브랜드 화상 회의: 조정 안내 자료"
    assert services.pack_url(pack) in rendered.text
    assert "일시: 2027년 1월 12일 (화요일) 11:00–13:00 (UTC+9) (현지 시간)" in rendered.text
    client.post(url)
    assert OutboxMessage.objects.filter(template="meetings.city_pack").count() == 2


def test_a_city_without_an_address_cannot_be_sent_the_pack(pack, fao_user, client_for):
    pack.city.contacts.update(email="")
    response = client_for(fao_user).post(reverse("meetings:pack-send", args=[pack.pk]), follow=True)
    assert "The city has no contact with an e-mail address: add one first." in (
        response.content.decode()
    )
    assert not OutboxMessage.objects.exists()


def test_fao_lists_makes_and_withdraws_packs(confirmed_session, shanghai, fao_user, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    confirmed_session.cities.add(shanghai)
    client = client_for(fao_user)
    url = reverse("meetings:session-packs", args=[confirmed_session.pk])
    cities = list(confirmed_session.cities.order_by("name_en"))
    client.post(url, {"city": cities[0].pk})
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    client.post(url, {"city": cities[1].pk})
    assert CityPack.objects.filter(session=confirmed_session).count() == 2
    with CaptureQueriesContext(connection) as two:
        response = client.get(url)
    assert response.status_code == 200
    # One more pack, no more queries (16 on this page, most of them the menu's).
    assert len(two) == len(one) <= 16
    pack = CityPack.objects.get(city=shanghai)
    client.post(reverse("meetings:pack-revoke", args=[pack.pk]))
    pack.refresh_from_db()
    assert pack.revoked_at is not None


def test_a_city_outside_the_session_gets_no_pack(confirmed_session, fao_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.pack_create(
            session=confirmed_session, city=SisterCityFactory(), acting_user=fao_user
        )
    assert refused.value.messages == ["This city does not take part in the session."]


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils missing")
def test_the_pdf_embeds_the_korean_font(pack, tmp_path):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(public(pack, "pack-public-pdf"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    path = tmp_path / "pack.pdf"
    path.write_bytes(response.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "Noto-Sans-CJK-KR" in fonts
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "방콕 시간" in text
    assert "Bangkok time" in text


def test_pending_entries_are_not_participants(pack):
    _submit(pack)
    assert PackParticipant.objects.filter(pack=pack, participant__isnull=True).count() == 2


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils missing")
def test_the_pdf_of_a_thai_reader_uses_sarabun_and_fetches_nothing_else(
    confirmed_session, fao_user, client_for, tmp_path
):
    city = SisterCityFactory(country="TH", time_zone="Asia/Bangkok", name_en="Chiang Mai")
    confirmed_session.cities.add(city)
    pack = services.pack_create(session=confirmed_session, city=city, acting_user=fao_user)
    response = client_for(fao_user, "th").get(reverse("meetings:pack-pdf", args=[pack.pk]))
    assert response.status_code == 200
    path = tmp_path / "pack.pdf"
    path.write_bytes(response.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "Sarabun" in fonts
    assert "DejaVu" not in fonts
