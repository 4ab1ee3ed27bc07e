"""Attendance read back from Teams (#13, first piece: the client), against the fake Graph
over HTTPS: the meeting found by its join link, its reports merged, paging, guests, 403."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from microsoft.teams import (
    Attendee,
    LocalTeamsBackend,
    MeetingSpec,
    TeamsAuthError,
    TeamsNotFoundError,
    get_backend,
)
from tests.fakes.graph import attendance_record

START = dt.datetime(2026, 1, 20, 7, 0, tzinfo=dt.UTC)


def created(fake_graph) -> str:
    spec = MeetingSpec(
        subject="Session 1",
        start=START,
        end=START + dt.timedelta(hours=2),
        time_zone="Asia/Bangkok",
        attendees=(Attendee("kim@seoul.example.kr", "Kim Min-jun"),),
        transaction_id="bbportal-attendance-1",
    )
    return get_backend().create_meeting(spec).join_url


def test_two_reports_are_merged_paged_and_guests_kept(fake_graph):
    join_url = created(fake_graph)
    fake_graph.attendance[join_url] = [
        [
            attendance_record(
                "Kim Min-jun",
                "kim@seoul.example.kr",
                "2026-01-20T07:02:00Z",
                "2026-01-20T07:30:00Z",
            ),
            attendance_record(
                "Somchai Dee",
                "SOMCHAI@bangkok.go.th",
                "2026-01-20T07:00:00Z",
                "2026-01-20T08:00:00Z",
                role="Organizer",
            ),
            attendance_record("Guest 0812", "", "2026-01-20T07:05:00Z", "2026-01-20T07:15:00Z"),
        ],
        [  # the meeting ran a second time
            attendance_record(
                "Kim Min-jun",
                "kim@seoul.example.kr",
                "2026-01-20T07:40:00Z",
                "2026-01-20T08:10:00Z",
            ),
        ],
    ]

    records = get_backend().attendance(join_url, START)

    assert [(r.name, r.email, r.minutes) for r in records] == [
        ("Guest 0812", "", 10),
        ("Kim Min-jun", "kim@seoul.example.kr", 58),
        ("Somchai Dee", "SOMCHAI@bangkok.go.th", 60),
    ]
    kim = records[1]
    assert kim.joined_at == dt.datetime(2026, 1, 20, 7, 2, tzinfo=dt.UTC)
    assert kim.left_at == dt.datetime(2026, 1, 20, 8, 10, tzinfo=dt.UTC)
    # user id, the meeting, the reports, then report 0 in two pages and report 1 in one
    gets = fake_graph.graph_calls("GET")
    assert len(gets) == 6
    assert gets[0].path == f"/v1.0/users/{fake_graph.organizer}"
    assert gets[1].path == f"/v1.0/users/{fake_graph.organizer_id}/onlineMeetings"
    assert gets[1].query["$filter"] == f"JoinWebUrl eq '{join_url}'"


def test_an_empty_report_gives_no_one(fake_graph):
    join_url = created(fake_graph)
    fake_graph.attendance[join_url] = [[]]
    assert get_backend().attendance(join_url, START) == ()


def test_an_unknown_join_link_is_not_found(fake_graph):
    with pytest.raises(TeamsNotFoundError):
        get_backend().attendance("https://teams.microsoft.com/l/meetup-join/none", START)


@pytest.mark.parametrize(
    ("setup", "detail"),
    [
        (lambda f: f.revoke_consent("OnlineMeetingArtifact.Read.All"), "403 Forbidden: Forbidden"),
        (
            lambda f: setattr(f, "teams_access_policy", False),
            "403 General: No application access policy found for this app.",
        ),
    ],
)
def test_without_permission_or_policy_the_message_names_both(fake_graph, setup, detail):
    setup(fake_graph)  # before the token is issued: a token carries the roles granted then
    join_url = created(fake_graph)
    with pytest.raises(TeamsAuthError) as error:
        get_backend().attendance(join_url, START)
    assert str(error.value) == (
        f"Microsoft Graph refused the meeting's attendance reports ({detail}). An "
        "administrator must grant the application permission OnlineMeetingArtifact.Read.All "
        f"and a Teams application access policy for the organiser {fake_graph.organizer} "
        "(New-CsApplicationAccessPolicy, Grant-CsApplicationAccessPolicy). Attendance can "
        "still be entered by hand."
    )
    with translation.override("th"):
        assert error.value.message.render().startswith("Microsoft Graph ปฏิเสธรายงานการเข้าร่วมประชุม")


def test_the_local_backend_gives_a_plausible_report():
    records = LocalTeamsBackend().attendance("https://teams.invalid/local-meeting/x", START)
    assert [(r.name, r.minutes) for r in records] == [
        ("BB Sessions", 120),
        ("Guest (phone)", 80),
        ("Local participant", 95),
    ]
