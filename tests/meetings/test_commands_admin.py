"""The management commands plan_year and schedule_session, and the admin's actions."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.roles import Role
from meetings.models import ProgrammeYear, TeamsMeetingRequest
from meetings.services.sessions import session_schedule
from microsoft import teams

from .support import next_fiscal_year

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_plan_year_prints_the_proposed_sessions(fao_user):
    fy = next_fiscal_year()
    text = run("plan_year", str(fy - 543), "--months", "1,5,9", "--vendors", "5")
    year = ProgrammeYear.objects.get(fiscal_year=fy)
    assert text.splitlines()[0] == f"Planned FY {fy}:"
    assert len(text.splitlines()) == 4
    first = year.sessions.get(number=1)
    assert f"session 1 (id {first.pk}): " in text and "(UTC+7)" in text
    assert year.vendors_per_session == 5
    with pytest.raises(CommandError) as error:
        run("plan_year", str(fy))
    assert str(error.value) == f"FY {fy} is already planned."


def test_plan_year_refuses_bad_months():
    with pytest.raises(CommandError) as error:
        run("plan_year", "2571", "--months", "1,1,9")
    assert str(error.value) == "Two sessions cannot share a month."


@pytest.mark.django_db(transaction=True)
def test_schedule_session_asks_teams(confirmed_session, fao_user):
    # With real commits the task runs in-process before the command reports.
    text = run("schedule_session", str(confirmed_session.pk), "--user", "fao")
    request = TeamsMeetingRequest.objects.get()
    assert text.splitlines()[0] == (
        f"Session {confirmed_session.pk}: Teams request {request.pk} succeeded."
    )
    assert "Join link: https://teams.invalid/local-meeting/" in text
    assert request.requested_by == fao_user
    with pytest.raises(CommandError) as error:
        run("schedule_session", str(confirmed_session.pk))
    assert str(error.value) == "The Teams meeting is already scheduled."
    with pytest.raises(CommandError) as error:
        run("schedule_session", "999999")
    assert str(error.value) == "No session 999999."


def test_schedule_session_refuses_before_the_city_confirmed(planned_year):
    session = planned_year.sessions.get(number=1)
    with pytest.raises(CommandError) as error:
        run("schedule_session", str(session.pk))
    assert str(error.value) == "Schedule the Teams meeting once the cities have confirmed."


@pytest.mark.parametrize("role", [Role.FAO, Role.SDO, Role.SEO])
def test_admin_pages_of_the_meetings_app(role, confirmed_session, make_user, client_for):
    client = client_for(make_user(role))
    for name in ("session", "teamsmeetingrequest", "workplanstep", "programmeyear"):
        url = reverse(f"admin:meetings_{name}_changelist")
        assert client.get(url).status_code == 200, (name, role)
    change = reverse("admin:meetings_session_change", args=[confirmed_session.pk])
    assert client.get(change).status_code == 200


def test_admin_retry_action_for_runners_only(
    confirmed_session,
    fao_user,
    make_user,
    client_for,
    teams_backend,
    django_capture_on_commit_callbacks,
):
    teams_backend.fail.append(teams.TeamsPermanentError("Bad request (400)."))
    with django_capture_on_commit_callbacks(execute=True):
        session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    request = TeamsMeetingRequest.objects.get()
    assert request.status == "failed"
    url = reverse("admin:meetings_teamsmeetingrequest_changelist")
    sdo_page = client_for(make_user(Role.SDO)).get(url).content.decode()
    assert 'value="retry"' not in sdo_page
    seo = make_user(Role.SEO)
    assert 'value="retry"' in client_for(seo).get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(seo).post(
            url, {"action": "retry", "_selected_action": [request.pk]}, follow=True
        )
    assert "1 requests are tried again." in response.content.decode()
    request.refresh_from_db()
    assert (request.status, request.attempts) == ("succeeded", 2)  # #13: attempts accumulate


def test_admin_cannot_add_a_year_or_delete_a_session(confirmed_session, fao_user, client_for):
    client = client_for(fao_user)
    assert client.get(reverse("admin:meetings_programmeyear_add")).status_code == 403
    delete = reverse("admin:meetings_session_delete", args=[confirmed_session.pk])
    assert client.get(delete).status_code == 403


def test_a_participant_from_sdo_reads_the_join_link_in_the_admin(
    confirmed_session, fao_user, sdo_user, client_for, django_capture_on_commit_callbacks
):
    from meetings.services.people import bma_participant_add

    with django_capture_on_commit_callbacks(execute=True):
        session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    meeting = confirmed_session.teams_meetings.get()
    assert meeting.join_url
    pages = [
        reverse("admin:meetings_session_change", args=[confirmed_session.pk]),
        reverse("admin:meetings_teamsmeeting_change", args=[meeting.pk]),
        reverse(
            "admin:meetings_teamsmeetingrequest_change",
            args=[TeamsMeetingRequest.objects.get(meeting=meeting).pk],
        ),
    ]
    client = client_for(sdo_user)
    for page in pages:
        assert meeting.join_url not in client.get(page).content.decode(), page
    bma_participant_add(session_id=confirmed_session.pk, user=sdo_user, acting_user=fao_user)
    for page in pages:
        assert meeting.join_url in client.get(page).content.decode(), page
