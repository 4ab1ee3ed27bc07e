"""Who may do what with a submission, and when. Services enforce these rules; views use
them only to decide which buttons to show."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.roles import Role, has_role

from .models import Submission


def today() -> dt.date:
    return timezone.localdate()


def is_fao(user) -> bool:
    return has_role(user, {Role.FAO})


def is_sdo(user) -> bool:
    return has_role(user, {Role.SDO})


def can_edit(submission: Submission, user, *, on: dt.date | None = None) -> bool:
    """SDO changes a draft or returned submission until the period's lock date; FAO at any
    time."""
    if submission.status not in Submission.EDITABLE:
        return False
    if is_fao(user):
        return True
    return is_sdo(user) and not submission.period.is_locked(on or today())


def can_create_in(period, user, *, on: dt.date | None = None) -> bool:
    """A new submission: in an open period by anyone who enters them; in a locked one only
    by FAO, or by the portal itself (user None: the overdue drafts, the demo data)."""
    if user is None or not period.is_locked(on or today()):
        return True
    return is_fao(user)


def can_submit(submission: Submission, user, *, on: dt.date | None = None) -> bool:
    return can_edit(submission, user, on=on)


def can_review(submission: Submission, user) -> bool:
    return is_fao(user) and submission.status == Submission.Status.SUBMITTED


def can_reopen(submission: Submission, user) -> bool:
    return is_fao(user) and submission.status == Submission.Status.ACCEPTED


def vendor_can_edit(submission: Submission, *, on: dt.date | None = None) -> bool:
    """The vendor's link works while SDO could still change the submission."""
    return submission.status in Submission.EDITABLE and not submission.period.is_locked(
        on or today()
    )


def is_returned(submission: Submission) -> bool:
    return submission.status == Submission.Status.RETURNED


def shows_overdue(submission: Submission) -> bool:
    """Marked overdue by the nightly check and still not handed to FAO."""
    return bool(submission.overdue_since) and submission.status not in Submission.REPORTED


def only_fao_may_change(submission: Submission, *, on: dt.date | None = None) -> bool:
    """The period is locked, and the submission is not yet accepted (after acceptance
    nobody changes it until FAO reopens it)."""
    return submission.status != Submission.Status.ACCEPTED and submission.period.is_locked(
        on or today()
    )
