"""Issue #16 item 5: inquiry letters in the portal. FAO records a letter sent and the
city's reply; the reply drives "city confirmed"; the candidate and letter pages say what
really happened (sent, replied, city invited, session held)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cities.letters import LetterState
from cities.models import InquiryLetter
from core.once import FIELD
from meetings.models import Session
from meetings.services import letters as svc
from meetings.services.sessions import session_mark_city_invited, session_update_details
from tests.html_forms import forms_of

from ..factories import AgreementFactory, InquiryLetterFactory

pytestmark = pytest.mark.django_db
Status = Session.Status
TODAY = timezone.localdate


@pytest.fixture
def session(planned_year, seoul, fao_user) -> Session:
    session = planned_year.sessions.get(number=1)
    session_update_details(
        session_id=session.pk, cities=[seoul], organizer_mailbox="", acting_user=fao_user
    )
    return Session.objects.get(pk=session.pk)


def _send(session, city, fao_user, **kw) -> InquiryLetter:
    return svc.inquiry_letter_record_sent(
        session_id=session.pk,
        city_id=city.pk,
        sent_on=kw.pop("sent_on", TODAY()),
        signed_by="Director, FAO",
        acting_user=fao_user,
        **kw,
    )


def refuse(call, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        call()
    assert error.value.messages == [message]


def test_a_letter_sent_invites_the_city_and_an_acceptance_confirms_it(session, seoul, fao_user):
    letter = _send(session, seoul, fao_user, reference="กท 1402/7")
    session.refresh_from_db()
    assert session.status == Status.CITY_INVITED
    assert session.steps.get(number=4).done_by == fao_user
    assert letter.fiscal_year == session.year.fiscal_year and letter.reference == "กท 1402/7"
    svc.inquiry_letter_record_reply(
        letter_id=letter.pk, reply="accepted", replied_on=TODAY(), acting_user=fao_user
    )
    session.refresh_from_db()
    assert session.status == Status.CITY_CONFIRMED
    assert letter.history.first().history_user == fao_user


def test_a_session_of_two_cities_is_confirmed_when_both_accepted(
    session, seoul, shanghai, fao_user
):
    session_update_details(
        session_id=session.pk, cities=[seoul, shanghai], organizer_mailbox="", acting_user=fao_user
    )
    first, second = _send(session, seoul, fao_user), _send(session, shanghai, fao_user)
    svc.inquiry_letter_record_reply(
        letter_id=first.pk, reply="accepted", replied_on=TODAY(), acting_user=fao_user
    )
    assert Session.objects.get(pk=session.pk).status == Status.CITY_INVITED
    svc.inquiry_letter_record_reply(
        letter_id=second.pk, reply="declined", replied_on=TODAY(), acting_user=fao_user
    )
    assert Session.objects.get(pk=session.pk).status == Status.CITY_INVITED
    svc.inquiry_letter_record_reply(
        letter_id=second.pk, reply="accepted", replied_on=TODAY(), acting_user=fao_user
    )
    assert Session.objects.get(pk=session.pk).status == Status.CITY_CONFIRMED


def test_the_refusals(session, seoul, shanghai, fao_user):
    refuse(
        lambda: _send(session, shanghai, fao_user),
        "Choose one of the session's sister cities for this letter.",
    )
    refuse(
        lambda: _send(session, seoul, fao_user, sent_on=TODAY() + dt.timedelta(days=1)),
        "The date sent cannot be in the future.",
    )
    letter = _send(session, seoul, fao_user)
    refuse(
        lambda: _send(session, seoul, fao_user),
        "A letter to this city for this session is already awaiting a reply.",
    )
    refuse(
        lambda: svc.inquiry_letter_record_reply(
            letter_id=letter.pk,
            reply="accepted",
            replied_on=letter.sent_on - dt.timedelta(days=1),
            acting_user=fao_user,
        ),
        "The reply cannot come before the letter was sent.",
    )
    refuse(
        lambda: svc.inquiry_letter_record_reply(
            letter_id=letter.pk, reply="pending", replied_on=TODAY(), acting_user=fao_user
        ),
        "Choose whether the city accepted or declined.",
    )
    Session.objects.filter(pk=session.pk).update(status=Status.HELD)
    refuse(
        lambda: svc.inquiry_letter_record_reply(
            letter_id=letter.pk, reply="accepted", replied_on=TODAY(), acting_user=fao_user
        ),
        "This session is Held; its letters can no longer change.",
    )


def test_a_letter_made_in_documents_takes_its_reply_there(session, seoul, fao_user):
    from documents.models import Document, Kind

    letter = _send(session, seoul, fao_user)
    Document.objects.create(
        kind=Kind.INQUIRY_LETTER,
        year=session.year,
        session=session,
        city=seoul,
        subject_key=f"test:{letter.pk}",
        number=1,
        prefix_th="กท ",
        prefix_en="BMA ",
        dated=TODAY(),
        inquiry_letter=letter,
    )
    refuse(
        lambda: svc.inquiry_letter_record_reply(
            letter_id=letter.pk, reply="accepted", replied_on=TODAY(), acting_user=fao_user
        ),
        "This letter was made in Documents; record its reply there.",
    )


# -- the pages -------------------------------------------------------------------------------


def _form(client, url: str):
    html = client.get(url).content.decode()
    (form,) = [f for f in forms_of(html, url) if f.action.endswith(url) or f.action == url]
    assert FIELD in form.names()
    return form


def test_fao_records_a_letter_and_its_reply_on_the_pages(session, seoul, fao_user, client_for):
    client = client_for(fao_user)
    year = session.year.fiscal_year
    url = reverse("meetings:letter-new", args=[year])
    form = _form(client, url)
    data = {
        **form.data(),
        "target": [f"{session.pk}:{seoul.pk}"],
        "sent_on": [TODAY().strftime("%d/%m/") + str(TODAY().year + 543)],
        "reference": ["กท 1402/9"],
        "signed_by": ["ผู้อำนวยการสำนักงานการต่างประเทศ"],
    }
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[-1500:]
    second = client.post(url, data)  # the same form sent again
    assert second.status_code == 302
    assert InquiryLetter.objects.count() == 1
    letter = InquiryLetter.objects.get()
    assert letter.sent_on == TODAY()

    listing = client.get(reverse("cities:letters-year", args=[year]))
    assert [str(m) for m in get_messages(listing.wsgi_request)] == [
        "The letter is recorded as sent.",
        "This form had already been sent: nothing was changed the second time.",
    ]
    html = listing.content.decode()
    assert "Letter sent, awaiting a reply" in html and "กท 1402/9" in html
    thai = client_for(fao_user, "th").get(reverse("cities:letters-year", args=[year]))
    assert "ส่งหนังสือแล้ว รอคำตอบ" in thai.content.decode()

    reply_url = reverse("meetings:letter-reply", args=[letter.pk])
    form = _form(client, reply_url)
    response = client.post(
        reply_url,
        {
            **form.data(),
            "reply": ["accepted"],
            "replied_on": [TODAY().strftime("%d/%m/%Y")],
            "note": ["Glad to join in May."],
        },
    )
    assert response.status_code == 302
    assert Session.objects.get(pk=session.pk).status == Status.CITY_CONFIRMED
    html = client.get(reverse("cities:letters-year", args=[year])).content.decode()
    assert "The city accepted" in html and "Glad to join in May." in html


def test_a_refusal_on_the_page_is_said_in_thai(session, seoul, fao_user, client_for):
    client = client_for(fao_user, "th")
    letter = _send(session, seoul, fao_user)
    url = reverse("meetings:letter-reply", args=[letter.pk])
    form = _form(client, url)
    day = letter.sent_on - dt.timedelta(days=3)
    response = client.post(
        url,
        {**form.data(), "reply": ["declined"], "replied_on": [day.strftime("%d/%m/%Y")]},
        follow=True,
    )
    assert "วันที่ตอบต้องไม่ก่อนวันที่ส่งหนังสือ" in response.content.decode()
    assert InquiryLetter.objects.get().reply == "pending"


def test_only_fao_sees_the_record_buttons(session, seoul, fao_user, sdo_user, client_for):
    _send(session, seoul, fao_user)
    url = reverse("cities:letters-year", args=[session.year.fiscal_year])
    assert 'id="letter-new"' in client_for(fao_user).get(url).content.decode()
    sdo = client_for(sdo_user).get(url).content.decode()
    assert 'id="letter-new"' not in sdo and "reply-link" not in sdo
    candidates = reverse("cities:candidates-year", args=[session.year.fiscal_year])
    assert 'id="candidates-letter-new"' in client_for(fao_user).get(candidates).content.decode()
    assert 'id="candidates-letter-new"' not in client_for(sdo_user).get(candidates).content.decode()


# -- what the candidate page says ------------------------------------------------------------


@pytest.fixture
def candidate(seoul):
    AgreementFactory(city=seoul, field_codes=["trade"])
    return seoul


def _state(client, year: int) -> str:
    import re

    html = client.get(reverse("cities:candidates-year", args=[year])).content.decode()
    return re.search(r'class="small letter-state" data-state="(\w+)"><strong>([^<]+)', html).group(
        1, 2
    )


@pytest.mark.parametrize(
    ("step", "state", "english", "thai"),
    [
        ("nothing", "not_sent", "No letter sent", "ยังไม่ได้ส่งหนังสือ"),
        ("invited", "invited", "City invited (no letter recorded)", "เชิญเมืองแล้ว (ไม่มีบันทึกหนังสือ)"),
        ("sent", "sent", "Letter sent, awaiting a reply", "ส่งหนังสือแล้ว รอคำตอบ"),
        ("held", "held", "Session held", "จัดการประชุมแล้ว"),
    ],
)
def test_the_candidate_page_says_what_happened(
    step, state, english, thai, session, candidate, fao_user, client_for
):
    if step == "invited":
        session_mark_city_invited(session_id=session.pk, acting_user=fao_user)
    if step == "sent":
        _send(session, candidate, fao_user)
    if step == "held":
        session_mark_city_invited(session_id=session.pk, acting_user=fao_user)
        Session.objects.filter(pk=session.pk).update(status=Status.HELD)
    year = session.year.fiscal_year
    assert _state(client_for(fao_user), year) == (state, english)
    assert _state(client_for(fao_user, "th"), year) == (state, thai)


def test_letter_states_cover_every_choice():
    assert {s.value for s in LetterState} == {
        "not_sent",
        "invited",
        "sent",
        "accepted",
        "declined",
        "held",
    }


def test_the_letter_list_reads_a_fixed_number_of_queries(planned_year, seoul, fao_user, client_for):
    client = client_for(fao_user)
    url = reverse("cities:letters-year", args=[planned_year.fiscal_year])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    session = planned_year.sessions.get(number=1)
    InquiryLetterFactory(city=seoul, fiscal_year=planned_year.fiscal_year, session=session)
    one = count()
    for _ in range(6):
        InquiryLetterFactory(city=seoul, fiscal_year=planned_year.fiscal_year, session=session)
    assert count() == one
