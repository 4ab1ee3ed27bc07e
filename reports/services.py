"""Every write of the reports app: FAO's evaluations, report generations and delivery."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import delete_audited, save_audited
from core.heartbeat import beating, stall_cutoff
from core.queue import Dispatch, enqueue_on_commit
from meetings.models import ProgrammeYear, Session

from .models import EvaluationAction, EvaluationFinding, ReportGeneration, SessionEvaluation
from .pdf import ReportRenderError
from .selectors import REPORTABLE_STATUSES

logger = logging.getLogger(__name__)

Status = ReportGeneration.Status
Kind = ReportGeneration.Kind


def _require_held(session: Session) -> None:
    if session.status not in REPORTABLE_STATUSES:
        raise ValidationError(_("A report is made only for a session that has been held."))


# --- Evaluation (PDCA) ---------------------------------------------------------------------


@dataclass(frozen=True)
class FindingInput:
    problem_th: str
    problem_en: str = ""
    cause_th: str = ""
    cause_en: str = ""


@dataclass(frozen=True)
class ActionInput:
    action_th: str
    action_en: str = ""
    responsible: str = ""


@transaction.atomic
def evaluation_save(
    *,
    session: Session,
    plan_th: str,
    plan_en: str = "",
    did_th: str,
    did_en: str = "",
    findings: list[FindingInput],
    actions: list[ActionInput],
    acting_user: User,
) -> SessionEvaluation:
    """Write or rewrite FAO's evaluation of a held session; findings and actions are
    replaced by the lists given, in their order."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    _require_held(session)
    if not plan_th.strip() or not did_th.strip():
        raise ValidationError(_("Write what was planned and what happened, in Thai."))
    evaluation = SessionEvaluation.objects.filter(session=session).first()
    if evaluation is None:
        evaluation = SessionEvaluation(session=session)
    evaluation.plan_th, evaluation.plan_en = plan_th.strip(), plan_en.strip()
    evaluation.did_th, evaluation.did_en = did_th.strip(), did_en.strip()
    evaluation.updated_by = acting_user
    save_audited(evaluation, acting_user=acting_user)
    for old in list(evaluation.findings.all()) + list(evaluation.actions.all()):
        delete_audited(old, acting_user=acting_user)
    for position, item in enumerate(findings, start=1):
        save_audited(
            EvaluationFinding(
                evaluation=evaluation,
                position=position,
                problem_th=item.problem_th.strip(),
                problem_en=item.problem_en.strip(),
                cause_th=item.cause_th.strip(),
                cause_en=item.cause_en.strip(),
            ),
            acting_user=acting_user,
        )
    for position, action in enumerate(actions, start=1):
        save_audited(
            EvaluationAction(
                evaluation=evaluation,
                position=position,
                action_th=action.action_th.strip(),
                action_en=action.action_en.strip(),
                responsible=action.responsible.strip(),
            ),
            acting_user=acting_user,
        )
    return evaluation


# --- Generation ----------------------------------------------------------------------------


@transaction.atomic
def report_generation_request(
    *,
    kind: str,
    language: str,
    thai_digits: bool = False,
    session: Session | None = None,
    year: ProgrammeYear | None = None,
    acting_user: User | None,
    enqueue: bool = True,
) -> tuple[ReportGeneration, Dispatch | None]:
    """Ask for a new version of a report; the worker renders it after commit (unless
    `enqueue` is False: the caller runs `report_generation_run` itself)."""
    if language not in ReportGeneration.Language.values:
        raise ValidationError(_("Choose Thai or English."))
    if kind == Kind.SESSION:
        if session is None:
            raise ValidationError(_("A session report needs its session."))
        # The session's row lock serialises version numbers of its reports.
        session = Session.objects.select_for_update().select_related("year").get(pk=session.pk)
        _require_held(session)
        year = session.year
        versions = ReportGeneration.objects.filter(kind=kind, session=session)
    elif kind == Kind.ANNUAL:
        if year is None:
            raise ValidationError(_("An annual report needs its programme year."))
        year = ProgrammeYear.objects.select_for_update().get(pk=year.pk)
        session = None
        versions = ReportGeneration.objects.filter(kind=kind, programme_year=year)
    else:
        raise ValidationError(_("Unknown report."))
    latest = versions.aggregate(latest=Max("version"))["latest"] or 0
    generation = ReportGeneration(
        kind=kind,
        programme_year=year,
        session=session,
        version=latest + 1,
        language=language,
        thai_digits=bool(thai_digits) and language == ReportGeneration.Language.THAI,
        requested_by=acting_user if acting_user and acting_user.is_authenticated else None,
    )
    save_audited(generation, acting_user=acting_user)
    if not enqueue:
        return generation, None
    from .tasks import render_report

    return generation, enqueue_on_commit(render_report, generation.pk)


