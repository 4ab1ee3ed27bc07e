"""FAO turns a city's showcase link on with an end date, and revokes it; both audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from buyers.models import ExchangeRate, ShowcaseLink
from buyers.selectors import showcase_link_for_city, showcase_link_for_token, showcase_url
from buyers.services import exchange_rate_record, showcase_link_enable, showcase_link_revoke
from tests.factories import SessionFactory, SisterCityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_and_city():
    session = SessionFactory()
    city = SisterCityFactory(country="JP", name_en="Fukuoka", name_th="ฟุกุโอกะ")
    session.cities.add(city)
    return session, city


def _soon(days=30):
    return timezone.localdate() + dt.timedelta(days=days)


def test_enable_then_revoke_is_audited(session_and_city, fao_user):
    session, city = session_and_city
    link = showcase_link_enable(
        session=session, city=city, expires_on=_soon(), acting_user=fao_user
    )
    assert showcase_link_for_token(link.token) == link
    assert showcase_link_for_city(session, city) == link
    assert showcase_url(link).endswith(f"/showcase/{link.token}/ja/")
    showcase_link_revoke(link=link, acting_user=fao_user)
    assert showcase_link_for_token(link.token) is None
    history = list(link.history.order_by("history_date"))
    assert [h.history_change_reason for h in history] == [
        "showcase link enabled",
        "showcase link revoked",
    ]
    assert {h.history_user for h in history} == {fao_user}


def test_turning_a_revoked_link_on_again_gives_a_new_token(session_and_city, fao_user):
    session, city = session_and_city
    first = showcase_link_enable(
        session=session, city=city, expires_on=_soon(), acting_user=fao_user
    )
    old_token = first.token
    showcase_link_revoke(link=first, acting_user=fao_user)
    again = showcase_link_enable(
        session=session, city=city, expires_on=_soon(), acting_user=fao_user
    )
    assert again.pk == first.pk and again.token != old_token
    assert showcase_link_for_token(old_token) is None
    assert showcase_link_for_token(again.token) == again


@pytest.mark.parametrize(
    ("days", "message"),
    [(-1, "The end date is in the past."), (400, "A showcase link stays open for at most a year.")],
)
def test_the_end_date_is_checked(session_and_city, fao_user, days, message):
    session, city = session_and_city
    with pytest.raises(ValidationError) as caught:
        showcase_link_enable(
            session=session, city=city, expires_on=_soon(days), acting_user=fao_user
        )
    assert caught.value.messages == [message]


def test_a_city_outside_the_session_gets_no_link(session_and_city, fao_user):
    session, _city = session_and_city
    with pytest.raises(ValidationError):
        showcase_link_enable(
            session=session, city=SisterCityFactory(), expires_on=_soon(), acting_user=fao_user
        )


def test_fao_turns_a_link_on_and_off_on_the_page(session_and_city, fao_user, client_for):
    session, city = session_and_city
    client = client_for(fao_user)
    page = reverse("buyers:session-links", args=[session.pk])
    assert "Not turned on" in client.get(page).content.decode()
    response = client.post(
        reverse("buyers:link-enable", args=[session.pk, city.pk]),
        {"expires_on": _soon().isoformat()},
        follow=True,
    )
    assert "The showcase link of Fukuoka is on." in response.content.decode()
    link = ShowcaseLink.objects.get(session=session, city=city)
    assert link.token in response.content.decode()
    client.get(page)  # a fresh form before the next POST
    response = client.post(reverse("buyers:link-revoke", args=[link.pk]), follow=True)
    assert "The showcase link of Fukuoka is revoked." in response.content.decode()


def test_the_page_in_thai(session_and_city, fao_user, client_for):
    session, city = session_and_city
    client = client_for(fao_user, language="th")
    client.get(reverse("buyers:session-links", args=[session.pk]))
    response = client.post(
        reverse("buyers:link-enable", args=[session.pk, city.pk]),
        {"expires_on": _soon().isoformat()},
        follow=True,
    )
    assert "เปิดลิงก์หน้าแสดงสินค้าของ ฟุกุโอกะ แล้ว" in response.content.decode()


def test_fao_records_a_rate_and_a_second_entry_of_the_day_corrects_it(fao_user):
    day = dt.date(2026, 12, 1)
    exchange_rate_record(
        currency="jpy", thb_per_unit=Decimal("0.23"), rate_on=day, acting_user=fao_user
    )
    exchange_rate_record(
        currency="JPY", thb_per_unit=Decimal("0.24"), rate_on=day, acting_user=fao_user
    )
    rate = ExchangeRate.objects.get()
    assert (rate.currency, rate.thb_per_unit) == ("JPY", Decimal("0.24"))


def test_the_session_page_shows_fao_the_links_panel(
    session_and_city, fao_user, sdo_user, client_for
):
    session, city = session_and_city
    showcase_link_enable(session=session, city=city, expires_on=_soon(), acting_user=fao_user)
    url = reverse("meetings:session-detail", args=[session.pk])
    html = client_for(fao_user).get(url).content.decode()
    assert "1 city link is open." in html
    assert reverse("buyers:session-links", args=[session.pk]) in html
    thai = client_for(fao_user, language="th").get(url).content.decode()
    assert "เปิดลิงก์ของเมืองอยู่ 1 ลิงก์" in thai
    assert "city link" not in client_for(sdo_user).get(url).content.decode()
