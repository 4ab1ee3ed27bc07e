"""What staff hear about outcome forms through the outbox: FAO when SDO submits one (its
turn to review), SDO when FAO returns one (its turn to fix). Written in the transaction of
the change; the context holds the submission's id and nothing finished."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.roles import Role
from core.thai import format_date
from notifications.rendering import MessageTemplate, Rendered, SkipMessage, register_template
from notifications.staff import portal_url, staff_notify

from .models import Submission

SUBMITTED = "outcomes.staff_submitted"
RETURNED = "outcomes.staff_returned"


def submission_submitted_notify(*, submission: Submission, acting_user) -> None:
    if submission.submitted_at is None:  # the service stamps it before it tells anyone
        raise ValueError(f"submission {submission.pk} is not submitted")
    staff_notify(
        role=Role.FAO,
        template=SUBMITTED,
        context={"submission_id": submission.pk},
        event_key=f"{submission.pk}:{submission.submitted_at.isoformat()}",
        acting_user=acting_user,
    )


def submission_returned_staff_notify(*, submission: Submission, acting_user) -> None:
    if submission.reviewed_at is None:  # the service stamps it before it tells anyone
        raise ValueError(f"submission {submission.pk} is not reviewed")
    staff_notify(
        role=Role.SDO,
        template=RETURNED,
        context={"submission_id": submission.pk},
        event_key=f"{submission.pk}:{submission.reviewed_at.isoformat()}",
        acting_user=acting_user,
    )


def _submission(message, status: str) -> Submission:
    submission = (
        Submission.objects.select_related("vendor", "period", "submitted_by", "reviewed_by")
        .filter(pk=message.context.get("submission_id"))
        .first()
    )
    if submission is None:
        raise SkipMessage("gone")
    if submission.status != status:  # reviewed or fixed before the message went out
        raise SkipMessage("not_waiting")
    return submission


def _who(user) -> str:
    if user is None:
        return _("someone")
    return user.get_full_name() or user.get_username()


def _render_submitted(message) -> Rendered:
    submission = _submission(message, Submission.Status.SUBMITTED)
    if submission.submitted_at is None:
        raise SkipMessage("not_waiting")
    params = {"vendor": submission.vendor.business_name, "period": submission.period.label}
    subject = _("BB Portal: %(vendor)s's outcome form for %(period)s waits for your review") % (
        params
    )
    lines = [
        subject,
        _("%(name)s submitted it on %(date)s.")
        % {
            "name": _who(submission.submitted_by),
            "date": format_date(submission.submitted_at, "DATE_FORMAT", language=message.language),
        },
        _("Review it:"),
        portal_url(reverse("outcomes:submission-detail", args=[submission.pk])),
    ]
    text = "\n".join(lines)
    return Rendered(subject=subject, text=text, line_text=text)


def _render_returned(message) -> Rendered:
    submission = _submission(message, Submission.Status.RETURNED)
    params = {"vendor": submission.vendor.business_name, "period": submission.period.label}
    subject = _("BB Portal: %(vendor)s's outcome form for %(period)s was returned to fix") % (
        params
    )
    lines = [
        subject,
        _("%(name)s returned it: %(reason)s")
        % {"name": _who(submission.reviewed_by), "reason": submission.return_reason},
        _("Fix it:"),
        portal_url(reverse("outcomes:submission-detail", args=[submission.pk])),
    ]
    text = "\n".join(lines)
    return Rendered(subject=subject, text=text, line_text=text)


def register() -> None:
    register_template(
        MessageTemplate(
            SUBMITTED,
            _render_submitted,
            probe="Review it:",
            description="FAO: an outcome form waits for review",
        )
    )
    register_template(
        MessageTemplate(
            RETURNED,
            _render_returned,
            probe="Fix it:",
            description="SDO: an outcome form was returned to fix",
        )
    )