def report_generations_pending() -> list[tuple]:
    """Generations recorded but not started after a while (the broker was down), or
    left RENDERING by a worker that died (no heartbeat for WORK_STALL_SECONDS): announce
    them again (core.queue)."""
    from .tasks import render_report

    now = timezone.now()
    stale = ReportGeneration.objects.filter(
        Q(status=Status.QUEUED, requested_at__lt=now - dt.timedelta(minutes=2))
        | Q(status=Status.RENDERING, heartbeat_at__lt=stall_cutoff(now))
        | Q(status=Status.RENDERING, heartbeat_at=None, started_at__lt=stall_cutoff(now)),
        requested_at__gt=now - dt.timedelta(days=2),
    ).values_list("pk", flat=True)
    return [(render_report, (pk,)) for pk in stale]


class _Progress:
    """Writes progress to the row at most a few times a second, outside any transaction,
    so the page polling it sees it move."""

    def __init__(self, generation_id: int):
        self.generation_id = generation_id
        self.last_write = 0.0
        self.percent, self.stage = 0, ""

    def __call__(self, percent: int, stage: str) -> None:
        now = time.monotonic()
        if percent <= self.percent or (stage == self.stage and now - self.last_write < 0.25):
            return
        self.percent, self.stage, self.last_write = percent, stage, now
        ReportGeneration.objects.filter(pk=self.generation_id, status=Status.RENDERING).update(
            progress=min(percent, 99), stage=stage, heartbeat_at=timezone.now()
        )


def _heartbeat(generation_id: int) -> None:
    ReportGeneration.objects.filter(pk=generation_id, status=Status.RENDERING).update(
        heartbeat_at=timezone.now()
    )


def _claim(generation_id: int) -> ReportGeneration | None:
    with transaction.atomic():
        generation = (
            ReportGeneration.objects.select_for_update(of=("self",))
            .select_related("session", "programme_year", "requested_by")
            .filter(pk=generation_id)
            .first()
        )
        if generation is None or generation.is_finished:
            return None
        # QUEUED, or RENDERING left behind by a worker that died: (re)start it.
        generation.status = Status.RENDERING
        generation.attempts += 1
        generation.started_at = generation.heartbeat_at = timezone.now()
        generation.progress, generation.stage = 5, "collecting"
        save_audited(generation, acting_user=None, reason="rendering")
        return generation


def report_generation_run(*, generation_id: int) -> ReportGeneration | None:
    """Render one generation and store its file. Safe to run again for the same row: a
    finished row is left alone, and of two runs racing, the first to finish is kept.

    A failure of the report itself (ReportRenderError) marks the row FAILED; any other
    exception is raised for the task to retry.
    """
    from . import rendering

    generation = _claim(generation_id)
    if generation is None:
        return ReportGeneration.objects.filter(pk=generation_id).first()
    meta = {
        "version": generation.version,
        "requested_by": (
            generation.requested_by.get_full_name() or generation.requested_by.get_username()
            if generation.requested_by
            else ""
        ),
    }
    try:
        with beating(lambda: _heartbeat(generation.pk)):
            pdf, warnings = rendering.render(
                kind=generation.kind,
                language=generation.language,
                thai_digits=generation.thai_digits,
                session=generation.session,
                year=generation.programme_year,
                meta=meta,
                progress=_Progress(generation.pk),
            )
    except ReportRenderError as exc:
        with translation.override(generation.language):
            reason = _("The PDF could not be made: %(reason)s") % {"reason": exc}
        return report_generation_fail(generation_id=generation.pk, reason=reason)
    ReportGeneration.objects.filter(pk=generation.pk, status=Status.RENDERING).update(
        progress=95, stage="storing"
    )
    return _store(generation.pk, pdf, warnings)


