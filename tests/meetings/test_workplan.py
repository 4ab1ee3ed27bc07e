"""The work plan: the source's eight steps per session, their months, and tick-off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.roles import Role
from meetings.models import AgendaItem, WorkPlanStep
from meetings.services.sessions import session_reschedule
from meetings.services.workplan import (
    workplan_set_from_record,
    workplan_step_reopen,
    workplan_step_tick,
)
from meetings.services.years import programme_year_plan

from .support import bangkok, ce_year_of, next_fiscal_year

pytestmark = pytest.mark.django_db


def months(session) -> dict[int, tuple[str, str]]:
    return {
        s.number: (s.starts_on.strftime("%Y-%m"), s.due_on.strftime("%Y-%m"))
        for s in session.steps.order_by("number")
    }


def test_fy_2564_follows_the_source_table(fao_user):
    year = programme_year_plan(fiscal_year=2564, acting_user=fao_user)
    first, second, third = year.sessions.order_by("number")

    assert months(first) == {
        1: ("2020-10", "2020-10"),
        2: ("2020-10", "2020-10"),
        3: ("2020-11", "2020-11"),
        4: ("2020-11", "2020-11"),
        5: ("2020-12", "2020-12"),
        6: ("2020-12", "2020-12"),
        7: ("2021-01", "2021-01"),
        8: ("2021-01", "2021-01"),
    }
    assert months(second) == {
        4: ("2021-02", "2021-02"),
        5: ("2021-04", "2021-04"),
        6: ("2021-02", "2021-04"),
        7: ("2021-05", "2021-05"),
        8: ("2021-05", "2021-05"),
    }
    assert months(third) == {
        4: ("2021-06", "2021-06"),
        5: ("2021-08", "2021-08"),
        6: ("2021-06", "2021-08"),
        7: ("2021-09", "2021-09"),
        8: ("2021-09", "2021-09"),
    }
    offices = {s.number: s.offices for s in first.steps.all()}
    assert offices == {
        1: ["fao"],
        2: ["sdo", "seo", "fao"],
        3: ["fao"],
        4: ["fao", "city"],
        5: ["sdo", "seo"],
        6: ["city"],
        7: ["bma", "city"],
        8: ["fao"],
    }


def test_planning_creates_sessions_with_the_default_agenda(fao_user):
    year = programme_year_plan(fiscal_year=2564, vendors_per_session=5, acting_user=fao_user)
    assert year.target_sessions == 3 and year.vendors_per_session == 5
    session = year.sessions.get(number=1)
    assert [i.title_en for i in session.agenda.all()] == [
        "Introductions of the participants of each side",
        "Vendors present their Bangkok Brand products; the sister cities ask about buying them",
        "Summary and exchange of contact details",
    ]
    assert AgendaItem.objects.filter(session__year=year).count() == 9
    assert WorkPlanStep.objects.filter(session__year=year).count() == 8 + 5 + 5


def test_a_year_is_planned_once(fao_user):
    programme_year_plan(fiscal_year=2564, acting_user=fao_user)
    with pytest.raises(ValidationError) as error:
        programme_year_plan(fiscal_year=2564, acting_user=fao_user)
    assert error.value.messages == ["FY 2564 is already planned."]


def test_overdue_is_after_the_last_day_of_the_due_month(fao_user):
    year = programme_year_plan(fiscal_year=2564, acting_user=fao_user)
    step = year.sessions.get(number=1).steps.get(number=3)  # due November 2020
    assert not step.is_overdue(dt.date(2020, 11, 30))
    assert step.is_overdue(dt.date(2020, 12, 1))
    # Step 3 ticks from its records (the approval and the order), never by hand.
    workplan_set_from_record(
        session=step.session, number=3, done=True, acting_user=fao_user, note="approval and order"
    )
    step.refresh_from_db()
    assert not step.is_overdue(dt.date(2020, 12, 1))


@pytest.mark.parametrize(
    ("role", "number", "allowed"),
    [
        (Role.FAO, 4, True),
        (Role.FAO, 5, True),
        (Role.SDO, 5, True),
        # Step 2 (the working group) ticks from its record: tests/documents/test_register.py.
        (Role.SDO, 4, False),
        (Role.SEO, 5, True),
        (Role.SEO, 7, True),
        (Role.SEO, 8, False),
        (Role.EXECUTIVE, 8, False),
        (Role.EXECUTIVE, 5, False),
    ],
)
def test_the_responsible_office_ticks_a_step_off(role, number, allowed, make_user, fao_user):
    year = programme_year_plan(fiscal_year=2564, acting_user=fao_user)
    step = year.sessions.get(number=1).steps.get(number=number)
    user = make_user(role)
    if not allowed:
        with pytest.raises(PermissionDenied) as error:
            workplan_step_tick(step_id=step.pk, acting_user=user)
        assert str(error.value) == "Only the responsible office can tick off this step."
        return
    workplan_step_tick(step_id=step.pk, note="done in the meeting", acting_user=user)
    step.refresh_from_db()
    assert step.done_by == user and step.done_at is not None
    assert step.note == "done in the meeting"
    assert step.history.first().history_user == user


def test_a_step_is_ticked_once_and_can_be_reopened(fao_user):
    year = programme_year_plan(fiscal_year=2564, acting_user=fao_user)
    step = year.sessions.get(number=1).steps.get(number=4)
    workplan_step_tick(step_id=step.pk, acting_user=fao_user)
    with pytest.raises(ValidationError) as error:
        workplan_step_tick(step_id=step.pk, acting_user=fao_user)
    assert error.value.messages == ["This step was already ticked off."]
    workplan_step_reopen(step_id=step.pk, acting_user=fao_user)
    step.refresh_from_db()
    assert step.done_at is None and step.done_by is None


def test_open_steps_follow_a_session_moved_to_another_month(fao_user):
    fiscal_year = next_fiscal_year()
    year = programme_year_plan(fiscal_year=fiscal_year, acting_user=fao_user)
    session = year.sessions.get(number=2)  # May
    done = session.steps.get(number=4)
    workplan_step_tick(step_id=done.pk, acting_user=fao_user)
    june = ce_year_of(fiscal_year, 6)
    session_reschedule(
        session_id=session.pk,
        starts_at=bangkok(june, 6, 16, 9),
        ends_at=bangkok(june, 6, 16, 11),
        acting_user=fao_user,
    )
    steps = months(session)
    assert steps[7] == (f"{june}-06", f"{june}-06")
    assert steps[5] == (f"{june}-05", f"{june}-05")
    assert steps[6] == (f"{june}-03", f"{june}-05")
    # A step already done keeps its months.
    assert steps[4] == (f"{june}-02", f"{june}-02")
