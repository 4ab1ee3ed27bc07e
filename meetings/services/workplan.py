"""The work plan: the source's eight steps for each session, and their tick-off."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.audit import save_audited

from ..access import can_tick_step
from ..models import (
    FIRST_SESSION_ONLY_STEPS,
    RECORD_DRIVEN_STEPS,
    STEP_OFFICES,
    Session,
    WorkPlanStep,
)
from ..months import session_month, step_months


def workplan_create_for_session(*, session: Session, acting_user: User | None):
    """The steps of one session: 1–3 belong to the year's first session only."""
    held_in = session_month(session)
    fy_first_day = session.year.fiscal.first_day
    numbers = range(1, 9) if session.number == 1 else range(4, 9)
    steps = []
    for number in numbers:
        if session.steps.filter(number=number).exists():
            continue
        start, due = step_months(number, held_in, fy_first_day)
        step = WorkPlanStep(
            session=session,
            number=number,
            offices=[str(o) for o in STEP_OFFICES[number]],
            starts_on=start,
            due_on=due,
        )
        save_audited(step, acting_user=acting_user)
        steps.append(step)
    return steps


def workplan_follow_session(*, session: Session, acting_user: User | None) -> int:
    """After a session moves to another month, its open steps move with it."""
    held_in = session_month(session)
    fy_first_day = session.year.fiscal.first_day
    moved = 0
    for step in session.steps.filter(done_at__isnull=True).exclude(
        number__in=FIRST_SESSION_ONLY_STEPS
    ):
        start, due = step_months(step.number, held_in, fy_first_day)
        if (start, due) != (step.starts_on, step.due_on):
            step.starts_on, step.due_on = start, due
            save_audited(
                step,
                acting_user=acting_user,
                reason="session moved",
                update_fields=["starts_on", "due_on"],
            )
            moved += 1
    return moved


RECORD_DRIVEN_MESSAGE = _lazy(
    "This step ticks itself from the records of the official documents: the approval memo, "
    "the working group, the approval and the order."
)


@transaction.atomic
def workplan_step_tick(*, step_id: int, note: str = "", acting_user: User) -> WorkPlanStep:
    step = WorkPlanStep.objects.select_for_update().select_related("session").get(pk=step_id)
    if not can_tick_step(acting_user, step.offices):
        raise PermissionDenied(_("Only the responsible office can tick off this step."))
    if step.number in RECORD_DRIVEN_STEPS:
        raise ValidationError(RECORD_DRIVEN_MESSAGE)
    if step.done_at is not None:
        raise ValidationError(_("This step was already ticked off."))
    step.done_at = timezone.now()
    step.done_by = acting_user
    step.note = note[:500]
    save_audited(step, acting_user=acting_user, update_fields=["done_at", "done_by", "note"])
    return step


@transaction.atomic
def workplan_step_reopen(*, step_id: int, acting_user: User) -> WorkPlanStep:
    step = WorkPlanStep.objects.select_for_update().get(pk=step_id)
    if not can_tick_step(acting_user, step.offices):
        raise PermissionDenied(_("Only the responsible office can tick off this step."))
    if step.number in RECORD_DRIVEN_STEPS:
        raise ValidationError(RECORD_DRIVEN_MESSAGE)
    step.done_at = None
    step.done_by = None
    save_audited(
        step, acting_user=acting_user, reason="reopened", update_fields=["done_at", "done_by"]
    )
    return step


def workplan_tick_automatically(
    *, session: Session, number: int, acting_user: User | None, note: str
) -> None:
    """A status change that completes a step (city invited → step 4, held → 7,
    reported → 8) ticks it off in the name of whoever made the change."""
    step = session.steps.filter(number=number, done_at__isnull=True).first()
    if step is None:
        return
    step.done_at = timezone.now()
    step.done_by = acting_user
    step.note = note
    save_audited(step, acting_user=acting_user, update_fields=["done_at", "done_by", "note"])


def workplan_set_from_record(
    *, session: Session, number: int, done: bool, acting_user: User | None, note: str
) -> bool:
    """Steps 1–3 follow their records: ticked when the record is complete, open again
    when it no longer is. Returns whether the step changed."""
    step = session.steps.select_for_update().filter(number=number).first()
    if step is None or (step.done_at is not None) == done:
        return False
    step.done_at = timezone.now() if done else None
    step.done_by = acting_user if done else None
    step.note = note[:500]
    save_audited(
        step,
        acting_user=acting_user,
        reason=note[:100],
        update_fields=["done_at", "done_by", "note"],
    )
    return True
