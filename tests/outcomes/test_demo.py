"""Demo outcomes give the dashboard something to show, once."""

import pytest
from django.core.management import call_command

from demo.data import load_demo_data
from outcomes.models import KpiSnapshot, OutcomeTally, Submission

pytestmark = pytest.mark.django_db


def test_demo_outcomes_fill_the_dashboard_once(fao_user, client_for):
    load_demo_data()
    call_command("load_demo_outcomes")
    statuses = sorted(Submission.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "accepted", "draft", "returned", "submitted"]
    snapshot = KpiSnapshot.objects.get()
    # Five demo vendors attended; two have an accepted buying contact with a city they met.
    assert (snapshot.participants, snapshot.achieved, str(snapshot.percent)) == (5, 2, "40.00")
    assert (snapshot.sessions_held, snapshot.reports_delivered) == (2, 1)
    assert OutcomeTally.objects.exists()
    text = client_for(fao_user).get(f"/outcomes/dashboard/?year={snapshot.year.fiscal_year}")
    assert '<p class="display-6 mb-1" id="kpi-value">40.00%</p>' in text.content.decode()

    call_command("load_demo_outcomes")
    assert Submission.objects.count() == 5 and KpiSnapshot.objects.count() == 1
