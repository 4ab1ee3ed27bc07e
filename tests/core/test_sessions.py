"""core.sessions: Django's database sessions, read with one written statement (#19)."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _saved(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    assert store.session_key
    return store.session_key


def test_the_portal_uses_it():
    assert settings.SESSION_ENGINE == "core.sessions"


def test_a_saved_session_is_read_back_in_one_query(django_assert_num_queries):
    key = _saved(colour="ม่วง", n=3)
    with django_assert_num_queries(1):
        store = SessionStore(session_key=key)
        assert dict(store.items()) == {"colour": "ม่วง", "n": 3}
    assert store.session_key == key


def test_an_expired_session_is_not_read_and_a_new_one_is_made():
    key = _saved(secret="kept")
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    store = SessionStore(session_key=key)
    assert dict(store.items()) == {}
    assert store.session_key is None


def test_a_session_expiring_later_is_read():
    key = _saved(secret="kept")
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=1)
    )
    assert SessionStore(session_key=key)["secret"] == "kept"


@pytest.mark.parametrize("key", ["x" * 32, "' OR '1'='1' --", "a" * 40])
def test_an_unknown_or_hostile_key_reads_nothing(key):
    _saved(secret="kept")
    store = SessionStore(session_key=key)
    assert dict(store.items()) == {}
    assert store.session_key is None


def test_data_that_was_tampered_with_is_dropped():
    key = _saved(secret="kept")
    Session.objects.filter(session_key=key).update(session_data="forged:data")
    assert dict(SessionStore(session_key=key).items()) == {}
