"""SDO's reminders before a due date, and the overdue flag after it."""

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings

from core.roles import Role
from outcomes.models import ReminderNotice, ReportingPeriod, Submission
from outcomes.reminders import (
    reminder_send,
    reminders_prepare,
    reporting_periods_ensure_current,
    submissions_flag_overdue,
)
from outcomes.tasks import send_outcome_reminders

from ..factories import UserFactory, VendorFactory
from .conftest import attend, buying_contact, submission_for

pytestmark = pytest.mark.django_db

# FY 2569, first half (Oct 2025 – Mar 2026) is due on 15 April 2026.
DUE = dt.date(2026, 4, 15)


@pytest.fixture
def sdo_staff(db):
    UserFactory(role=Role.SDO, username="sdo-a", email="sdo-a@bangkok.example")
    UserFactory(role=Role.SDO, username="sdo-b", email="sdo-b@bangkok.example")
    UserFactory(role=Role.SDO, username="sdo-no-mail", email="")
    UserFactory(role=Role.FAO, username="fao-x", email="fao@bangkok.example")


@pytest.fixture
def vendors(session1, seoul):
    late = VendorFactory(business_name_th="ร้านส่งช้า", certificate_number="BB-LATE")
    started = VendorFactory(business_name_th="ร้านเริ่มแล้ว", certificate_number="BB-DRAFT")
    done = VendorFactory(business_name_th="ร้านส่งแล้ว", certificate_number="BB-DONE")
    for vendor in (late, started, done):
        attend(vendor, session1)
    submission_for(started, dt.date(2026, 1, 20), status=Submission.Status.DRAFT)
    buying_contact(done, seoul, dt.date(2026, 1, 20), status=Submission.Status.SUBMITTED)
    return {"late": late, "started": started, "done": done}


def test_the_current_and_previous_periods_are_opened_with_default_dates(db):
    reporting_periods_ensure_current(today=dt.date(2026, 5, 2))
    periods = {(p.fiscal_year, p.half): p for p in ReportingPeriod.objects.all()}
    assert set(periods) == {(2569, 1), (2569, 2)}
    first = periods[(2569, 1)]
    assert (first.due_on, first.locked_on) == (DUE, dt.date(2026, 5, 15))


def test_sdo_gets_the_vendors_still_missing_a_week_before_the_due_date(sdo_staff, vendors):
    notice_ids = reminders_prepare(today=DUE - dt.timedelta(days=7))
    notice = ReminderNotice.objects.get(pk__in=notice_ids)
    assert notice.kind == "due_7"
    assert notice.recipients == "sdo-a@bangkok.example, sdo-b@bangkok.example"
    assert sorted(v["certificate"] for v in notice.missing_vendors) == ["BB-DRAFT", "BB-LATE"]

    reminder_send(notice_id=notice.pk)
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == ("sent", 1)
    message = mail.outbox[-1]
    assert message.to == ["sdo-a@bangkok.example", "sdo-b@bangkok.example"]
    assert message.subject == (
        "แบบรายงานผลใกล้ครบกำหนดส่ง: ปีงบประมาณ 2569 ครึ่งปีแรก (ต.ค.–มี.ค.) / "
        "Outcome forms due soon: FY 2569, first half (Oct–Mar)"
    )
    assert "- ร้านส่งช้า (BB-LATE)" in message.body
    assert "- ร้านส่งแล้ว" not in message.body
    assert "กำหนดส่งวันที่ 15 เมษายน 2569" in message.body
    assert "are due on 15 April 2026." in message.body

    # A second run on the same day sends nothing new.
    assert reminders_prepare(today=DUE - dt.timedelta(days=7)) == []
    reminder_send(notice_id=notice.pk)
    assert len(mail.outbox) == 1


def test_no_reminder_when_nothing_is_missing(sdo_staff, session1, seoul):
    vendor = VendorFactory()
    attend(vendor, session1)
    buying_contact(vendor, seoul, dt.date(2026, 1, 20), status=Submission.Status.ACCEPTED)
    assert reminders_prepare(today=DUE - dt.timedelta(days=1)) == []
    notice = ReminderNotice.objects.get()
    assert (notice.kind, notice.status) == ("due_1", "nothing")
    assert mail.outbox == []


def test_after_the_due_date_missing_vendors_are_flagged_overdue(sdo_staff, vendors):
    reporting_periods_ensure_current(today=DUE)
    flagged, notice_ids = submissions_flag_overdue(today=DUE + dt.timedelta(days=1))
    assert flagged == 2
    period = ReportingPeriod.objects.get(fiscal_year=2569, half=1)
    late = Submission.objects.get(vendor=vendors["late"], period=period)
    started = Submission.objects.get(vendor=vendors["started"], period=period)
    done = Submission.objects.get(vendor=vendors["done"], period=period)
    assert (late.status, late.entered_via, late.overdue_since) == (
        "draft",
        "reminder",
        dt.date(2026, 4, 16),
    )
    assert started.overdue_since == dt.date(2026, 4, 16)
    assert done.overdue_since is None
    assert late.history.first().history_change_reason == "overdue: opened for SDO"

    notice = ReminderNotice.objects.get(pk__in=notice_ids)
    assert notice.kind == "overdue"
    # The next night flags nothing twice and sends no second notice.
    assert submissions_flag_overdue(today=DUE + dt.timedelta(days=2)) == (0, [])


def test_the_nightly_task_sends_the_reminders(sdo_staff, vendors, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: DUE - dt.timedelta(days=1))
    result = send_outcome_reminders.apply().get()
    assert result["flagged"] == 0 and len(result["notices"]) == 1
    assert [m.subject.split(" / ")[1] for m in mail.outbox] == [
        "Outcome forms due soon: FY 2569, first half (Oct–Mar)"
    ]


@override_settings(EMAIL_BACKEND="tests.outcomes.test_links.RefusingBackend")
def test_a_failed_reminder_is_recorded_for_the_retry(sdo_staff, vendors):
    (notice_id,) = reminders_prepare(today=DUE - dt.timedelta(days=7))
    reminder_send(notice_id=notice_id)
    notice = ReminderNotice.objects.get(pk=notice_id)
    assert (notice.status, notice.attempts) == ("failed", 1)
    assert notice.last_error == "ConnectionRefusedError: SMTP server refused the connection"
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        reminder_send(notice_id=notice_id)
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.last_error) == ("sent", 2, "")


def test_a_staff_members_name_never_changes_where_the_reminder_goes(vendors):
    UserFactory(
        role=Role.SDO,
        username="mallory",
        first_name="Mallory <mallory@evil.example> (",
        email="sdo-m@bangkok.example",
    )
    UserFactory(
        role=Role.SDO,
        username="jiwoo",
        first_name="Lee,",
        last_name="Ji-woo",
        email="sdo-j@bangkok.example",
    )
    (notice_id,) = reminders_prepare(today=DUE - dt.timedelta(days=7))
    notice = reminder_send(notice_id=notice_id)
    assert notice.status == "sent"
    from django.core.mail.message import sanitize_address

    (message,) = mail.outbox
    assert [sanitize_address(r, "utf-8") for r in message.recipients()] == [
        "sdo-j@bangkok.example",
        "sdo-m@bangkok.example",
    ]
