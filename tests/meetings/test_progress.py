"""The session's progress tracker tells the truth (issue 16, item 2): each step is done,
skipped (by whom, when, why) or pending, read from what was recorded, never from the
status's place in the order."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import Session
from meetings.progress import session_progress
from meetings.services import sessions as svc

from .support import in_past

pytestmark = pytest.mark.django_db


def _states(session: Session) -> dict[str, str]:
    return {step.key: step.state for step in session_progress(session)}


def test_a_held_session_shows_the_steps_that_never_happened_as_pending(confirmed_session, fao_user):
    """Held with the test waived and no Teams meeting: the old tracker showed "connection
    test done" and "scheduled" as passed."""
    svc.connection_test_waive(
        session_id=confirmed_session.pk, reason="Same link as last year", acting_user=fao_user
    )
    in_past(confirmed_session)
    svc.session_mark_held(
        session_id=confirmed_session.pk,
        vendor_attendance={},
        city_attendance={},
        bma_attendance={},
        acting_user=fao_user,
    )
    session = Session.objects.get(pk=confirmed_session.pk)
    assert _states(session) == {
        "planned": "done",
        "city_invited": "done",
        "city_confirmed": "done",
        "connection_test": "skipped",
        "teams_meeting": "pending",
        "held": "done",
        "reported": "pending",
    }
    waived = next(s for s in session_progress(session) if s.key == "connection_test")
    assert (waived.by, waived.reason) == (fao_user, "Same link as last year")


def test_teams_asked_but_not_confirmed_is_still_pending(confirmed_session, fao_user, teams_backend):
    svc.session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    session = Session.objects.get(pk=confirmed_session.pk)
    assert session.status == "scheduled"
    step = next(s for s in session_progress(session) if s.key == "teams_meeting")
    assert step.state == "pending"
    assert step.note == "Waiting for Teams to confirm"


def test_teams_confirmed_is_done(
    confirmed_session, fao_user, teams_backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        svc.session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    session = Session.objects.get(pk=confirmed_session.pk)
    assert _states(session)["teams_meeting"] == "done"


def test_a_recorded_connection_test_is_done_with_who_recorded_it(confirmed_session, fao_user):
    svc.connection_test_record_done(
        session_id=confirmed_session.pk, notes="Sound fine", acting_user=fao_user
    )
    session = Session.objects.get(pk=confirmed_session.pk)
    step = next(s for s in session_progress(session) if s.key == "connection_test")
    assert (step.state, step.by) == ("done", fao_user)


def test_skipping_the_teams_meeting_records_who_and_why_and_is_audited(confirmed_session, fao_user):
    svc.session_step_skip(
        session_id=confirmed_session.pk,
        step="teams_meeting",
        reason="The city hosts the meeting on its own platform",
        acting_user=fao_user,
    )
    session = Session.objects.get(pk=confirmed_session.pk)
    step = next(s for s in session_progress(session) if s.key == "teams_meeting")
    assert (step.state, step.by, step.reason) == (
        "skipped",
        fao_user,
        "The city hosts the meeting on its own platform",
    )
    assert step.at is not None
    latest = session.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        fao_user,
        "step skipped: teams_meeting",
    )


def test_skipping_the_connection_test_is_waiving_it(confirmed_session, fao_user):
    svc.session_step_skip(
        session_id=confirmed_session.pk,
        step="connection_test",
        reason="Tested last week",
        acting_user=fao_user,
    )
    session = Session.objects.get(pk=confirmed_session.pk)
    assert session.connection_test_cleared
    assert _states(session)["connection_test"] == "skipped"


@pytest.mark.parametrize(
    ("step", "reason", "message"),
    [
        ("teams_meeting", "  ", "Give the reason this step is skipped."),
        ("held", "why not", "This step cannot be skipped."),
    ],
)
def test_a_skip_without_reason_or_of_a_step_that_must_happen_is_refused(
    confirmed_session, fao_user, step, reason, message
):
    with pytest.raises(ValidationError) as excinfo:
        svc.session_step_skip(
            session_id=confirmed_session.pk, step=step, reason=reason, acting_user=fao_user
        )
    assert excinfo.value.messages == [message]


def test_a_step_teams_confirmed_cannot_be_skipped(
    confirmed_session, fao_user, teams_backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        svc.session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    with pytest.raises(ValidationError) as excinfo:
        svc.session_step_skip(
            session_id=confirmed_session.pk,
            step="teams_meeting",
            reason="x",
            acting_user=fao_user,
        )
    assert excinfo.value.messages == ["This step is done: there is nothing to skip."]


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "en",
            [
                "Connection test",
                "pending",
                "Teams meeting",
                "skipped",
                "Skipped by",
                "The city hosts the meeting on Zoom",
                "Skip",
            ],
        ),
        (
            "th",
            [
                "การทดสอบสัญญาณ",
                "รอดำเนินการ",
                "การประชุม Teams",
                "ข้ามแล้ว",
                "ข้ามโดย",
                "The city hosts the meeting on Zoom",
            ],
        ),
    ],
)
def test_the_session_page_shows_each_step_s_state(
    confirmed_session, fao_user, client_for, language, texts
):
    svc.session_step_skip(
        session_id=confirmed_session.pk,
        step="teams_meeting",
        reason="The city hosts the meeting on Zoom",
        acting_user=fao_user,
    )
    url = reverse("meetings:session-detail", args=[confirmed_session.pk])
    html = client_for(fao_user, language).get(url).content.decode()
    tracker = html[html.index('id="status-steps"') :]
    tracker = tracker[: tracker.index("</ol>")]
    for text in texts:
        assert text in tracker
    assert 'data-step="teams_meeting" data-state="skipped"' in tracker
    assert 'data-step="connection_test" data-state="pending"' in tracker
    assert 'data-step="city_confirmed" data-state="done"' in tracker


def test_the_skip_page_records_the_reason(confirmed_session, fao_user, client_for):
    client = client_for(fao_user, "en")
    url = reverse("meetings:session-step-skip", args=[confirmed_session.pk, "teams_meeting"])
    page = client.get(url)
    assert page.status_code == 200
    assert "Skip a step: Teams meeting" in page.content.decode()
    response = client.post(url, {"reason": "On Zoom"}, follow=True)
    assert "The step is marked as skipped." in response.content.decode()
    session = Session.objects.get(pk=confirmed_session.pk)
    assert session.teams_meeting_skipped_reason == "On Zoom"


def test_the_skip_page_of_a_step_that_cannot_be_skipped_is_not_found(
    confirmed_session, fao_user, client_for
):
    url = reverse("meetings:session-step-skip", args=[confirmed_session.pk, "held"])
    assert client_for(fao_user, "en").get(url).status_code == 404
