"""The KPI and the dashboard on PostgreSQL with a large outcome database.

Builds 10,000 vendors (20,000 products), three programme years of three sessions with
three sister cities each, 60,000 submissions (six periods per vendor, most accepted),
100,000 contacts and 200,000 order lines. Then measures, warm, the median of several runs:

* the KPI computation of each year (kpi_compute) and the stored snapshot
  (kpi_snapshot_create, as the Celery task runs it), with their query counts;
* the dashboard page (GET as an FAO user through Django's test client), with its
  query count, for each year;
* the statistics page and its .xlsx export.

The query counts must be the same for the three years, which hold different amounts of
data (the first year has a third of the participants of the last).

Each measure is set against its own SQL replayed raw in the same run (bench.common.replay):
the floor the code cannot go under. A table is printed and var/bench/kpi.json written.
Aim: KPI under 1 s, dashboard under 300 ms, a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from decimal import Decimal

from bench.common import captured_sql, paired_seconds, print_table, replay, write_json

VENDORS = 10_000
PRODUCTS_PER_VENDOR = 2
CONTACTS = 100_000
ORDER_LINES = 200_000
YEARS = (2567, 2568, 2569)
CITIES = 12
CERT_PREFIX = "KPIB-"
RUNS = 7


def _clean() -> None:
    """Remove what an earlier run of this benchmark made (its vendors, years, cities)."""
    from django.db import connection

    from outcomes.models import Contact, KpiSnapshot, OrderLine, ReportingPeriod, Submission

    with connection.cursor() as cursor:
        # Only this benchmark's rows; the bench database is not a developer's.
        tables = [
            model._meta.db_table
            for model in (OrderLine, Contact, KpiSnapshot, Submission, ReportingPeriod)
        ] + [
            model.history.model._meta.db_table
            for model in (OrderLine, Contact, Submission, ReportingPeriod)
        ]
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        cursor.execute(
            "DELETE FROM meetings_shortlistentry WHERE vendor_id IN "
            "(SELECT id FROM vendors_vendor WHERE certificate_number LIKE %s)",
            [CERT_PREFIX + "%"],
        )
    from django.db.models import Q

    from cities.models import SisterCity
    from meetings.models import ProgrammeYear, Session
    from reports.models import ReportGeneration
    from vendors.models import Product, Vendor

    # The load benchmark renders a report of a held session, one of these years' when it
    # finds one first; a report keeps its session (PROTECT), so it goes first.
    ReportGeneration.objects.filter(
        Q(session__year__fiscal_year__in=YEARS) | Q(programme_year__fiscal_year__in=YEARS)
    ).delete()
    Session.cities.through.objects.filter(session__year__fiscal_year__in=YEARS).delete()
    Session.objects.filter(year__fiscal_year__in=YEARS).delete()
    ProgrammeYear.objects.filter(fiscal_year__in=YEARS).delete()
    Product.objects.filter(vendor__certificate_number__startswith=CERT_PREFIX).delete()
    Vendor.objects.filter(certificate_number__startswith=CERT_PREFIX).delete()
    SisterCity.objects.filter(name_en__startswith="Bench City").delete()


def build() -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction

    from cities.models import SisterCity
    from core.fiscal import BANGKOK, FiscalHalf
    from core.roles import GROUP_NAMES, Role
    from core.spreadsheets.bulk import copy_rows
    from meetings.models import ProgrammeYear, Session, ShortlistEntry
    from outcomes.models import Contact, OrderLine, ReportingPeriod, Submission
    from vendors.models import District, Product, ProductCategory, Vendor

    rng = random.Random(20260115)
    started = time.perf_counter()
    _clean()
    with transaction.atomic():
        district = District.objects.order_by("code").first()
        categories = list(ProductCategory.objects.order_by("code"))
        cities = SisterCity.objects.bulk_create(
            SisterCity(
                name_en=f"Bench City {i}",
                name_th=f"เมืองทดสอบ {i}",
                country="KR",
                time_zone="Asia/Seoul",
                is_active_with_bma=True,
            )
            for i in range(CITIES)
        )
        vendors = Vendor.objects.bulk_create(
            (
                Vendor(
                    business_name_th=f"ร้านชุมชน {i:05d}",
                    business_name_en=f"Community shop {i:05d}",
                    owner_name=f"เจ้าของ {i}",
                    district=district,
                    certificate_number=f"{CERT_PREFIX}{i:05d}",
                    is_active=True,
                )
                for i in range(VENDORS)
            ),
            batch_size=5000,
        )
        products = Product.objects.bulk_create(
            (
                Product(
                    vendor=vendor,
                    category=categories[(i + j) % len(categories)],
                    name_th=f"สินค้า {j} ของร้าน {i}",
                    name_en=f"Product {j} of shop {i}",
                    unit="box",
                )
                for i, vendor in enumerate(vendors)
                for j in range(PRODUCTS_PER_VENDOR)
            ),
            batch_size=5000,
        )
        products_of = {}
        for product in products:
            products_of.setdefault(product.vendor_id, []).append(product)

        # Three years, three sessions each (January, May, September), three cities each.
        # The later years have more participants: the query counts must not change.
        sessions = []
        entries = []
        for y, fiscal_year in enumerate(YEARS):
            year = ProgrammeYear.objects.create(fiscal_year=fiscal_year)
            ce = fiscal_year - 543
            participants = rng.sample(vendors, 1_000 * (y + 1) * 2)
            for number, month in enumerate((1, 5, 9), start=1):
                session = Session.objects.create(
                    year=year,
                    number=number,
                    starts_at=dt.datetime(ce, month, 15, 14, 0, tzinfo=BANGKOK),
                    ends_at=dt.datetime(ce, month, 15, 16, 0, tzinfo=BANGKOK),
                    status=Session.Status.REPORTED if number < 3 else Session.Status.HELD,
                )
                session.cities.set(rng.sample(cities, 3))
                sessions.append(session)
                for vendor in participants[number - 1 :: 3]:
                    entries.append(
                        ShortlistEntry(
                            session=session,
                            vendor=vendor,
                            attended=rng.random() < 0.9 or None,
                        )
                    )
                # Some vendors attend two sessions of a year (duplicates dropped below).
                for vendor in rng.sample(participants, 200):
                    entries.append(ShortlistEntry(session=session, vendor=vendor, attended=True))
        seen = set()
        unique_entries = []
        for entry in entries:
            key = (entry.session_id, entry.vendor_id)
            if key not in seen:
                seen.add(key)
                unique_entries.append(entry)
        ShortlistEntry.objects.bulk_create(unique_entries, batch_size=5000)

        periods = []
        for fiscal_year in YEARS:
            for half in (1, 2):
                fh = FiscalHalf(fiscal_year, half)
                periods.append(
                    ReportingPeriod.objects.create(
                        fiscal_year=fiscal_year,
                        half=half,
                        due_on=ReportingPeriod.default_due_on(fh),
                        locked_on=ReportingPeriod.default_locked_on(fh),
                    )
                )
        statuses = ["accepted"] * 7 + ["submitted", "returned", "draft"]
        submissions = Submission.objects.bulk_create(
            (
                Submission(
                    vendor=vendor,
                    period=period,
                    status=(status := rng.choice(statuses)),
                    return_reason="Please check the dates." if status == "returned" else "",
                )
                for vendor in vendors
                for period in periods
            ),
            batch_size=5000,
        )
        period_days = {p.pk: (p.first_day.toordinal(), p.last_day.toordinal()) for p in periods}
        kinds = ["business", "business", "customer", "other"]
        channels = [c for c, _ in Contact.Channel.choices]

        def day_in(period_id: int) -> dt.date:
            first, last = period_days[period_id]
            return dt.date.fromordinal(rng.randint(first, last))

        contact_rows = []
        for n in range(CONTACTS):
            submission = submissions[rng.randrange(len(submissions))]
            product = rng.choice(products_of[submission.vendor_id]) if n % 3 else None
            contact_rows.append(
                (
                    submission.pk,
                    cities[rng.randrange(CITIES)].pk,
                    f"Buyer {n}",
                    f"Company {n % 997}",
                    rng.choice(kinds),
                    "incoming" if n % 2 else "outgoing",
                    day_in(submission.period_id),
                    rng.choice(channels),
                    None,
                    product.pk if product else None,
                    rng.random() < 0.5,
                    "",
                )
            )
        copy_rows(
            Contact._meta.db_table,
            [
                "submission_id",
                "city_id",
                "counterpart_name",
                "counterpart_organisation",
                "counterpart_kind",
                "direction",
                "contacted_on",
                "channel",
                "session_id",
                "product_id",
                "about_buying",
                "notes",
            ],
            contact_rows,
        )
        order_rows = []
        for _ in range(ORDER_LINES):
            submission = submissions[rng.randrange(len(submissions))]
            product = rng.choice(products_of[submission.vendor_id])
            quantity = rng.randint(1, 200)
            order_rows.append(
                (
                    submission.pk,
                    product.pk,
                    cities[rng.randrange(CITIES)].pk,
                    Decimal(quantity),
                    "box",
                    Decimal(quantity * rng.randint(50, 900)),
                    day_in(submission.period_id),
                    "",
                )
            )
        copy_rows(
            OrderLine._meta.db_table,
            [
                "submission_id",
                "product_id",
                "city_id",
                "quantity",
                "unit",
                "value_thb",
                "ordered_on",
                "notes",
            ],
            order_rows,
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    user, _ = get_user_model().objects.get_or_create(username="bench-fao")
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.FAO]))
    return {
        "seconds": time.perf_counter() - started,
        "entries": len(unique_entries),
        "submissions": len(submissions),
    }


def _timed(function, runs: int = RUNS) -> tuple[float, int, object]:
    """Median seconds and the query count of one run (after a warm-up run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()
    timings = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        function()
    return statistics.median(timings), len(captured.captured_queries), result


def main() -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from meetings.models import ProgrammeYear
    from outcomes.kpi import kpi_compute
    from outcomes.models import Contact, OrderLine
    from outcomes.services import kpi_snapshot_create, outcome_tallies_refresh

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    made = build()
    print(
        f"built in {made['seconds']:.1f} s: {VENDORS:,} vendors, "
        f"{VENDORS * PRODUCTS_PER_VENDOR:,} products, {made['entries']:,} shortlist entries, "
        f"{made['submissions']:,} submissions, {Contact.objects.count():,} contacts, "
        f"{OrderLine.objects.count():,} order lines"
    )
    for fiscal_year in YEARS:
        seconds, queries, count = _timed(
            lambda fiscal_year=fiscal_year: outcome_tallies_refresh(fiscal_year=fiscal_year),
            runs=3,
        )
        print(
            f"FY {fiscal_year}: statistics tallies refreshed (the worker's job): {count} rows, "
            f"{seconds * 1000:6.1f} ms, {queries} queries"
        )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(get_user_model().objects.get(username="bench-fao"))
    rows: list[list] = []
    figures_out: dict = {}

    def measure(label: str, fiscal_year: int, function, runs: int = RUNS) -> None:
        """The portal's median against its own SQL replayed raw (the floor), one run."""
        _seconds, queries, _ = _timed(function, runs=1)
        seconds, floor, ratio = paired_seconds(function, replay(captured_sql(function)), runs)
        rows.append([label, fiscal_year, seconds * 1000, floor * 1000, ratio, queries])
        figures_out[f"{label} {fiscal_year}"] = {
            "ms": seconds * 1000,
            "sql_floor_ms": floor * 1000,
            "ratio": ratio,
            "queries": queries,
        }

    for fiscal_year in YEARS:
        year = ProgrammeYear.objects.get(fiscal_year=fiscal_year)
        _seconds, _queries, figures = _timed(lambda year=year: kpi_compute(year=year), runs=1)
        print(
            f"FY {fiscal_year}: KPI {figures.percent}% = {figures.achieved:,} of "
            f"{figures.participants:,} participants"
        )
        measure("kpi_compute", fiscal_year, lambda year=year: kpi_compute(year=year))
        seconds, queries, _ = _timed(
            lambda year=year: kpi_snapshot_create(year=year, trigger="command"), runs=3
        )
        print(f"    snapshot (the Celery task's work) {seconds * 1000:6.1f} ms, {queries} queries")

        def dashboard(fiscal_year=fiscal_year):
            response = client.get(f"/outcomes/dashboard/?year={fiscal_year}")
            assert response.status_code == 200, response.status_code
            return response

        measure("dashboard page", fiscal_year, dashboard)

        def stats_page(fiscal_year=fiscal_year):
            response = client.get(f"/outcomes/statistics/?year={fiscal_year}")
            assert response.status_code == 200
            return response

        measure("statistics page", fiscal_year, stats_page, runs=3)

        def export(fiscal_year=fiscal_year):
            response = client.get(f"/outcomes/statistics.xlsx?year={fiscal_year}")
            assert response.status_code == 200
            return response

        measure("statistics .xlsx", fiscal_year, export, runs=3)
    print()
    print_table(["measure", "FY", "portal ms", "its SQL raw ms", "ratio", "queries"], rows)
    write_json("kpi", {"figures": figures_out})


if __name__ == "__main__":
    main()
