"""Shared helpers and fixtures of the meetings tests (imported by the test modules)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from core.fiscal import current_fiscal_year
from meetings.models import Session

BANGKOK = ZoneInfo("Asia/Bangkok")


def next_fiscal_year() -> int:
    """A year wholly in the future, so every planned session can still be scheduled."""
    return current_fiscal_year().next().be_year


def bangkok(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=BANGKOK)


def ce_year_of(fiscal_year: int, month: int) -> int:
    return fiscal_year - 543 - (1 if month >= 10 else 0)


def in_past(session: Session, *, hours: int = 2) -> Session:
    """Move a session (and its test) into the past, as if time had passed."""
    start = timezone.now() - dt.timedelta(hours=hours)
    Session.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    session.refresh_from_db()
    return session
