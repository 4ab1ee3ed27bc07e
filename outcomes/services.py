"""Every write to outcome submissions: periods, submissions and their lines, the review,
and the KPI snapshots. Each service names the acting user (None for the vendor's link
and for scheduled runs) so that the history records who changed what."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.audit import save_audited
from core.fiscal import FiscalHalf
from core.queue import Dispatch, all_of, enqueue_on_commit
from meetings.models import ProgrammeYear, ShortlistEntry
from vendors.models import Vendor

from . import policy
from .kpi import KpiFigures, held_session_q, kpi_compute
from .lines import ContactInput, OrderInput, apply_lines, validate_lines
from .models import (
    Contact,
    KpiSnapshot,
    OrderLine,
    OutcomeTally,
    RecomputeRequest,
    ReportingPeriod,
    Submission,
)

__all__ = [
    "ContactInput",
    "KpiFigures",
    "OrderInput",
    "kpi_compute",
    "kpi_recompute_request",
    "kpi_snapshot_create",
    "reporting_period_ensure",
    "reporting_period_update",
    "submission_accept",
    "submission_create",
    "submission_reopen",
    "submission_return",
    "submission_save_lines",
    "submission_submit",
]


# --- Reporting periods -------------------------------------------------------------------


@transaction.atomic
def reporting_period_ensure(*, half: FiscalHalf, acting_user: User | None) -> ReportingPeriod:
    """The period of a fiscal half, created with the default due and lock dates if new."""
    period = ReportingPeriod.objects.filter(fiscal_year=half.fiscal_year, half=half.half).first()
    if period is not None:
        return period
    period = ReportingPeriod(
        fiscal_year=half.fiscal_year,
        half=half.half,
        due_on=ReportingPeriod.default_due_on(half),
        locked_on=ReportingPeriod.default_locked_on(half),
    )
    try:
        with transaction.atomic():
            save_audited(period, acting_user=acting_user)
    except IntegrityError:  # created meanwhile by another request
        return ReportingPeriod.objects.get(fiscal_year=half.fiscal_year, half=half.half)
    return period


@transaction.atomic
def reporting_period_update(
    *, period: ReportingPeriod, due_on: dt.date, locked_on: dt.date, acting_user: User
) -> ReportingPeriod:
    if locked_on < due_on:
        raise ValidationError(
            {"locked_on": _("The lock date cannot come before the due date.")}, code="lock"
        )
    period.due_on = due_on
    period.locked_on = locked_on
    save_audited(period, acting_user=acting_user)
    return period


# --- Submissions ----------------------------------------------------------------------------


@transaction.atomic
def submission_create(
    *,
    vendor: Vendor,
    half: FiscalHalf,
    acting_user: User | None,
    entered_via: str = Submission.EnteredVia.FORM,
) -> Submission:
    period = reporting_period_ensure(half=half, acting_user=acting_user)
    if not policy.can_create_in(period, acting_user):
        raise ValidationError(
            _("%(period)s is locked: only the Foreign Affairs Office may add a submission to it.")
            % {"period": period.label},
            code="locked",
        )
    exists = ValidationError(
        _("%(vendor)s already has a submission for %(period)s.")
        % {"vendor": vendor, "period": period.label},
        code="exists",
    )
    if Submission.objects.filter(vendor=vendor, period=period).exists():
        raise exists
    submission = Submission(
        vendor=vendor,
        period=period,
        entered_via=entered_via,
        created_by=acting_user if acting_user and acting_user.is_authenticated else None,
    )
    try:
        with transaction.atomic():
            save_audited(submission, acting_user=acting_user, reason=gettext_noop("created"))
    except IntegrityError:
        # Someone created it between the check and the write (a double click, two people).
        raise exists from None
    return submission


def _locked_submission(submission: Submission) -> Submission:
    """The submission re-read under its row lock: its state is checked and changed
    only by the request that holds it."""
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("period", "vendor")
        .get(pk=submission.pk)
    )


@transaction.atomic
def submission_save_lines(
    *,
    submission: Submission,
    contacts: Sequence[ContactInput],
    orders: Sequence[OrderInput],
    acting_user: User | None,
    entered_via: str = Submission.EnteredVia.FORM,
    replace: bool = False,
    notes: str | None = None,
    by_vendor: bool = False,
) -> Submission:
    """Write the contacts and orders of a submission in one transaction.

    Lines with an `id` change that line; with `delete` they remove it; without an id they
    are added. `replace` (an uploaded form) removes every existing line first. A vendor
    filling in its link passes `by_vendor=True` and no user."""
    submission = _locked_submission(submission)
    allowed = (
        policy.vendor_can_edit(submission)
        if by_vendor
        else policy.can_edit(submission, acting_user)
    )
    if not allowed:
        raise ValidationError(_("This submission can no longer be changed."), code="locked")
    errors = validate_lines(submission, contacts, orders)
    if errors:
        raise ValidationError(errors, code="lines")
    apply_lines(Contact, submission, contacts, replace=replace, acting_user=acting_user)
    apply_lines(OrderLine, submission, orders, replace=replace, acting_user=acting_user)
    submission.entered_via = entered_via
    if notes is not None:
        submission.notes = notes
    if by_vendor:
        submission.vendor_filled_at = timezone.now()
    save_audited(
        submission,
        acting_user=acting_user,
        reason=gettext_noop("filled in by the vendor") if by_vendor else "",
    )
    return submission


@transaction.atomic
def submission_submit(*, submission: Submission, acting_user: User) -> Submission:
    submission = _locked_submission(submission)
    if not policy.can_submit(submission, acting_user):
        if submission.status not in Submission.EDITABLE:
            raise ValidationError(_("Only a draft or returned submission can be submitted."))
        raise ValidationError(
            _("The period is locked: only FAO may change this submission now."), code="locked"
        )
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_by = acting_user
    submission.submitted_at = timezone.now()
    save_audited(submission, acting_user=acting_user, reason=gettext_noop("submitted to FAO"))
    from .staff_messages import submission_submitted_notify

    submission_submitted_notify(submission=submission, acting_user=acting_user)
    return submission


def _participant_year_ids(vendor_id: int) -> list[int]:
    return list(
        ShortlistEntry.objects.filter(vendor_id=vendor_id, attended=True)
        .filter(held_session_q("session__"))
        .values_list("session__year_id", flat=True)
        .distinct()
    )


def _recompute_after_commit(submission: Submission, trigger: str, acting_user: User) -> Dispatch:
    """Owe a KPI run for each year the vendor took part in, and a refresh of the
    statistics of the submission's fiscal year, and announce them after commit. With the
    broker down the requests stay open and the sweep announces them again."""
    dispatches = [
        _kpi_request(year_id, trigger, acting_user)
        for year_id in _participant_year_ids(submission.vendor_id)
    ]
    dispatches.append(_tallies_request(submission.period.fiscal_year, trigger, acting_user))
    return all_of("outcomes.recompute", dispatches)


def _kpi_request(year_id: int, trigger: str, acting_user: User | None) -> Dispatch:
    from .tasks import compute_kpi

    user_id = acting_user.pk if acting_user else None
    RecomputeRequest.objects.create(
        kind=RecomputeRequest.Kind.KPI, year_id=year_id, trigger=trigger, requested_by_id=user_id
    )
    return enqueue_on_commit(compute_kpi, year_id, trigger, user_id)


def _tallies_request(fiscal_year: int, trigger: str, acting_user: User | None) -> Dispatch:
    from .tasks import refresh_outcome_tallies

    RecomputeRequest.objects.create(
        kind=RecomputeRequest.Kind.TALLIES,
        fiscal_year=fiscal_year,
        trigger=trigger,
        requested_by_id=acting_user.pk if acting_user else None,
    )
    return enqueue_on_commit(refresh_outcome_tallies, fiscal_year)


def recompute_requests_pending() -> list[tuple]:
    """Requests still open a while after they were made: announce them again, once per
    year (core.queue's sweep)."""
    from .tasks import compute_kpi, refresh_outcome_tallies

    now = timezone.now()
    open_requests = RecomputeRequest.objects.filter(
        done_at__isnull=True,
        requested_at__lt=now - dt.timedelta(minutes=2),
        requested_at__gt=now - dt.timedelta(days=1),
    ).order_by("-requested_at")
    pending: dict[tuple, tuple] = {}
    for r in open_requests:
        if r.kind == RecomputeRequest.Kind.KPI:
            pending.setdefault(
                ("kpi", r.year_id), (compute_kpi, (r.year_id, r.trigger, r.requested_by_id))
            )
        else:
            pending.setdefault(
                ("tallies", r.fiscal_year), (refresh_outcome_tallies, (r.fiscal_year,))
            )
    return list(pending.values())


@transaction.atomic
def submission_accept(*, submission: Submission, acting_user: User) -> tuple[Submission, Dispatch]:
    submission = _locked_submission(submission)
    if not policy.can_review(submission, acting_user):
        raise ValidationError(_("Only a submitted submission can be accepted."), code="state")
    submission.status = Submission.Status.ACCEPTED
    submission.return_reason = ""
    submission.reviewed_by = acting_user
    submission.reviewed_at = timezone.now()
    save_audited(submission, acting_user=acting_user, reason=gettext_noop("accepted"))
    dispatch = _recompute_after_commit(
        submission, KpiSnapshot.Trigger.SUBMISSION_ACCEPTED, acting_user
    )
    return submission, dispatch


@transaction.atomic
def submission_return(*, submission: Submission, reason: str, acting_user: User) -> Submission:
    """FAO sends a submitted submission back to SDO with the reason."""
    submission = _locked_submission(submission)
    if not policy.can_review(submission, acting_user):
        raise ValidationError(_("Only a submitted submission can be returned."), code="state")
    return _return(submission, reason, acting_user)


@transaction.atomic
def submission_reopen(
    *, submission: Submission, reason: str, acting_user: User
) -> tuple[Submission, Dispatch]:
    """FAO returns an accepted submission to SDO; its contacts stop counting at once."""
    submission = _locked_submission(submission)
    if not policy.can_reopen(submission, acting_user):
        raise ValidationError(_("Only an accepted submission can be reopened."), code="state")
    submission = _return(submission, reason, acting_user)
    dispatch = _recompute_after_commit(
        submission, KpiSnapshot.Trigger.SUBMISSION_REOPENED, acting_user
    )
    return submission, dispatch


def _return(submission: Submission, reason: str, acting_user: User) -> Submission:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the submission goes back to SDO.")}, code="reason"
        )
    submission.status = Submission.Status.RETURNED
    submission.return_reason = reason
    submission.reviewed_by = acting_user
    submission.reviewed_at = timezone.now()
    save_audited(submission, acting_user=acting_user, reason=gettext_noop("returned to SDO"))
    from .vendor_messages import submission_returned_notify

    submission_returned_notify(submission=submission, acting_user=acting_user)
    from .staff_messages import submission_returned_staff_notify

    submission_returned_staff_notify(submission=submission, acting_user=acting_user)
    return submission


