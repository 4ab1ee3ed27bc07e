"""Services and selectors the other apps build on: the rules they enforce, what they read."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.fiscal import FiscalHalf
from meetings.models import Session
from outcomes.models import ReportingPeriod, Submission
from outcomes.selectors import outcomes_for_session
from outcomes.services import (
    ContactInput,
    OrderInput,
    reporting_period_ensure,
    reporting_period_update,
    submission_accept,
    submission_create,
    submission_return,
    submission_save_lines,
    submission_submit,
)

from ..factories import OrderLineFactory, OutcomeContactFactory, ProductFactory, VendorFactory
from .conftest import attend, buying_contact, make_session, submission_for

pytestmark = pytest.mark.django_db


def contact_input(city, day=dt.date(2026, 1, 20), **changes) -> ContactInput:
    values = {
        "city_id": city.pk,
        "counterpart_name": "Kim",
        "counterpart_kind": "business",
        "direction": "incoming",
        "contacted_on": day,
        "channel": "email",
        "about_buying": True,
        **changes,
    }
    return ContactInput(**values)


@pytest.fixture
def draft(session1):
    vendor = VendorFactory()
    attend(vendor, session1)
    submission = submission_for(vendor, dt.date(2026, 1, 20), status=Submission.Status.DRAFT)
    submission.period.locked_on = timezone.localdate() + dt.timedelta(days=30)
    submission.period.save()
    return submission


def test_a_period_is_made_once_with_the_default_dates(fao_user):
    half = FiscalHalf(2569, 2)
    period = reporting_period_ensure(half=half, acting_user=fao_user)
    assert (period.due_on, period.locked_on) == (dt.date(2026, 10, 15), dt.date(2026, 11, 14))
    assert reporting_period_ensure(half=half, acting_user=fao_user) == period
    assert ReportingPeriod.objects.count() == 1


def test_the_lock_date_cannot_come_before_the_due_date(fao_user):
    period = reporting_period_ensure(half=FiscalHalf(2569, 1), acting_user=fao_user)
    with pytest.raises(ValidationError) as error:
        reporting_period_update(
            period=period,
            due_on=dt.date(2026, 4, 30),
            locked_on=dt.date(2026, 4, 20),
            acting_user=fao_user,
        )
    assert error.value.message_dict == {
        "locked_on": ["The lock date cannot come before the due date."]
    }


def test_the_service_refuses_lines_the_forms_would_refuse(draft, seoul, sdo_user):
    others = ProductFactory()
    own = ProductFactory(vendor=draft.vendor)
    stranger = OutcomeContactFactory(city=seoul)  # a line of another submission
    with pytest.raises(ValidationError) as error:
        submission_save_lines(
            submission=draft,
            contacts=[
                contact_input(seoul, day=dt.date(2026, 4, 2)),
                contact_input(seoul, product_id=others.pk),
                contact_input(seoul, id=stranger.pk),
            ],
            orders=[
                OrderInput(
                    product_id=others.pk,
                    city_id=seoul.pk,
                    quantity=Decimal("1"),
                    unit="box",
                    value_thb=Decimal("10"),
                    ordered_on=dt.date(2026, 2, 1),
                ),
                OrderInput(
                    product_id=own.pk,
                    city_id=seoul.pk,
                    quantity=Decimal("0"),
                    unit="box",
                    value_thb=Decimal("10"),
                    ordered_on=dt.date(2026, 2, 1),
                ),
            ],
            acting_user=sdo_user,
        )
    assert error.value.messages == [
        "Contact 1: The date is after the end of the reporting period (31 March 2026).",
        "Contact 2: the product is not one of this vendor's products.",
        "Contact 3 is not part of this submission.",
        "Order 1: the product is not one of this vendor's products.",
    ]
    assert not draft.contacts.exists()
    with pytest.raises(ValidationError) as error:
        submission_save_lines(
            submission=draft,
            contacts=[],
            orders=[
                OrderInput(
                    product_id=own.pk,
                    city_id=seoul.pk,
                    quantity=Decimal("0"),
                    unit="box",
                    value_thb=Decimal("10"),
                    ordered_on=dt.date(2026, 2, 1),
                )
            ],
            acting_user=sdo_user,
        )
    assert error.value.messages == [
        "Order 1: quantity: Ensure this value is greater than or equal to 0.01."
    ]


def test_the_review_follows_its_states(draft, sdo_user, fao_user):
    with pytest.raises(ValidationError, match=r"Only a submitted submission can be accepted\."):
        submission_accept(submission=draft, acting_user=fao_user)
    submission_submit(submission=draft, acting_user=sdo_user)
    with pytest.raises(ValidationError, match="Only a draft or returned submission"):
        submission_submit(submission=draft, acting_user=sdo_user)
    with pytest.raises(ValidationError, match=r"Only a submitted submission can be accepted\."):
        submission_accept(submission=draft, acting_user=sdo_user)  # SDO is not FAO
    with pytest.raises(ValidationError) as error:
        submission_return(submission=draft, reason=" ", acting_user=fao_user)
    assert error.value.message_dict == {"reason": ["Say why the submission goes back to SDO."]}
    returned = submission_return(submission=draft, reason="No dates.", acting_user=fao_user)
    assert (returned.status, returned.return_reason, returned.reviewed_by) == (
        "returned",
        "No dates.",
        fao_user,
    )
    assert [h.history_change_reason for h in returned.history.order_by("history_date")][-2:] == [
        "submitted to FAO",
        "returned to SDO",
    ]


def test_a_second_submission_for_the_same_period_is_refused(draft, sdo_user):
    with pytest.raises(ValidationError) as error:
        submission_create(vendor=draft.vendor, half=FiscalHalf(2569, 1), acting_user=sdo_user)
    assert error.value.messages == [
        f"{draft.vendor} already has a submission for FY 2569, first half (Oct–Mar)."
    ]


def test_outcomes_for_session_gives_its_contacts_and_the_orders_that_followed(
    year, session1, seoul, fukuoka, django_assert_num_queries
):
    attended, absent = VendorFactory(), VendorFactory()
    attend(attended, session1)
    attend(absent, session1, attended=False)
    followed = buying_contact(attended, seoul, dt.date(2026, 1, 20), session=session1)
    buying_contact(attended, seoul, dt.date(2026, 1, 21))  # no session named
    returned_vendor = VendorFactory()
    attend(returned_vendor, session1)
    buying_contact(
        returned_vendor, seoul, dt.date(2026, 1, 22), session=session1, status="returned"
    )
    submission = submission_for(attended, dt.date(2026, 2, 1))
    product = ProductFactory(vendor=attended)
    after = OrderLineFactory(
        submission=submission, product=product, city=seoul, ordered_on=dt.date(2026, 2, 1)
    )
    OrderLineFactory(  # before the session
        submission=submission, product=product, city=seoul, ordered_on=dt.date(2026, 1, 10)
    )
    OrderLineFactory(  # a city that was not in the session
        submission=submission, product=product, city=fukuoka, ordered_on=dt.date(2026, 2, 1)
    )
    absent_submission = submission_for(absent, dt.date(2026, 2, 1))
    OrderLineFactory(
        submission=absent_submission,
        product=ProductFactory(vendor=absent),
        city=seoul,
        ordered_on=dt.date(2026, 2, 1),
    )
    with django_assert_num_queries(2):
        result = outcomes_for_session(session=session1)
        names = [c.submission.vendor.business_name for c in result.contacts]
        products = [o.product.category.name for o in result.orders]
    assert [c.pk for c in result.contacts] == [followed.pk]
    assert [o.pk for o in result.orders] == [after.pk]
    assert names == [attended.business_name] and len(products) == 1
    assert result.order_value_thb == after.value_thb


def test_outcomes_for_a_session_without_a_start_has_no_orders(year, seoul):
    session = make_session(year, 3, [seoul], dt.date(2026, 9, 1), status=Session.Status.PLANNED)
    session.starts_at = session.ends_at = None
    session.save()
    assert outcomes_for_session(session=session).orders == []


@pytest.mark.django_db(transaction=True)
def test_two_requests_creating_the_same_submission_at_once_on_postgresql(sdo_user):
    """Two connections pass the "already exists?" check together; the one that writes
    second gets the same message as a later request, not an IntegrityError (#11 item 8)."""
    import threading

    from django.db import connection, connections
    from django.utils import translation

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    vendor = VendorFactory(business_name_en="Chatuchak Tea")
    period = reporting_period_ensure(half=FiscalHalf(2569, 2), acting_user=None)
    period.locked_on = timezone.localdate() + dt.timedelta(days=60)
    period.save()
    both_checked = threading.Barrier(2, timeout=10)
    outcomes: list[object] = []

    def wait_after_the_check(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith("SELECT") and '"outcomes_submission"' in sql:
            both_checked.wait()
        return result

    def create():
        try:
            with translation.override("en"), connection.execute_wrapper(wait_after_the_check):
                outcomes.append(
                    submission_create(vendor=vendor, half=FiscalHalf(2569, 2), acting_user=sdo_user)
                )
        except Exception as exc:  # what each thread met is the result
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    created = [o for o in outcomes if isinstance(o, Submission)]
    refused = [o for o in outcomes if not isinstance(o, Submission)]
    assert len(created) == 1
    assert [type(e) for e in refused] == [ValidationError]
    assert refused[0].messages == [
        "Chatuchak Tea already has a submission for FY 2569, second half (Apr–Sep)."
    ]
    assert Submission.objects.filter(vendor=vendor).count() == 1
