"""Every write to outcome submissions: periods, submissions and their lines, the review,
and the KPI snapshots. Each service names the acting user (None for the vendor's link
and for scheduled runs) so that the history records who changed what."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.audit import delete_audited, save_audited
from core.fiscal import BANGKOK, FiscalHalf
from core.queue import enqueue_on_commit
from core.thai import format_date
from meetings.models import ProgrammeYear, Session, ShortlistEntry
from vendors.models import Product, Vendor

from . import policy
from .kpi import KpiFigures, held_session_q, kpi_compute
from .models import (
    Contact,
    KpiSnapshot,
    OrderLine,
    OutcomeTally,
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

User = AbstractBaseUser


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
    if Submission.objects.filter(vendor=vendor, period=period).exists():
        raise ValidationError(
            _("%(vendor)s already has a submission for %(period)s.")
            % {"vendor": vendor, "period": period.label},
            code="exists",
        )
    submission = Submission(
        vendor=vendor,
        period=period,
        entered_via=entered_via,
        created_by=acting_user if acting_user and acting_user.is_authenticated else None,
    )
    save_audited(submission, acting_user=acting_user, reason=gettext_noop("created"))
    return submission


@dataclass
class ContactInput:
    """One contact line as a form or an uploaded row gives it. `id` names an existing
    line of the submission to change (or, with `delete`, to remove)."""

    city_id: int
    counterpart_name: str
    counterpart_kind: str
    direction: str
    contacted_on: dt.date
    channel: str
    about_buying: bool = False
    counterpart_organisation: str = ""
    session_id: int | None = None
    product_id: int | None = None
    notes: str = ""
    id: int | None = None
    delete: bool = False

    FIELDS = (
        "city_id",
        "counterpart_name",
        "counterpart_kind",
        "direction",
        "contacted_on",
        "channel",
        "about_buying",
        "counterpart_organisation",
        "session_id",
        "product_id",
        "notes",
    )

    @classmethod
    def removal(cls, pk: int) -> ContactInput:
        return cls(
            id=pk,
            delete=True,
            city_id=0,
            counterpart_name="",
            counterpart_kind="",
            direction="",
            contacted_on=dt.date.min,
            channel="",
        )


@dataclass
class OrderInput:
    product_id: int
    city_id: int
    quantity: object
    unit: str
    value_thb: object
    ordered_on: dt.date
    notes: str = ""
    id: int | None = None
    delete: bool = False

    FIELDS = ("product_id", "city_id", "quantity", "unit", "value_thb", "ordered_on", "notes")

    @classmethod
    def removal(cls, pk: int) -> OrderInput:
        return cls(
            id=pk,
            delete=True,
            product_id=0,
            city_id=0,
            quantity=0,
            unit="",
            value_thb=0,
            ordered_on=dt.date.min,
        )


def line_date_error(day: dt.date, period: ReportingPeriod, today: dt.date) -> str | None:
    """Why a contact or order date cannot be reported in this period, or None."""
    if day > today:
        return _("The date is in the future.")
    if day > period.last_day:
        return _("The date is after the end of the reporting period (%(day)s).") % {
            "day": format_date(period.last_day, "j F Y")
        }
    return None


def _validate_lines(
    submission: Submission, contacts: Sequence[ContactInput], orders: Sequence[OrderInput]
) -> list[str]:
    today = policy.today()
    period = submission.period
    product_ids = set(
        Product.objects.filter(vendor_id=submission.vendor_id).values_list("pk", flat=True)
    )
    session_ids = {c.session_id for c in contacts if c.session_id and not c.delete}
    session_days = {
        pk: starts_at.astimezone(BANGKOK).date() if starts_at else None
        for pk, starts_at in Session.objects.filter(pk__in=session_ids).values_list(
            "pk", "starts_at"
        )
    }
    contact_ids = set(submission.contacts.values_list("pk", flat=True))
    order_ids = set(submission.orders.values_list("pk", flat=True))
    errors: list[str] = []
    for number, line in enumerate(contacts, start=1):
        if line.id is not None and line.id not in contact_ids:
            errors.append(_("Contact %(n)s is not part of this submission.") % {"n": number})
            continue
        if line.delete:
            continue
        problem = line_date_error(line.contacted_on, period, today)
        if problem:
            errors.append(_("Contact %(n)s: %(problem)s") % {"n": number, "problem": problem})
        if line.product_id is not None and line.product_id not in product_ids:
            errors.append(
                _("Contact %(n)s: the product is not one of this vendor's products.")
                % {"n": number}
            )
        if line.session_id is not None:
            day = session_days.get(line.session_id)
            if line.session_id not in session_days:
                errors.append(_("Contact %(n)s: the session does not exist.") % {"n": number})
            elif day is not None and line.contacted_on < day:
                errors.append(
                    _("Contact %(n)s is dated before the session it followed from.") % {"n": number}
                )
    for number, line in enumerate(orders, start=1):
        if line.id is not None and line.id not in order_ids:
            errors.append(_("Order %(n)s is not part of this submission.") % {"n": number})
            continue
        if line.delete:
            continue
        problem = line_date_error(line.ordered_on, period, today)
        if problem:
            errors.append(_("Order %(n)s: %(problem)s") % {"n": number, "problem": problem})
        if line.product_id not in product_ids:
            errors.append(
                _("Order %(n)s: the product is not one of this vendor's products.") % {"n": number}
            )
    return errors


def _apply_lines(
    model: type[Contact] | type[OrderLine],
    submission: Submission,
    lines: Sequence[ContactInput] | Sequence[OrderInput],
    *,
    replace: bool,
    acting_user: User | None,
) -> None:
    existing = {obj.pk: obj for obj in model.objects.filter(submission=submission)}
    deleted_ids = {line.id for line in lines if line.id is not None and line.delete}
    for pk, obj in existing.items():
        if replace or pk in deleted_ids:
            delete_audited(obj, acting_user=acting_user)
    for number, line in enumerate(lines, start=1):
        if line.delete:
            continue
        obj = existing.get(line.id) if (line.id is not None and not replace) else None
        if obj is None:
            obj = model(submission=submission)
        for name in line.FIELDS:
            setattr(obj, name, getattr(line, name))
        # Foreign keys were checked against the vendor's products and the forms' choices;
        # the database enforces them as well. This checks choices, lengths and amounts.
        try:
            obj.clean_fields(exclude=["submission", "city", "session", "product"])
        except ValidationError as exc:
            raise ValidationError(
                [
                    f"{model._meta.verbose_name.capitalize()} {number}: "
                    f"{model._meta.get_field(name).verbose_name}: {message}"
                    for name, messages in exc.message_dict.items()
                    for message in messages
                ],
                code="lines",
            ) from exc
        save_audited(obj, acting_user=acting_user)


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
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("period", "vendor")
        .get(pk=submission.pk)
    )
    allowed = (
        policy.vendor_can_edit(submission)
        if by_vendor
        else policy.can_edit(submission, acting_user)
    )
    if not allowed:
        raise ValidationError(_("This submission can no longer be changed."), code="locked")
    errors = _validate_lines(submission, contacts, orders)
    if errors:
        raise ValidationError(errors, code="lines")
    _apply_lines(Contact, submission, contacts, replace=replace, acting_user=acting_user)
    _apply_lines(OrderLine, submission, orders, replace=replace, acting_user=acting_user)
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


def _locked_submission(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("period", "vendor")
        .get(pk=submission.pk)
    )


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
    return submission


def _participant_year_ids(vendor_id: int) -> list[int]:
    return list(
        ShortlistEntry.objects.filter(vendor_id=vendor_id, attended=True)
        .filter(held_session_q("session__"))
        .values_list("session__year_id", flat=True)
        .distinct()
    )


def _recompute_after_commit(submission: Submission, trigger: str, acting_user: User) -> None:
    """Announce a KPI run for each year the vendor took part in, and a refresh of the
    statistics of the submission's fiscal year. With the broker down an announcement is
    lost, and the nightly run brings both up to date."""
    from .tasks import compute_kpi, refresh_outcome_tallies

    user_id = acting_user.pk if acting_user else None
    for year_id in _participant_year_ids(submission.vendor_id):
        enqueue_on_commit(compute_kpi, year_id, trigger, user_id)
    enqueue_on_commit(refresh_outcome_tallies, submission.period.fiscal_year)


@transaction.atomic
def submission_accept(*, submission: Submission, acting_user: User) -> Submission:
    submission = _locked_submission(submission)
    if not policy.can_review(submission, acting_user):
        raise ValidationError(_("Only a submitted submission can be accepted."), code="state")
    submission.status = Submission.Status.ACCEPTED
    submission.return_reason = ""
    submission.reviewed_by = acting_user
    submission.reviewed_at = timezone.now()
    save_audited(submission, acting_user=acting_user, reason=gettext_noop("accepted"))
    _recompute_after_commit(submission, KpiSnapshot.Trigger.SUBMISSION_ACCEPTED, acting_user)
    return submission


@transaction.atomic
def submission_return(*, submission: Submission, reason: str, acting_user: User) -> Submission:
    """FAO sends a submitted submission back to SDO with the reason."""
    submission = _locked_submission(submission)
    if not policy.can_review(submission, acting_user):
        raise ValidationError(_("Only a submitted submission can be returned."), code="state")
    return _return(submission, reason, acting_user)


@transaction.atomic
def submission_reopen(*, submission: Submission, reason: str, acting_user: User) -> Submission:
    """FAO returns an accepted submission to SDO; its contacts stop counting at once."""
    submission = _locked_submission(submission)
    if not policy.can_reopen(submission, acting_user):
        raise ValidationError(_("Only an accepted submission can be reopened."), code="state")
    submission = _return(submission, reason, acting_user)
    _recompute_after_commit(submission, KpiSnapshot.Trigger.SUBMISSION_REOPENED, acting_user)
    return submission


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
    return submission


# --- Statistics tallies -------------------------------------------------------------------


@transaction.atomic
def outcome_tallies_refresh(*, fiscal_year: int) -> int:
    """Add up the accepted submissions of a fiscal year again and replace its tallies.
    Refreshes of one year queue up on its periods' row locks."""
    from .selectors import statistics_compute

    list(ReportingPeriod.objects.select_for_update().filter(fiscal_year=fiscal_year))
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
    return len(rows)


# --- KPI ---------------------------------------------------------------------------------


@transaction.atomic
def kpi_recompute_request(*, year: ProgrammeYear, acting_user: User) -> None:
    """Queue a KPI run for a programme year (FAO's "recompute now")."""
    from .tasks import compute_kpi

    user_id = acting_user.pk if acting_user else None
    enqueue_on_commit(compute_kpi, year.pk, KpiSnapshot.Trigger.MANUAL, user_id)


@transaction.atomic
def kpi_snapshot_create(
    *, year: ProgrammeYear, trigger: str, acting_user: User | None = None
) -> KpiSnapshot:
    """Compute the KPI of a programme year and store it. Runs of the same year queue up on
    the year's row lock, so the latest snapshot always saw the latest accepted data."""
    year = ProgrammeYear.objects.select_for_update().get(pk=year.pk)
    started = time.perf_counter()
    figures = kpi_compute(year=year)
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
        computed_at=timezone.now(),
        duration_ms=round((time.perf_counter() - started) * 1000),
    )
