"""The KPI rule, edge by edge (README, section "KPI")."""

import datetime as dt
from decimal import Decimal

import pytest

from meetings.models import Session
from outcomes.kpi import kpi_compute
from outcomes.models import Contact, KpiSnapshot, Submission
from outcomes.selectors import kpi_snapshot_latest
from outcomes.services import kpi_snapshot_create

from ..factories import VendorFactory
from .conftest import attend, buying_contact, make_session

pytestmark = pytest.mark.django_db

JAN_20 = dt.date(2026, 1, 20)


def figures(year):
    return kpi_compute(year=year)


def test_a_year_with_no_held_session_has_no_participants_yet(year, seoul):
    planned = make_session(year, 1, [seoul], dt.date(2026, 1, 15), status=Session.Status.SCHEDULED)
    vendor = VendorFactory()
    attend(vendor, planned)  # marked attended on a session that did not take place
    buying_contact(vendor, seoul, JAN_20)

    result = figures(year)
    assert (result.participants, result.achieved, result.percent) == (0, 0, None)
    assert result.sessions_held == 0 and result.reports_delivered == 0
    assert result.target_met is None

    snapshot = kpi_snapshot_create(year=year, trigger=KpiSnapshot.Trigger.COMMAND)
    assert snapshot.percent is None and snapshot.has_participants is False


def test_a_vendor_in_two_sessions_counts_once(year, session1, session2, fukuoka):
    vendor = VendorFactory()
    attend(vendor, session1)
    attend(vendor, session2)
    assert (figures(year).participants, figures(year).achieved) == (1, 0)

    # Fukuoka took part in session 2, which the vendor attended: the contact counts once.
    buying_contact(vendor, fukuoka, dt.date(2026, 5, 25))
    buying_contact(vendor, fukuoka, dt.date(2026, 6, 2))
    result = figures(year)
    assert (result.participants, result.achieved, result.percent) == (1, 1, Decimal("100.00"))


def test_a_contact_from_a_city_the_vendor_never_met_does_not_count(
    year, session1, session2, fukuoka, shanghai
):
    vendor = VendorFactory()
    attend(vendor, session1)  # Seoul only
    other = VendorFactory()
    attend(other, session2)  # Fukuoka took part in the year, but not with `vendor`

    buying_contact(vendor, fukuoka, dt.date(2026, 6, 1))
    buying_contact(vendor, shanghai, dt.date(2026, 2, 1))  # in no session at all
    result = figures(year)
    assert (result.participants, result.achieved) == (2, 0)


def test_a_contact_dated_before_the_session_does_not_count(year, session1, session2, fukuoka):
    vendor = VendorFactory()
    attend(vendor, session1)
    attend(vendor, session2)
    # After session 1 but before session 2, the one that had Fukuoka.
    buying_contact(vendor, fukuoka, dt.date(2026, 5, 19))
    assert figures(year).achieved == 0

    buying_contact(vendor, fukuoka, dt.date(2026, 5, 20))  # the day of the session counts
    assert figures(year).achieved == 1


def test_the_session_day_is_taken_in_bangkok(year, seoul):
    # 00:30 on 15 January in Bangkok is still 14 January in UTC.
    session = make_session(year, 1, [seoul], dt.date(2026, 1, 15), hour=0)
    session.starts_at = session.starts_at.replace(minute=30)
    session.save()
    vendor = VendorFactory()
    attend(vendor, session)
    buying_contact(vendor, seoul, dt.date(2026, 1, 14))
    assert figures(year).achieved == 0
    buying_contact(vendor, seoul, dt.date(2026, 1, 15))
    assert figures(year).achieved == 1


@pytest.mark.parametrize(
    ("status", "counts"),
    [
        (Submission.Status.DRAFT, False),
        (Submission.Status.SUBMITTED, False),
        (Submission.Status.RETURNED, False),
        (Submission.Status.ACCEPTED, True),
    ],
)
def test_only_an_accepted_submission_counts(status, counts, year, session1, seoul):
    vendor = VendorFactory()
    attend(vendor, session1)
    buying_contact(vendor, seoul, JAN_20, status=status)
    assert figures(year).achieved == (1 if counts else 0)


def test_a_returned_submission_counts_once_accepted(year, session1, seoul):
    vendor = VendorFactory()
    attend(vendor, session1)
    contact = buying_contact(vendor, seoul, JAN_20, status=Submission.Status.RETURNED)
    assert figures(year).achieved == 0
    Submission.objects.filter(pk=contact.submission_id).update(
        status=Submission.Status.ACCEPTED, return_reason=""
    )
    assert figures(year).achieved == 1


@pytest.mark.parametrize(
    ("changes", "counts"),
    [
        ({"about_buying": False}, False),
        ({"counterpart_kind": Contact.CounterpartKind.OTHER}, False),
        ({"counterpart_kind": Contact.CounterpartKind.CUSTOMER}, True),
        ({"direction": Contact.Direction.VENDOR_CONTACTED}, True),
        ({"direction": Contact.Direction.THEY_CONTACTED}, True),
    ],
)
def test_only_buying_contacts_with_a_business_or_customer_count(
    changes, counts, year, session1, seoul
):
    vendor = VendorFactory()
    attend(vendor, session1)
    buying_contact(vendor, seoul, JAN_20, **changes)
    assert figures(year).achieved == (1 if counts else 0)