# --- Statistics tallies -------------------------------------------------------------------


@transaction.atomic
def outcome_tallies_refresh(*, fiscal_year: int) -> int:
    """Add up the accepted submissions of a fiscal year again and replace its tallies.
    Refreshes of one year queue up on its periods' row locks."""
    from .figures import statistics_compute

    list(ReportingPeriod.objects.select_for_update().filter(fiscal_year=fiscal_year))
    # Requests visible now were committed with their change, which this run sees.
    answered = list(
        RecomputeRequest.objects.filter(
            kind=RecomputeRequest.Kind.TALLIES, fiscal_year=fiscal_year, done_at__isnull=True
        ).values_list("pk", flat=True)
    )
    rows = statistics_compute([fiscal_year])
    now = timezone.now()
    OutcomeTally.objects.filter(fiscal_year=fiscal_year).delete()
    OutcomeTally.objects.bulk_create(
        OutcomeTally(
            fiscal_year=r.fiscal_year,
            half=r.half,
            city_id=r.city_id,
            category_id=r.category_id,
            contacts=r.contacts,
            buying_contacts=r.buying_contacts,
            products_contacted=r.products_contacted,
            orders=r.orders,
            products_ordered=r.products_ordered,
            value_thb=r.value_thb,
            computed_at=now,
        )
        for r in rows
    )
    RecomputeRequest.objects.filter(pk__in=answered).update(done_at=now)
    return len(rows)


