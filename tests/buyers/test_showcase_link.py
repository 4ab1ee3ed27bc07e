"""The showcase link: one unguessable token per session and city, opened only while live."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from buyers.models import ShowcaseLink
from buyers.selectors import showcase_link_for_token
from tests.factories import SessionFactory, SisterCityFactory

pytestmark = pytest.mark.django_db


def _link(**kwargs) -> ShowcaseLink:
    defaults = {
        "session": SessionFactory(),
        "city": SisterCityFactory(),
        "enabled": True,
        "expires_on": timezone.localdate() + dt.timedelta(days=30),
    }
    return ShowcaseLink.objects.create(**{**defaults, **kwargs})


def test_a_token_is_long_random_and_different_for_each_link():
    one, two = _link(), _link()
    assert len(one.token) >= 40
    assert one.token != two.token


def test_one_link_per_session_and_city():
    link = _link()
    with pytest.raises(IntegrityError):
        _link(session=link.session, city=link.city)


def test_a_live_link_opens():
    link = _link()
    assert showcase_link_for_token(link.token) == link


@pytest.mark.parametrize(
    "change",
    [
        {"enabled": False},
        {"revoked_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},
        {"expires_on": dt.date(2020, 1, 1)},
        {"expires_on": None},
    ],
    ids=["off", "revoked", "expired", "no-end-date"],
)
def test_a_link_that_is_not_live_does_not_open(change):
    link = _link(**change)
    assert showcase_link_for_token(link.token) is None


def test_the_last_day_still_opens():
    link = _link(expires_on=timezone.localdate())
    assert showcase_link_for_token(link.token) == link


@pytest.mark.parametrize("token", ["", "x", "a" * 500, "\x00"])
def test_an_unknown_token_opens_nothing(token):
    _link()
    assert showcase_link_for_token(token) is None
