"""Accepting a submission makes a real Celery worker, through Redis, recompute the KPI."""

import datetime as dt

import pytest

from outcomes.models import KpiSnapshot, OutcomeTally, Submission
from outcomes.services import submission_accept

from ..factories import VendorFactory
from ..worker import wait_until
from .conftest import attend, buying_contact


@pytest.mark.worker
def test_the_worker_recomputes_the_kpi_after_an_acceptance(
    celery_worker_process, year, session1, seoul, fao_user
):
    # A worker test that ran before this one closed the broker connection pool that
    # kombu's global registry still hands out ("Acquire on closed pool"): start afresh.
    from kombu import pools

    pools.reset()
    achiever, other = VendorFactory(), VendorFactory()
    attend(achiever, session1)
    attend(other, session1)
    contact = buying_contact(achiever, seoul, dt.date(2026, 1, 20), status="submitted")

    submission_accept(submission=contact.submission, acting_user=fao_user)
    assert Submission.objects.get(pk=contact.submission_id).status == "accepted"

    snapshot = wait_until(lambda: KpiSnapshot.objects.filter(year=year).first(), timeout=60)
    assert snapshot is not None, celery_worker_process.log()[-3000:]
    assert (snapshot.participants, snapshot.achieved, str(snapshot.percent)) == (2, 1, "50.00")
    assert (snapshot.trigger, snapshot.requested_by) == ("accepted", fao_user)
    tally = wait_until(lambda: OutcomeTally.objects.filter(fiscal_year=2569).first(), timeout=30)
    assert tally is not None and tally.contacts == 1, celery_worker_process.log()[-3000:]
    assert "outcomes.tasks.compute_kpi" in celery_worker_process.log()
