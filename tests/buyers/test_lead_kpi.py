"""A confirmed lead is a buying contact of the KPI (README, "KPI"), edge by edge."""

from __future__ import annotations

import datetime as dt

import pytest

from buyers.models import Lead, ShowcaseLink
from outcomes.kpi import kpi_compute
from tests.factories import VendorFactory
from tests.outcomes.conftest import attend, buying_contact, make_session

from .conftest import make_lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def seoul_session(year, seoul):
    """Session 1 with Seoul, held on 15 January 2026."""
    return make_session(year, 1, [seoul], dt.date(2026, 1, 15))


def lead(vendor, session, city, day, verification=Lead.Verification.CONFIRMED, **kwargs):
    link, _ = ShowcaseLink.objects.get_or_create(session=session, city=city)
    return make_lead(link, vendor, received_on=day, verification=verification, **kwargs)


def achieved(year) -> tuple[int, int]:
    result = kpi_compute(year=year)
    return result.participants, result.achieved


def test_a_confirmed_lead_after_the_session_counts(year, seoul_session, seoul):
    vendor = VendorFactory()
    attend(vendor, seoul_session)
    assert achieved(year) == (1, 0)
    lead(vendor, seoul_session, seoul, dt.date(2026, 1, 15))  # the session's day counts
    assert achieved(year) == (1, 1)


def test_a_lead_dated_before_the_session_does_not_count(year, seoul_session, seoul):
    vendor = VendorFactory()
    attend(vendor, seoul_session)
    lead(vendor, seoul_session, seoul, dt.date(2026, 1, 14))
    assert achieved(year) == (1, 0)


def test_a_lead_from_a_city_that_never_met_the_vendor_does_not_count(
    year, seoul_session, seoul, fukuoka
):
    vendor = VendorFactory()
    attend(vendor, seoul_session)
    other = VendorFactory()
    later = make_session(year, 2, [fukuoka], dt.date(2026, 5, 20))
    attend(other, later)  # Fukuoka met `other`, never `vendor`
    lead(vendor, later, fukuoka, dt.date(2026, 6, 1))
    assert achieved(year) == (2, 0)


@pytest.mark.parametrize(
    ("verification", "counts"),
    [("pending", 0), ("rejected", 0), ("confirmed", 1)],
)
def test_only_a_lead_sdo_confirmed_counts(year, seoul_session, seoul, verification, counts):
    vendor = VendorFactory()
    attend(vendor, seoul_session)
    lead(vendor, seoul_session, seoul, dt.date(2026, 2, 1), verification=verification)
    assert achieved(year) == (1, counts)


def test_a_lead_of_a_vendor_who_did_not_attend_does_not_count(year, seoul_session, seoul):
    vendor = VendorFactory()
    attend(vendor, seoul_session, attended=False)
    lead(vendor, seoul_session, seoul, dt.date(2026, 2, 1))
    assert achieved(year) == (0, 0)


def test_the_same_buyer_in_a_lead_and_in_a_submission_counts_once(year, seoul_session, seoul):
    vendor = VendorFactory()
    attend(vendor, seoul_session)
    buying_contact(vendor, seoul, dt.date(2026, 2, 1))
    lead(vendor, seoul_session, seoul, dt.date(2026, 2, 1))
    assert achieved(year) == (1, 1)
    result = kpi_compute(year=year)
    assert result.inputs["achieved_vendor_ids"] == [vendor.pk]


def test_the_kpi_still_takes_two_queries_with_leads(
    year, seoul_session, seoul, django_assert_num_queries
):
    for _ in range(3):
        vendor = VendorFactory()
        attend(vendor, seoul_session)
        lead(vendor, seoul_session, seoul, dt.date(2026, 2, 1))
    with django_assert_num_queries(2):
        kpi_compute(year=year)