@pytest.mark.parametrize("attended", [None, False])
def test_a_shortlisted_vendor_who_did_not_attend_is_no_participant(attended, year, session1, seoul):
    vendor = VendorFactory()
    attend(vendor, session1, attended=attended)
    buying_contact(vendor, seoul, JAN_20)
    assert (figures(year).participants, figures(year).achieved) == (0, 0)


def test_another_years_session_gives_no_participation(year, session1, seoul):
    from ..factories import ProgrammeYearFactory

    next_year = ProgrammeYearFactory(fiscal_year=2570)
    later = make_session(next_year, 1, [seoul], dt.date(2026, 11, 10))
    vendor = VendorFactory()
    attend(vendor, later)
    buying_contact(vendor, seoul, dt.date(2026, 11, 12))
    assert figures(year).participants == 0
    assert (figures(next_year).participants, figures(next_year).achieved) == (1, 1)


def test_a_contact_reported_in_a_later_period_still_counts(year, session1, seoul):
    vendor = VendorFactory()
    attend(vendor, session1)
    buying_contact(vendor, seoul, dt.date(2026, 10, 5))  # FY 2570, first half
    assert figures(year).achieved == 1


def test_percent_is_rounded_half_up_to_two_decimals(year, session1, seoul):
    vendors = [VendorFactory() for _ in range(3)]
    for vendor in vendors:
        attend(vendor, session1)
    buying_contact(vendors[0], seoul, JAN_20)
    result = figures(year)
    assert (result.achieved, result.participants, result.percent) == (1, 3, Decimal("33.33"))
    assert result.target_met is False
    buying_contact(vendors[1], seoul, JAN_20)
    result = figures(year)
    assert result.percent == Decimal("66.67") and result.target_met is True


def test_exactly_the_target_meets_it(year, session1, seoul):
    vendors = [VendorFactory() for _ in range(2)]
    for vendor in vendors:
        attend(vendor, session1)
    buying_contact(vendors[0], seoul, JAN_20)
    result = figures(year)
    assert result.percent == Decimal("50.00") and result.target_met is True


def test_output_indicators_count_held_sessions_and_delivered_reports(year, seoul, fukuoka):
    make_session(year, 1, [seoul], dt.date(2026, 1, 15), status=Session.Status.REPORTED)
    make_session(year, 2, [fukuoka], dt.date(2026, 5, 20), status=Session.Status.HELD)
    make_session(year, 3, [seoul], dt.date(2026, 9, 9), status=Session.Status.CANCELLED)
    result = figures(year)
    assert (result.sessions_held, result.target_sessions) == (2, 3)
    assert (result.reports_delivered, result.target_reports) == (1, 3)


def test_a_multilateral_session_lets_each_of_its_cities_count(year, seoul, shanghai):
    session = make_session(year, 1, [seoul, shanghai], dt.date(2026, 1, 15))
    vendor = VendorFactory()
    attend(vendor, session)
    buying_contact(vendor, shanghai, JAN_20)
    assert figures(year).achieved == 1


def test_the_snapshot_keeps_the_figures_and_their_inputs(year, session1, seoul, fao_user):
    achiever, other = VendorFactory(), VendorFactory()
    attend(achiever, session1)
    attend(other, session1)
    buying_contact(achiever, seoul, JAN_20)

    snapshot = kpi_snapshot_create(
        year=year, trigger=KpiSnapshot.Trigger.MANUAL, acting_user=fao_user
    )
    assert (snapshot.participants, snapshot.achieved, snapshot.percent) == (
        2,
        1,
        Decimal("50.00"),
    )
    assert snapshot.target_percent == 50 and snapshot.requested_by == fao_user
    assert snapshot.inputs["achieved_vendor_ids"] == [achiever.pk]
    assert sorted(snapshot.inputs["participant_vendor_ids"]) == sorted([achiever.pk, other.pk])
    assert snapshot.inputs["held_sessions"] == [
        {
            "id": session1.pk,
            "number": 1,
            "status": "held",
            "day": "2026-01-15",
            "city_ids": [seoul.pk],
        }
    ]
    assert kpi_snapshot_latest(year=year) == snapshot


def _populate(year, session, city, vendors: int, contacts_each: int):
    for _ in range(vendors):
        vendor = VendorFactory()
        attend(vendor, session)
        for n in range(contacts_each):
            buying_contact(vendor, city, JAN_20 + dt.timedelta(days=n))


@pytest.mark.parametrize(("vendors", "contacts_each"), [(1, 1), (12, 4)])
def test_the_kpi_takes_two_queries_whatever_the_data(
    vendors, contacts_each, year, session1, seoul, django_assert_num_queries
):
    _populate(year, session1, seoul, vendors, contacts_each)
    with django_assert_num_queries(2):
        result = kpi_compute(year=year)
    assert result.participants == vendors and result.achieved == vendors
