"""meetings.policy: the next step of a session, its Teams meeting and requests, as the
session page shows it (the services enforce the same order)."""

from __future__ import annotations

import pytest

from meetings import policy
from meetings.models import Session, TeamsMeeting, TeamsMeetingRequest

S = Session.Status


def session(status: str) -> Session:
    return Session(status=status)


@pytest.mark.parametrize(
    ("status", "invite", "confirm", "held", "report"),
    [
        (S.PLANNED, True, False, False, False),
        (S.CITY_INVITED, False, True, False, False),
        (S.CITY_CONFIRMED, False, False, True, False),
        (S.CONNECTION_TESTED, False, False, True, False),
        (S.SCHEDULED, False, False, True, False),
        (S.HELD, False, False, False, True),
        (S.REPORTED, False, False, False, False),
        (S.CANCELLED, False, False, False, False),
    ],
)
def test_the_next_step_of_a_session(status, invite, confirm, held, report):
    s = session(status)
    assert policy.awaits_city_invitation(s) is invite
    assert policy.awaits_city_confirmation(s) is confirm
    assert policy.may_record_held(s) is held
    assert policy.may_mark_reported(s) is report
    # The model's properties ask the same rules.
    assert (s.awaits_city_invitation, s.awaits_city_confirmation) == (invite, confirm)
    assert (s.may_record_held, s.may_mark_reported) == (held, report)


def test_progress_steps_mark_the_current_one_and_leave_out_cancelled():
    steps = policy.progress_steps(session(S.SCHEDULED))
    assert [value for value, _label, _current in steps] == list(Session.STATUS_ORDER)
    assert [value for value, _label, current in steps if current] == [S.SCHEDULED]
    assert not any(current for _v, _l, current in policy.progress_steps(session(S.CANCELLED)))


@pytest.mark.parametrize(
    ("state", "join_url", "joinable"),
    [
        (TeamsMeeting.State.ACTIVE, "https://teams.example/j/1", True),
        (TeamsMeeting.State.ACTIVE, "", False),
        (TeamsMeeting.State.REQUESTED, "https://teams.example/j/1", False),
        (TeamsMeeting.State.CANCELLED, "https://teams.example/j/1", False),
    ],
)
def test_a_meeting_is_joinable_once_teams_made_it(state, join_url, joinable):
    meeting = TeamsMeeting(state=state, join_url=join_url)
    assert policy.is_joinable(meeting) is joinable
    assert meeting.is_joinable is joinable


@pytest.mark.parametrize("status", list(TeamsMeetingRequest.Status))
def test_a_request_waits_only_while_pending(status):
    request = TeamsMeetingRequest(status=status)
    expected = status == TeamsMeetingRequest.Status.PENDING
    assert policy.request_waits(request) is expected
    assert request.waits is expected
