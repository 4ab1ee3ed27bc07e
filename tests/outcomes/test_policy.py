"""outcomes.policy's rules that the submission pages show (no template compares a
status)."""

from __future__ import annotations

import datetime as dt

import pytest

from outcomes import policy
from outcomes.models import ReportingPeriod, Submission

St = Submission.Status
LOCKED_ON = dt.date(2026, 5, 30)


def submission(status: str, *, overdue_since: dt.date | None = None) -> Submission:
    period = ReportingPeriod(
        fiscal_year=2569, half=1, due_on=dt.date(2026, 4, 30), locked_on=LOCKED_ON
    )
    return Submission(status=status, period=period, overdue_since=overdue_since)


@pytest.mark.parametrize(
    ("status", "expected"),
    [(St.DRAFT, False), (St.SUBMITTED, False), (St.RETURNED, True), (St.ACCEPTED, False)],
)
def test_is_returned(status, expected):
    s = submission(status)
    assert policy.is_returned(s) is expected
    assert s.is_returned is expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [(St.DRAFT, True), (St.RETURNED, True), (St.SUBMITTED, False), (St.ACCEPTED, False)],
)
def test_overdue_shows_until_the_submission_reaches_fao(status, expected):
    s = submission(status, overdue_since=dt.date(2026, 5, 1))
    assert policy.shows_overdue(s) is expected
    assert s.shows_overdue is expected
    assert policy.shows_overdue(submission(status)) is False


@pytest.mark.parametrize(
    ("status", "on", "expected"),
    [
        (St.DRAFT, LOCKED_ON, False),
        (St.DRAFT, LOCKED_ON + dt.timedelta(days=1), True),
        (St.SUBMITTED, LOCKED_ON + dt.timedelta(days=1), True),
        (St.ACCEPTED, LOCKED_ON + dt.timedelta(days=1), False),
    ],
)
def test_only_fao_may_change_a_locked_submission_not_yet_accepted(status, on, expected):
    assert policy.only_fao_may_change(submission(status), on=on) is expected