# --- KPI ---------------------------------------------------------------------------------


@transaction.atomic
def kpi_recompute_request(*, year: ProgrammeYear, acting_user: User) -> Dispatch:
    """Owe a KPI run for a programme year (FAO's "recompute now") and announce it."""
    return _kpi_request(year.pk, KpiSnapshot.Trigger.MANUAL, acting_user)


@transaction.atomic
def kpi_snapshot_create(
    *, year: ProgrammeYear, trigger: str, acting_user: User | None = None
) -> KpiSnapshot:
    """Compute the KPI of a programme year and store it. Runs of the same year queue up on
    the year's row lock, so the latest snapshot always saw the latest accepted data."""
    year = ProgrammeYear.objects.select_for_update().get(pk=year.pk)
    # Requests visible now were committed with their change, which this run sees.
    answered = list(
        RecomputeRequest.objects.filter(
            kind=RecomputeRequest.Kind.KPI, year=year, done_at__isnull=True
        ).values_list("pk", flat=True)
    )
    figures = kpi_compute(year=year)
    # kpi_compute always stamps the time; the field is optional only on the dataclass.
    assert figures.computed_at is not None
    RecomputeRequest.objects.filter(pk__in=answered).update(done_at=figures.computed_at)
    return KpiSnapshot.objects.create(
        year=year,
        participants=figures.participants,
        achieved=figures.achieved,
        percent=figures.percent,
        target_percent=figures.target_percent,
        sessions_held=figures.sessions_held,
        target_sessions=figures.target_sessions,
        reports_delivered=figures.reports_delivered,
        target_reports=figures.target_reports,
        inputs=figures.inputs,
        trigger=trigger,
        requested_by=acting_user if acting_user and acting_user.is_authenticated else None,
        computed_at=figures.computed_at,
        duration_ms=figures.duration_ms,
    )
