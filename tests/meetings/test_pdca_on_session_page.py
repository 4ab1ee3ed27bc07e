"""The PDCA cycle on the planning page: the next session shows what the last one's
evaluation said to change, and FAO and executives find the session report from it."""

import pytest
from django.urls import reverse

from core.roles import Role
from meetings.models import Session
from reports.models import EvaluationAction, SessionEvaluation

from ..factories import ProgrammeYearFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sessions():
    year = ProgrammeYearFactory(fiscal_year=2569)
    first = SessionFactory(year=year, number=1, status=Session.Status.HELD)
    second = SessionFactory(year=year, number=2)
    return first, second


def test_the_next_session_shows_the_actions_carried_from_the_last(
    two_sessions, client_for, seo_user
):
    first, second = two_sessions
    evaluation = SessionEvaluation.objects.create(session=first, plan_th="แผน", did_th="ผล")
    EvaluationAction.objects.create(
        evaluation=evaluation,
        position=1,
        action_th="จองล่ามล่วงหน้า",
        action_en="Book the interpreter two weeks ahead",
        responsible="FAO",
    )
    text = (
        client_for(seo_user)
        .get(reverse("meetings:session-detail", args=[second.pk]))
        .content.decode()
    )
    assert "Actions carried from the previous session" in text
    assert "Book the interpreter two weeks ahead" in text
    thai = (
        client_for(seo_user, language="th")
        .get(reverse("meetings:session-detail", args=[second.pk]))
        .content.decode()
    )
    assert "จองล่ามล่วงหน้า" in thai


def test_a_session_without_an_evaluated_predecessor_says_so(two_sessions, client_for, fao_user):
    _first, second = two_sessions
    text = (
        client_for(fao_user)
        .get(reverse("meetings:session-detail", args=[second.pk]))
        .content.decode()
    )
    assert "The previous session's evaluation carries no actions." in text


@pytest.mark.parametrize(
    ("role", "shown"),
    [(Role.FAO, True), (Role.EXECUTIVE, True), (Role.SEO, False), (Role.SDO, False)],
)
def test_the_report_link_is_for_those_who_may_read_reports(
    role, shown, two_sessions, make_user, client_for
):
    first, _second = two_sessions
    text = (
        client_for(make_user(role))
        .get(reverse("meetings:session-detail", args=[first.pk]))
        .content.decode()
    )
    assert ('id="session-report-link"' in text) is shown
