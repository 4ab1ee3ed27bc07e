"""Demo outcomes for a developer's or trainer's portal: the last fiscal year with two held
sessions (Seoul, then Fukuoka and Shanghai), the demo vendors' attendance and their outcome
forms in each state, so that the dashboard and the statistics have something to show.

Needs the demo cities and vendors of `manage.py load_demo_data`. Idempotent: a second run
finds the demo year's sessions and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from cities.models import SisterCity
from core.fiscal import BANGKOK, FiscalHalf, current_fiscal_year
from meetings.models import ProgrammeYear, Session, ShortlistEntry
from vendors.models import Vendor

from .models import Contact, KpiSnapshot, OrderLine, Submission
from .services import kpi_snapshot_create, outcome_tallies_refresh, submission_create


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=BANGKOK)


@transaction.atomic
def load_demo_outcomes() -> dict[str, int]:
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured("Demo data is not allowed with these settings.")
    cities = {c.name_en: c for c in SisterCity.objects.filter(is_demo=True)}
    vendors = list(Vendor.objects.filter(is_demo=True).order_by("certificate_number"))
    if len(vendors) < 5 or not {"Seoul", "Fukuoka Prefecture", "Shanghai"} <= set(cities):
        raise ImproperlyConfigured("Run `manage.py load_demo_data` first.")
    fiscal_year = current_fiscal_year().previous()
    year, _ = ProgrammeYear.objects.get_or_create(fiscal_year=fiscal_year.be_year)
    if ShortlistEntry.objects.filter(session__year=year, vendor__is_demo=True).exists():
        return {"submissions": 0}
    first_day = fiscal_year.first_day
    ce = first_day.year
    plan: list[tuple[dt.date, list[SisterCity], list[Vendor], str]] = [
        (dt.date(ce + 1, 1, 20), [cities["Seoul"]], vendors[:3], Session.Status.REPORTED),
        (
            dt.date(ce + 1, 5, 19),
            [cities["Fukuoka Prefecture"], cities["Shanghai"]],
            vendors[2:],
            Session.Status.HELD,
        ),
    ]
    number = Session.objects.filter(year=year).count()
    sessions = []
    session: Session | None  # a demo contact below may have none
    for day, session_cities, attending, status in plan:
        number += 1
        session = Session.objects.create(
            year=year,
            number=number,
            starts_at=_at(day, 14),
            ends_at=_at(day, 16),
            status=status,
        )
        session.cities.set(session_cities)
        for position, vendor in enumerate(attending, start=1):
            ShortlistEntry.objects.create(
                session=session, vendor=vendor, position=position, attended=True
            )
        sessions.append(session)
    seoul_session, multi_session = sessions
    # Both were created above with their times.
    assert seoul_session.starts_at is not None and multi_session.starts_at is not None
    first, second = FiscalHalf(fiscal_year.be_year, 1), FiscalHalf(fiscal_year.be_year, 2)
    outcomes: list[
        tuple[
            Vendor, FiscalHalf, str, list[tuple[dt.date, str, str, bool, Session | None]], list[int]
        ]
    ] = [
        # vendor, half, status, contacts (day, city, kind, buying, session), orders
        (
            vendors[0],
            first,
            "accepted",
            [
                (
                    seoul_session.starts_at.date() + dt.timedelta(days=9),
                    "Seoul",
                    "business",
                    True,
                    seoul_session,
                )
            ],
            [12],
        ),
        (
            vendors[1],
            first,
            "returned",
            [
                (
                    seoul_session.starts_at.date() + dt.timedelta(days=20),
                    "Seoul",
                    "customer",
                    True,
                    seoul_session,
                )
            ],
            [],
        ),
        (
            vendors[2],
            second,
            "accepted",
            [
                (
                    multi_session.starts_at.date() + dt.timedelta(days=6),
                    "Shanghai",
                    "business",
                    True,
                    multi_session,
                )
            ],
            [30],
        ),
        (
            vendors[3],
            second,
            "submitted",
            [
                (
                    multi_session.starts_at.date() + dt.timedelta(days=15),
                    "Fukuoka Prefecture",
                    "other",
                    False,
                    None,
                )
            ],
            [],
        ),
        (vendors[4], second, "draft", [], []),
    ]
    made = 0
    for vendor, half, status, contacts, orders in outcomes:
        submission = Submission.objects.filter(
            vendor=vendor, period__fiscal_year=half.fiscal_year, period__half=half.half
        ).first()
        if submission is None:
            submission = submission_create(vendor=vendor, half=half, acting_user=None)
            made += 1
        products = list(vendor.products.all())
        # Demo lines are written directly, as demo.data writes its records: the period is
        # long locked, and entering them is what a trainer shows with the real pages.
        for day, city, kind, buying, session in contacts:
            Contact.objects.create(
                submission=submission,
                city=cities[city],
                counterpart_name="Demo buyer",
                counterpart_organisation=f"{city} trading company (demo)",
                counterpart_kind=kind,
                direction=Contact.Direction.THEY_CONTACTED,
                contacted_on=day,
                channel=Contact.Channel.EMAIL,
                about_buying=buying,
                session=session,
                product=products[0] if products else None,
            )
        for quantity in orders if products else []:
            product = products[0]
            OrderLine.objects.create(
                submission=submission,
                product=product,
                city=cities[contacts[0][1]],
                quantity=Decimal(quantity),
                unit=product.unit or "piece",
                value_thb=Decimal(quantity) * (product.price_thb or Decimal("100")),
                ordered_on=contacts[0][0] + dt.timedelta(days=3),
            )
        # Demo states are set directly: the review flow itself is what a trainer shows.
        Submission.objects.filter(pk=submission.pk).update(
            status=status,
            return_reason="Please name the buyer's company (demo)." if status == "returned" else "",
        )
    kpi_snapshot_create(year=year, trigger=KpiSnapshot.Trigger.COMMAND)
    outcome_tallies_refresh(fiscal_year=fiscal_year.be_year)
    return {"submissions": made}
