"""Versions, idempotent rendering, failures, delivery, the PDCA evaluation and the actions
one session carries into the next."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from meetings.models import Session
from reports import rendering, services
from reports.models import EvaluationAction, ReportGeneration
from reports.pdf import RenderedPdf, ReportRenderError
from reports.selectors import carried_actions_for, carried_into_next_year
from reports.services import (
    ActionInput,
    FindingInput,
    evaluation_save,
    report_generation_deliver,
    report_generation_request,
    report_generation_run,
    report_generations_pending,
)
from reports.tasks import render_report

from ..factories import (
    EvaluationActionFactory,
    ProgrammeYearFactory,
    SessionEvaluationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def request(held, **kwargs):
    kwargs.setdefault("language", "th")
    kwargs.setdefault("acting_user", None)
    generation, _ = report_generation_request(
        kind="session", session=held.session, enqueue=False, **kwargs
    )
    return generation


def test_each_generation_is_a_new_version_and_old_ones_are_kept(held_session, fao_user):
    first = request(held_session, acting_user=fao_user)
    report_generation_run(generation_id=first.pk)
    second = request(held_session, language="en", acting_user=fao_user)
    report_generation_run(generation_id=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.status == second.status == ReportGeneration.Status.DONE
    assert first.file.name != second.file.name
    assert first.sha256 != second.sha256
    assert (first.language, second.language) == ("th", "en")
    assert first.requested_by == fao_user
    # The annual report of the same year numbers its own versions.
    annual, _ = report_generation_request(
        kind="annual",
        year=held_session.session.year,
        language="th",
        acting_user=None,
        enqueue=False,
    )
    assert annual.version == 1


def test_thai_digits_only_apply_to_a_thai_report(held_session):
    assert request(held_session, language="en", thai_digits=True).thai_digits is False
    assert request(held_session, language="th", thai_digits=True).thai_digits is True


def test_a_session_not_held_gets_no_report(db):
    session = SessionFactory(status=Session.Status.SCHEDULED)
    with pytest.raises(ValidationError) as error:
        report_generation_request(kind="session", session=session, language="th", acting_user=None)
    assert error.value.messages == ["A report is made only for a session that has been held."]
    with translation.override("th"), pytest.raises(ValidationError) as error:
        report_generation_request(kind="session", session=session, language="th", acting_user=None)
    assert error.value.messages == ["จัดทำรายงานได้เฉพาะการประชุมที่จัดขึ้นแล้วเท่านั้น"]
    assert not ReportGeneration.objects.exists()


def test_a_retried_task_adds_no_version_and_keeps_the_file(held_session):
    generation = request(held_session)
    assert render_report.apply(args=[generation.pk]).get() == "done"
    generation.refresh_from_db()
    name, checksum = generation.file.name, generation.sha256
    assert render_report.apply(args=[generation.pk]).get() == "done"
    generation.refresh_from_db()
    assert ReportGeneration.objects.count() == 1
    assert (generation.file.name, generation.sha256, generation.attempts) == (name, checksum, 1)


def test_of_two_runs_racing_the_first_to_finish_is_kept(held_session):
    generation = request(held_session)
    services._claim(generation.pk)
    services._claim(generation.pk)  # a redelivered task starts it again
    first = RenderedPdf(content=b"%PDF-first", page_count=1, fonts=[])
    second = RenderedPdf(content=b"%PDF-second", page_count=1, fonts=[])
    services._store(generation.pk, first, [])
    kept = services._store(generation.pk, second, [])
    assert kept.sha256 == first.sha256
    with kept.file.open("rb") as handle:
        assert handle.read() == b"%PDF-first"
    assert kept.attempts == 2


def test_a_report_that_cannot_be_made_fails_with_its_reason(held_session, monkeypatch):
    def broken(**kwargs):
        raise ReportRenderError("ValueError: image is broken")

    monkeypatch.setattr(rendering, "render", broken)
    generation = request(held_session, language="en")
    assert render_report.apply(args=[generation.pk]).get() == "failed"
    generation.refresh_from_db()
    assert generation.status == ReportGeneration.Status.FAILED
    assert generation.error == "The PDF could not be made: ValueError: image is broken"
    assert generation.file.name == ""
    thai = request(held_session, language="th")
    render_report.apply(args=[thai.pk])
    thai.refresh_from_db()
    assert thai.error == "จัดทำไฟล์ PDF ไม่สำเร็จ: ValueError: image is broken"


def test_an_unexpected_error_in_process_fails_the_row_rather_than_hiding(held_session, monkeypatch):
    def disk_full(**kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(rendering, "render", disk_full)
    generation = request(held_session, language="en")
    assert render_report.apply(args=[generation.pk]).get() == "failed"
    generation.refresh_from_db()
    assert generation.status == ReportGeneration.Status.FAILED
    assert generation.error == "The report could not be made: No space left on device"


def test_work_left_waiting_is_announced_again(held_session):
    fresh = request(held_session)
    stale = request(held_session)
    ReportGeneration.objects.filter(pk=stale.pk).update(
        requested_at=timezone.now() - dt.timedelta(minutes=10)
    )
    pending = report_generations_pending()
    assert [(task.name, args) for task, args in pending] == [
        ("reports.tasks.render_report", (stale.pk,))
    ]
    assert fresh.pk not in [args[0] for _, args in pending]


def test_delivering_a_report_marks_the_session_reported(held_session, fao_user):
    generation = request(held_session)
    report_generation_run(generation_id=generation.pk)
    generation.refresh_from_db()
    report_generation_deliver(generation=generation, acting_user=fao_user)
    generation.refresh_from_db()
    held_session.session.refresh_from_db()
    assert generation.delivered_by == fao_user and generation.delivered_at is not None
    assert held_session.session.status == Session.Status.REPORTED


def test_an_unfinished_report_cannot_be_delivered(held_session, fao_user):
    generation = request(held_session)
    with pytest.raises(ValidationError) as error:
        report_generation_deliver(generation=generation, acting_user=fao_user)
    assert error.value.messages == ["Only a finished session report can be delivered."]


def test_evaluation_save_replaces_findings_and_actions(held_session, fao_user):
    evaluation = evaluation_save(
        session=held_session.session,
        plan_th="แผนใหม่",
        did_th="สิ่งที่เกิดขึ้น",
        findings=[FindingInput(problem_th="ล่าม ไม่พร้อม", cause_th="แจ้งล่าช้า")],
        actions=[
            ActionInput(action_th="จองล่ามล่วงหน้า 2 สัปดาห์", responsible="สกต."),
            ActionInput(action_th="ส่งรายชื่อผู้เข้าร่วมก่อน 3 วัน"),
        ],
        acting_user=fao_user,
    )
    assert evaluation.plan_th == "แผนใหม่"
    assert [f.problem_th for f in evaluation.findings.all()] == ["ล่าม ไม่พร้อม"]
    assert [(a.position, a.action_th) for a in evaluation.actions.all()] == [
        (1, "จองล่ามล่วงหน้า 2 สัปดาห์"),
        (2, "ส่งรายชื่อผู้เข้าร่วมก่อน 3 วัน"),
    ]
    assert evaluation.history.first().history_user == fao_user


def test_evaluation_needs_the_plan_and_what_happened_in_thai(held_session, fao_user):
    with pytest.raises(ValidationError) as error:
        evaluation_save(
            session=held_session.session,
            plan_th=" ",
            did_th="x",
            findings=[],
            actions=[],
            acting_user=fao_user,
        )
    assert error.value.messages == ["Write what was planned and what happened, in Thai."]


def test_the_next_session_carries_the_previous_actions(held_session):
    upcoming = SessionFactory(year=held_session.session.year, number=3)
    actions = carried_actions_for(session=upcoming)
    assert [a.action_th for a in actions] == ["ให้ผู้ประกอบการนำเสนอจากห้องประชุมของ สยป."]
    assert actions[0].evaluation.session == held_session.session
    # Session 2 carries what session 1's evaluation asked for.
    assert [a.action_th for a in carried_actions_for(session=held_session.session)] == [
        "ทดสอบระบบภาพและเสียงล่วงหน้าหนึ่งสัปดาห์"
    ]


def test_carried_actions_cross_the_fiscal_year_and_skip_cancelled_sessions(db):
    last_year = ProgrammeYearFactory(fiscal_year=2568)
    year = ProgrammeYearFactory(fiscal_year=2569)
    held = SessionFactory(year=last_year, number=3, status=Session.Status.REPORTED)
    EvaluationActionFactory(evaluation=SessionEvaluationFactory(session=held), action_th="ก")
    SessionFactory(
        year=year, number=1, status=Session.Status.CANCELLED, cancel_reason="city declined"
    )
    second = SessionFactory(year=year, number=2)
    assert [a.action_th for a in carried_actions_for(session=second)] == ["ก"]
    assert [a.action_th for a in carried_into_next_year(year=last_year)] == ["ก"]
    assert carried_actions_for(session=held) == []


def test_no_carried_actions_when_the_previous_session_has_no_evaluation(db):
    year = ProgrammeYearFactory(fiscal_year=2569)
    SessionFactory(year=year, number=1, status=Session.Status.HELD)
    assert carried_actions_for(session=SessionFactory(year=year, number=2)) == []
    assert EvaluationAction.objects.count() == 0


def test_a_render_whose_worker_fell_silent_is_reclaimed_within_minutes(held_session, settings):
    """A worker killed mid-render leaves the row RENDERING. Its heartbeat stops, and once
    it is WORK_STALL_SECONDS old the sweep announces the row again, long before Redis's
    visibility timeout (an hour) would."""
    silent = request(held_session)
    alive = request(held_session)
    now = timezone.now()
    ReportGeneration.objects.filter(pk=silent.pk).update(
        status=ReportGeneration.Status.RENDERING,
        started_at=now - dt.timedelta(minutes=5),
        heartbeat_at=now - dt.timedelta(seconds=settings.WORK_STALL_SECONDS + 1),
        requested_at=now - dt.timedelta(minutes=5),
    )
    # A long render whose worker is alive: started long ago, but its heartbeat is fresh.
    ReportGeneration.objects.filter(pk=alive.pk).update(
        status=ReportGeneration.Status.RENDERING,
        started_at=now - dt.timedelta(minutes=12),
        heartbeat_at=now - dt.timedelta(seconds=20),
        requested_at=now - dt.timedelta(minutes=12),
    )
    assert [args for _, args in report_generations_pending()] == [(silent.pk,)]
    # The announcement is safe: the task takes the row over and makes one version.
    assert render_report.apply(args=[silent.pk]).get() == "done"
    silent.refresh_from_db()
    assert (silent.status, silent.attempts) == (ReportGeneration.Status.DONE, 1)
    assert report_generations_pending() == []


@pytest.mark.django_db(transaction=True)  # the heartbeat writes from its own connection
def test_the_heartbeat_stamps_the_row_while_rendering(held_session, settings, monkeypatch):
    import time

    settings.HEARTBEAT_SECONDS = 0.05
    generation = request(held_session)
    real_render = rendering.render
    seen = []

    def slow_render(**kwargs):
        first = ReportGeneration.objects.get(pk=generation.pk).heartbeat_at
        time.sleep(0.5)
        seen.extend([first, ReportGeneration.objects.get(pk=generation.pk).heartbeat_at])
        return real_render(**kwargs)

    monkeypatch.setattr(rendering, "render", slow_render)
    report_generation_run(generation_id=generation.pk)
    assert seen[0] is not None and seen[1] > seen[0]