@transaction.atomic
def _store(generation_id: int, pdf, warnings: list[str]) -> ReportGeneration:
    generation = ReportGeneration.objects.select_for_update().get(pk=generation_id)
    if generation.status == Status.DONE:
        return generation  # a parallel run finished first; keep its file
    name = f"{generation.pk}-{generation.download_name}"
    # A run killed after writing the file, before this transaction committed, left it
    # behind; no row names it (this one is not done). Replace it, or the storage would
    # keep it and save this version's file a second time under another name.
    leftover = generation.file.field.generate_filename(generation, name)
    if generation.file.storage.exists(leftover):
        generation.file.storage.delete(leftover)
    generation.file.save(name, ContentFile(pdf.content), save=False)
    generation.sha256 = pdf.sha256
    generation.size_bytes = len(pdf.content)
    generation.page_count = pdf.page_count
    generation.render_seconds = round(pdf.seconds, 3)
    generation.warnings = warnings
    generation.status = Status.DONE
    generation.progress, generation.stage = 100, "done"
    generation.error = ""
    generation.finished_at = timezone.now()
    save_audited(generation, acting_user=None, reason="rendered")
    return generation


@transaction.atomic
def report_generation_fail(*, generation_id: int, reason: str) -> ReportGeneration | None:
    generation = ReportGeneration.objects.select_for_update().filter(pk=generation_id).first()
    if generation is None or generation.status == Status.DONE:
        return generation
    generation.status = Status.FAILED
    generation.error = reason[:2000]
    generation.stage = "failed"
    generation.finished_at = timezone.now()
    save_audited(generation, acting_user=None, reason="failed")
    return generation


@transaction.atomic
def report_generation_retry_later(*, generation_id: int, attempt: int, error: str) -> None:
    """Back to QUEUED after an error that is not the report's fault (the database, the
    disk ...); the task tries again under core.queue's retry policy."""
    generation = ReportGeneration.objects.select_for_update().filter(pk=generation_id).first()
    if generation is None or generation.is_finished:
        return
    with translation.override(generation.language):
        reason = _("Attempt %(attempt)s failed (%(error)s); trying again shortly.") % {
            "attempt": attempt,
            "error": error,
        }
    generation.status = Status.QUEUED
    generation.error = reason[:2000]
    generation.stage = "waiting"
    save_audited(generation, acting_user=None, reason="retry")


def report_generation_give_up(*, generation_id: int, error: str) -> ReportGeneration | None:
    """The task's last try failed on an error that is not the report's fault."""
    language = (
        ReportGeneration.objects.filter(pk=generation_id).values_list("language", flat=True).first()
    )
    with translation.override(language or "en"):
        reason = _("The report could not be made: %(error)s") % {"error": error}
    return report_generation_fail(generation_id=generation_id, reason=reason)


# --- Delivery ------------------------------------------------------------------------------


@transaction.atomic
def report_generation_deliver(
    *, generation: ReportGeneration, acting_user: User
) -> ReportGeneration:
    """FAO hands a finished session report to the executives: the version is marked
    delivered and the session moves to REPORTED (the output indicator counts it)."""
    generation = (
        ReportGeneration.objects.select_for_update(of=("self",))
        .select_related("session")
        .get(pk=generation.pk)
    )
    session = generation.session  # a session report always has its session
    if generation.kind != Kind.SESSION or generation.status != Status.DONE or session is None:
        raise ValidationError(_("Only a finished session report can be delivered."))
    if generation.delivered_at is None:
        generation.delivered_at = timezone.now()
        generation.delivered_by = acting_user
        save_audited(generation, acting_user=acting_user, reason="delivered")
        from .staff_messages import report_delivered_notify

        report_delivered_notify(generation=generation, acting_user=acting_user)
    if generation.session.status == Session.Status.HELD:
        from meetings.services.sessions import session_mark_reported

        session_mark_reported(session_id=session.pk, acting_user=acting_user)
    return generation
