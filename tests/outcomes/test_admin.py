"""The admin: FAO sets a period's dates (through the service); the rest is read only."""

import datetime as dt

import pytest
from django.urls import reverse

from outcomes.models import ReportingPeriod

from ..factories import ReportingPeriodFactory, VendorFactory
from .conftest import buying_contact

pytestmark = pytest.mark.django_db


def test_fao_changes_the_dates_of_a_period(fao_user, client_for):
    period = ReportingPeriodFactory(fiscal_year=2569, half=1)
    url = reverse("admin:outcomes_reportingperiod_change", args=[period.pk])
    response = client_for(fao_user).post(
        url, {"due_on": "2026-04-30", "locked_on": "2026-06-30", "_save": "Save"}
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.due_on, period.locked_on) == (dt.date(2026, 4, 30), dt.date(2026, 6, 30))
    assert period.history.first().history_user == fao_user


def test_fao_adds_a_period_with_its_own_dates(fao_user, client_for):
    response = client_for(fao_user).post(
        reverse("admin:outcomes_reportingperiod_add"),
        {"fiscal_year": "2570", "half": "1", "due_on": "2027-04-20", "locked_on": "2027-05-31"},
    )
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(fiscal_year=2570, half=1)
    assert (period.due_on, period.locked_on) == (dt.date(2027, 4, 20), dt.date(2027, 5, 31))


@pytest.mark.parametrize(
    "name",
    [
        "outcomes_submission_changelist",
        "outcomes_kpisnapshot_changelist",
        "outcomes_remindernotice_changelist",
        "outcomes_vendorlink_changelist",
        "outcomes_reportingperiod_changelist",
    ],
)
def test_the_admin_lists_open_for_fao(name, seoul, fao_user, client_for):
    buying_contact(VendorFactory(), seoul, dt.date(2026, 1, 20))
    assert client_for(fao_user).get(reverse(f"admin:{name}")).status_code == 200


def test_sdo_reads_a_submission_in_the_admin_but_cannot_change_it(seoul, sdo_user, client_for):
    contact = buying_contact(VendorFactory(), seoul, dt.date(2026, 1, 20))
    url = reverse("admin:outcomes_submission_change", args=[contact.submission_id])
    response = client_for(sdo_user).get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
