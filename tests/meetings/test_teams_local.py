"""The Teams interface: the local backend, the spec's checks, transaction ids, the switch."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from microsoft.teams import (
    Attendee,
    LocalTeamsBackend,
    MeetingSpec,
    TeamsError,
    TeamsNotFoundError,
    TeamsPermanentError,
    TeamsTransientError,
    get_backend,
    make_transaction_id,
)

BANGKOK = ZoneInfo("Asia/Bangkok")
START = dt.datetime(2026, 5, 12, 10, 0, tzinfo=BANGKOK)


def spec(**changes) -> MeetingSpec:
    values = {
        "subject": "Connection test: Bangkok – Fukuoka",
        "start": START,
        "end": START + dt.timedelta(minutes=30),
        "time_zone": "Asia/Tokyo",
        "attendees": (Attendee("it@fukuoka.example.jp", "Fukuoka IT"),),
        "transaction_id": "bbportal-test-7-g0",
    }
    values.update(changes)
    return MeetingSpec(**values)


def test_local_is_the_default_backend(settings):
    assert settings.TEAMS_BACKEND == "local"
    backend = get_backend()
    assert isinstance(backend, LocalTeamsBackend)
    assert backend.name == "local"


def test_an_unknown_backend_is_refused(settings):
    settings.TEAMS_BACKEND = "zoom"
    with pytest.raises(ValueError) as error:
        get_backend()
    assert str(error.value) == "Unknown TEAMS_BACKEND 'zoom': use 'local' or 'graph'."


def test_local_create_gives_a_labelled_link_and_repeats_for_the_same_transaction():
    backend = LocalTeamsBackend()
    first = backend.create_meeting(spec())
    again = backend.create_meeting(spec(subject="changed subject, same transaction"))
    other = backend.create_meeting(spec(transaction_id="bbportal-test-7-g1"))

    assert first.join_url.startswith("https://teams.invalid/local-meeting/")
    assert first.event_id.startswith("local-")
    assert first.ical_uid == f"{first.event_id}@bbportal.local"
    assert again == first
    assert other.event_id != first.event_id
    assert other.join_url != first.join_url


def test_local_update_keeps_the_meeting_and_link_and_changes_the_change_key():
    backend = LocalTeamsBackend()
    created = backend.create_meeting(spec())
    moved = backend.update_meeting(
        created.event_id,
        spec(start=START + dt.timedelta(days=1), end=START + dt.timedelta(days=1, hours=1)),
    )
    renamed = backend.update_meeting(created.event_id, spec(subject="Renamed"))

    assert (moved.event_id, moved.join_url, moved.ical_uid) == (
        created.event_id,
        created.join_url,
        created.ical_uid,
    )
    assert len({created.change_key, moved.change_key, renamed.change_key}) == 3


def test_local_cancel_needs_no_network():
    backend = LocalTeamsBackend()
    created = backend.create_meeting(spec())
    assert backend.cancel_meeting(created.event_id, "Cancelled by the FAO.") is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"start": START.replace(tzinfo=None)},
            "MeetingSpec.start and .end must be time-zone aware.",
        ),
        ({"end": START}, "MeetingSpec.end must be after .start."),
        ({"end": START - dt.timedelta(hours=1)}, "MeetingSpec.end must be after .start."),
        ({"time_zone": "Bangkok"}, "Unknown IANA time zone 'Bangkok'."),
        ({"time_zone": "SE Asia Standard Time"}, "Unknown IANA time zone 'SE Asia Standard Time'."),
    ],
)
def test_a_malformed_spec_is_refused_where_it_is_built(changes, message):
    with pytest.raises(ValueError) as error:
        spec(**changes)
    assert str(error.value) == message


def test_the_spec_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec().subject = "x"


def test_transaction_ids_are_stable_and_distinct(settings):
    settings.PORTAL_SITE_URL = "https://bbportal.bangkok.go.th"
    first = make_transaction_id("session", 12)

    assert first == make_transaction_id("session", 12, 0)
    assert first.startswith("bbportal-") and len(first) == 41
    assert (
        len(
            {
                first,
                make_transaction_id("session", 12, 1),
                make_transaction_id("connection_test", 12),
                make_transaction_id("session", 13),
            }
        )
        == 4
    )

    settings.PORTAL_SITE_URL = "https://staging.bbportal.example.org"
    assert make_transaction_id("session", 12) != first


def test_the_error_family():
    throttled = TeamsTransientError("busy", status=429, code="ApplicationThrottled", retry_after=3)
    gone = TeamsNotFoundError("gone", status=404, code="ErrorItemNotFound")

    assert isinstance(throttled, TeamsError)
    assert (throttled.status, throttled.code, throttled.retry_after) == (
        429,
        "ApplicationThrottled",
        3,
    )
    assert isinstance(gone, TeamsPermanentError)
    assert gone.user_message == "gone"
    assert TeamsError("plain").code == ""
