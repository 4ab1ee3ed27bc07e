"""FAO replaces a cancelled session: the year gets a new session to plan (#11)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from meetings.models import Session
from meetings.services.sessions import session_cancel

pytestmark = pytest.mark.django_db


def _add(client, year):
    return client.post(reverse("meetings:session-add", args=[year.fiscal_year]), follow=True)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_fao_adds_a_replacement_for_a_cancelled_session(planned_year, fao_user, client_for):
    cancelled = planned_year.sessions.get(number=2)
    session_cancel(session_id=cancelled.pk, reason="The city withdrew", acting_user=fao_user)
    client = client_for(fao_user)

    response = _add(client, planned_year)

    assert response.status_code == 200
    new = planned_year.sessions.get(number=4)
    assert new.status == Session.Status.PLANNED
    assert response.redirect_chain[-1][0] == reverse("meetings:session-detail", args=[new.pk])
    assert new.agenda.exists()
    assert new.steps.exists()
    assert _messages(response) == ["Session 4 is added in place of the cancelled one."]

    # A second click (or a second replacement) adds nothing: the year has its sessions again.
    again = _add(client, planned_year)
    assert again.status_code == 200
    assert planned_year.sessions.count() == 4
    assert _messages(again) == [
        f"{planned_year.fiscal} already has its 3 sessions: cancel one before adding another."
    ]


def test_the_page_says_it_in_thai(planned_year, fao_user, client_for):
    session_cancel(
        session_id=planned_year.sessions.get(number=1).pk, reason="x", acting_user=fao_user
    )
    response = _add(client_for(fao_user, "th"), planned_year)
    assert _messages(response) == ["เพิ่มการประชุมครั้งที่ 4 แทนครั้งที่ยกเลิกแล้ว"]


def test_a_year_without_a_cancelled_session_gets_no_extra_one(planned_year, fao_user, client_for):
    response = _add(client_for(fao_user), planned_year)
    assert planned_year.sessions.count() == 3
    assert _messages(response) == [
        f"{planned_year.fiscal} already has its 3 sessions: cancel one before adding another."
    ]


@pytest.mark.parametrize("role", ["sdo", "seo", "executive"])
def test_only_fao_adds_sessions(planned_year, fao_user, make_user, client_for, role):
    session_cancel(
        session_id=planned_year.sessions.get(number=1).pk, reason="x", acting_user=fao_user
    )
    url = reverse("meetings:session-add", args=[planned_year.fiscal_year])
    assert client_for(make_user(role)).post(url).status_code == 403
    assert planned_year.sessions.count() == 3


def test_the_year_page_offers_it_to_fao_once_a_session_is_cancelled(
    planned_year, fao_user, sdo_user, client_for
):
    url = reverse("meetings:year-detail", args=[planned_year.fiscal_year])
    action = reverse("meetings:session-add", args=[planned_year.fiscal_year])
    assert action not in client_for(fao_user).get(url).content.decode()
    session_cancel(
        session_id=planned_year.sessions.get(number=1).pk, reason="x", acting_user=fao_user
    )
    assert action in client_for(fao_user).get(url).content.decode()
    assert action not in client_for(sdo_user).get(url).content.decode()
