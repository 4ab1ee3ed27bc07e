"""`manage.py check_dates` and its data migration list the dates stored outside a
plausible range (most are BE years stored as CE) and change nothing."""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from cities.models import InquiryLetter
from core.date_check import implausible_dates

from ..factories import InquiryLetterFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def odd_dates():
    """A letter and a period whose BE dates were stored as CE, a session timed in 1900;
    and a plausible date beside them."""
    from meetings.models import Session

    letter = InquiryLetterFactory(sent_on=dt.date(2569, 11, 10))
    fine = InquiryLetterFactory(sent_on=dt.date(2026, 11, 10))
    period = ReportingPeriodFactory(fiscal_year=2570, half=1)
    period.__class__.objects.filter(pk=period.pk).update(
        due_on=dt.date(2570, 4, 15), locked_on=dt.date(2570, 5, 15)
    )
    from ..factories import SessionFactory

    session = SessionFactory()
    Session.objects.filter(pk=session.pk).update(
        starts_at=dt.datetime(1900, 4, 15, 2, 0, tzinfo=dt.UTC)
    )
    return letter, fine, period, session


def test_the_command_lists_each_odd_date_with_its_likely_meaning_and_admin_page(odd_dates):
    letter, fine, period, session = odd_dates
    out = StringIO()
    call_command("check_dates", stdout=out)
    lines = out.getvalue().splitlines()
    assert (
        f"cities.InquiryLetter {letter.pk} sent_on = 2569-11-10 (a BE year? probably "
        f"2026-11-10) /admin/cities/inquiryletter/{letter.pk}/change/"
    ) in lines
    assert (
        f"outcomes.ReportingPeriod {period.pk} due_on = 2570-04-15 (a BE year? probably "
        f"2027-04-15) /admin/outcomes/reportingperiod/{period.pk}/change/"
    ) in lines
    assert any(
        line.startswith(f"outcomes.ReportingPeriod {period.pk} locked_on = ") for line in lines
    )
    assert any(
        line
        == (
            f"meetings.Session {session.pk} starts_at = 1900-04-15T02:00:00+00:00 "
            f"/admin/meetings/session/{session.pk}/change/"
        )
        for line in lines
    )
    assert lines[-1] == "4 stored date(s) outside the years 2000–2200 CE."
    assert not any(f"InquiryLetter {fine.pk} " in line for line in lines)
    assert InquiryLetter.objects.get(pk=letter.pk).sent_on == dt.date(2569, 11, 10)


def test_the_range_can_be_narrowed(odd_dates):
    out = StringIO()
    call_command("check_dates", "--earliest", "2027", "--latest", "2200", stdout=out)
    assert "outside the years 2027–2200 CE" in out.getvalue()
    _letter, fine, *_ = odd_dates
    assert f"InquiryLetter {fine.pk} sent_on = 2026-11-10 " in out.getvalue()


def test_nothing_odd_says_so():
    InquiryLetterFactory(sent_on=dt.date(2026, 11, 10))
    out = StringIO()
    call_command("check_dates", stdout=out)
    assert out.getvalue().splitlines() == ["No stored date outside the years 2000–2200 CE."]


def test_history_copies_are_left_out(odd_dates):
    letter = odd_dates[0]
    assert letter.history.filter(sent_on=dt.date(2569, 11, 10)).exists()
    labels = {odd.model_label for odd in implausible_dates(apps.get_models())}
    assert labels == {"cities.InquiryLetter", "outcomes.ReportingPeriod", "meetings.Session"}


def test_the_data_migration_reports_the_same_and_changes_nothing(odd_dates, caplog):
    migration = importlib.import_module("core.migrations.0006_report_implausible_dates")
    with caplog.at_level(logging.WARNING, logger="core.dates"):
        migration.report(apps, None)
    messages = [record.getMessage() for record in caplog.records]
    assert messages[-1] == "4 stored date(s) outside the years 2000–2200 CE."
    assert any(message.startswith("cities.InquiryLetter") for message in messages)
    assert InquiryLetter.objects.get(pk=odd_dates[0].pk).sent_on == dt.date(2569, 11, 10)
