"""Months of the work plan: when a session is held, and when each step is due."""

from __future__ import annotations

import datetime as dt

from core.fiscal import BANGKOK

from . import planner
from .models import FIRST_SESSION_ONLY_STEPS, Session, default_session_months


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + (month.month - 1) + count
    return dt.date(index // 12, index % 12 + 1, 1)


def session_month(session: Session) -> dt.date:
    """The month the session is held in: its start, else the month the year planned."""
    if session.starts_at:
        local = session.starts_at.astimezone(BANGKOK)
        return dt.date(local.year, local.month, 1)
    ordered = planner.in_fiscal_order(session.year.session_months or default_session_months())
    month = ordered[min(session.number, len(ordered)) - 1]
    return dt.date(planner.session_month_year(session.year.fiscal_year, month), month, 1)


def step_months(number: int, held_in: dt.date, fy_first_day: dt.date) -> tuple[dt.date, dt.date]:
    """First and due month of a step, read off the source's table for FY 2564: steps 1–2 in
    October, 3 in November; 4 three months before the session (not before November); 5
    the month before; 6 from three months before to the month before (not before
    December); 7 and 8 in the month of the session."""
    october = dt.date(fy_first_day.year, fy_first_day.month, 1)
    if number in (1, 2):
        start = due = october
    elif number == 3:
        start = due = add_months(october, 1)
    elif number == 4:
        start = due = max(add_months(held_in, -3), add_months(october, 1))
    elif number == 5:
        start = due = max(add_months(held_in, -1), add_months(october, 2))
    elif number == 6:
        start = max(add_months(held_in, -3), add_months(october, 2))
        due = max(add_months(held_in, -1), start)
    else:
        start = due = held_in
    # A session early in the year leaves no room: nothing is due after the session itself.
    if number not in FIRST_SESSION_ONLY_STEPS:
        due = min(due, held_in)
        start = min(start, due)
    return start, due
