"""The executives' and FAO's dashboard, the statistics page and its .xlsx export."""

import datetime as dt
import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from outcomes.figures import statistics_by_city_and_category
from outcomes.models import KpiSnapshot, OutcomeTally
from outcomes.services import kpi_snapshot_create, outcome_tallies_refresh

from ..factories import OrderLineFactory, ProductFactory, SisterCityFactory, VendorFactory
from .conftest import attend, buying_contact, submission_for

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("outcomes:dashboard")


def refresh(year):
    kpi_snapshot_create(year=year, trigger=KpiSnapshot.Trigger.COMMAND)
    outcome_tallies_refresh(fiscal_year=year.fiscal_year)


def test_a_year_without_a_snapshot_says_so(year, executive_user, client_for):
    text = client_for(executive_user).get(DASHBOARD).content.decode()
    assert '<p id="kpi-value" class="fs-4">Not computed yet</p>' in text
    assert 'id="kpi-recompute"' not in text  # executives only read


def test_a_year_without_participants_shows_no_division(year, fao_user, client_for):
    refresh(year)
    text = client_for(fao_user).get(DASHBOARD).content.decode()
    assert '<p id="kpi-value" class="fs-4">No participants yet</p>' in text
    assert "No vendor has attended a held session of this year." in text
    thai = client_for(fao_user, language="th").get(DASHBOARD).content.decode()
    assert "ยังไม่มีผู้เข้าร่วม" in thai


def test_the_dashboard_shows_the_kpi_outputs_and_breakdowns(
    year, session1, session2, seoul, fukuoka, executive_user, client_for
):
    achiever, other = VendorFactory(), VendorFactory()
    attend(achiever, session1)
    attend(other, session2)
    buying_contact(achiever, seoul, dt.date(2026, 1, 20))
    buying_contact(achiever, seoul, dt.date(2026, 2, 3), about_buying=False)
    order_submission = submission_for(achiever, dt.date(2026, 2, 1))
    OrderLineFactory(
        submission=order_submission,
        product=ProductFactory(vendor=achiever),
        city=seoul,
        value_thb=Decimal("1500.50"),
        ordered_on=dt.date(2026, 2, 1),
    )
    refresh(year)

    text = client_for(executive_user).get(DASHBOARD).content.decode()
    assert '<p class="display-6 mb-1" id="kpi-value">50.00%</p>' in text
    assert '<span class="badge text-bg-success" id="kpi-status">Target met</span>' in text
    assert '<td class="text-end" id="kpi-participants">2</td>' in text
    assert '<td class="text-end" id="kpi-achieved">1</td>' in text
    assert '<td class="text-end" id="sessions-held">2</td>' in text
    city_table = text[
        text.index('id="table-city"') : text.index("</table>", text.index('id="table-city"'))
    ]
    assert re.search(
        r"Seoul</th><td class=\"text-end\">2</td><td class=\"text-end\">1</td>"
        r"<td class=\"text-end\">1</td><td class=\"text-end\">1,500.50</td>",
        city_table,
    ), city_table
    data = json.loads(
        re.search(
            r'<script id="dashboard-data" type="application/json">(.*?)</script>', text
        ).group(1)
    )
    assert data["kpi"] == {"participants": 2, "achieved": 1, "percent": 50.0, "target": 50}
    assert data["by_city"]["labels"] == ["Seoul"]
    assert data["by_city"]["contacts"] == [2] and data["by_city"]["orders"] == [1]
    assert data["trend"]["labels"] == [
        "FY 2567 H1",
        "FY 2567 H2",
        "FY 2568 H1",
        "FY 2568 H2",
        "FY 2569 H1",
        "FY 2569 H2",
    ]
    assert data["trend"]["contacts"] == [0, 0, 0, 0, 2, 0]
    # Only the vendored Chart.js and the portal's own file: no inline script.
    scripts = re.findall(r"<script(?![^>]*application/json)[^>]*>", text)
    assert all("src=" in tag for tag in scripts), scripts
    assert "/static/vendor/chartjs/chart.umd.min.js" in text
    assert "/static/js/outcomes-dashboard.js" in text


def test_vendors_still_to_report_are_listed_per_period(year, session1, seoul, fao_user, client_for):
    late = VendorFactory(business_name_en="Late Herbal Co.")
    done = VendorFactory(business_name_en="Punctual Silk")
    attend(late, session1)
    attend(done, session1)
    buying_contact(done, seoul, dt.date(2026, 1, 20), status="submitted")
    submission_for(late, dt.date(2026, 1, 20), status="draft")
    text = client_for(fao_user).get(DASHBOARD).content.decode()
    section = text[text.index('id="missing-heading"') :]
    assert "Late Herbal Co." in section and "started, not yet submitted" in section
    assert "Punctual Silk" not in section
    assert "1 vendor has not reported." in section


@pytest.mark.parametrize("rows", [1, 15])
def test_the_dashboard_reads_a_fixed_number_of_queries(
    rows, year, session1, seoul, fao_user, client_for, django_assert_num_queries
):
    for _ in range(rows):
        vendor = VendorFactory()
        attend(vendor, session1)
        buying_contact(vendor, seoul, dt.date(2026, 1, 20))
        submission_for(VendorFactory(), dt.date(2026, 1, 20), status="draft")
    refresh(year)
    client = client_for(fao_user)
    client.get(DASHBOARD)  # the session and the user are cached from here on
    # session, user, groups, years, tallies, cities, categories, periods, 1 per period
    # (missing vendors), snapshot; and the menu's to-do badge (core.todo: all the user's
    # counts in one query, on every page since the to-do list, issue #16).
    with django_assert_num_queries(10):
        response = client.get(DASHBOARD)
    assert response.status_code == 200


def test_fao_recomputes_the_kpi_from_the_dashboard(
    year, session1, seoul, fao_user, client_for, django_capture_on_commit_callbacks
):
    vendor = VendorFactory()
    attend(vendor, session1)
    buying_contact(vendor, seoul, dt.date(2026, 1, 20))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(fao_user).post(
            reverse("outcomes:kpi-recompute", kwargs={"year_id": year.pk}), follow=True
        )
    assert "The KPI is being recomputed. Reload the page in a moment." in response.content.decode()
    snapshot = KpiSnapshot.objects.get()
    assert (snapshot.trigger, snapshot.requested_by, snapshot.percent) == (
        "manual",
        fao_user,
        Decimal("100.00"),
    )


def test_the_year_filter_picks_the_programme_year(session1, fao_user, client_for):
    from ..factories import ProgrammeYearFactory

    ProgrammeYearFactory(fiscal_year=2568)
    text = client_for(fao_user).get(DASHBOARD + "?year=2568").content.decode()
    assert '<option value="2568" selected>' in text


def test_the_tallies_equal_the_lines_added_up_now(year, session1, seoul, fukuoka):
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor)
    for day, city, kind in [
        (dt.date(2026, 1, 20), seoul, "business"),
        (dt.date(2026, 2, 20), seoul, "customer"),
        (dt.date(2026, 5, 1), fukuoka, "other"),
    ]:
        buying_contact(vendor, city, day, counterpart_kind=kind, product=product)
    OrderLineFactory(
        submission=submission_for(vendor, dt.date(2026, 5, 2)),
        product=product,
        city=fukuoka,
        ordered_on=dt.date(2026, 5, 2),
    )
    buying_contact(VendorFactory(), seoul, dt.date(2026, 1, 20), status="returned")
    assert outcome_tallies_refresh(fiscal_year=2569) == 2
    stored = statistics_by_city_and_category(year=year)
    live = statistics_by_city_and_category(year=year, live=True)
    fields = (
        "city_id",
        "category_id",
        "fiscal_year",
        "half",
        "contacts",
        "buying_contacts",
        "products_contacted",
        "orders",
        "products_ordered",
        "value_thb",
    )
    assert [tuple(getattr(r, f) for f in fields) for r in stored] == [
        tuple(getattr(r, f) for f in fields) for r in live
    ]
    assert sorted((r.city.name_en, r.half, r.contacts, r.orders) for r in stored) == [
        ("Fukuoka Prefecture", 2, 1, 1),
        ("Seoul", 1, 2, 0),
    ]


def test_accepting_a_submission_refreshes_the_statistics(
    year, session1, seoul, fao_user, django_capture_on_commit_callbacks
):
    from outcomes.services import submission_accept

    vendor = VendorFactory()
    attend(vendor, session1)
    contact = buying_contact(vendor, seoul, dt.date(2026, 1, 20), status="submitted")
    assert not OutcomeTally.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        submission_accept(submission=contact.submission, acting_user=fao_user)
    tally = OutcomeTally.objects.get()
    assert (tally.fiscal_year, tally.half, tally.city, tally.contacts) == (2569, 1, seoul, 1)


def test_the_statistics_export_is_a_safe_workbook(year, executive_user, client_for):
    city = SisterCityFactory(name_en='=HYPERLINK("http://evil.example","click")')
    vendor = VendorFactory()
    buying_contact(vendor, city, dt.date(2026, 1, 20))
    outcome_tallies_refresh(fiscal_year=2569)
    client = client_for(executive_user)
    page = client.get(reverse("outcomes:statistics") + "?year=2569").content.decode()
    assert 'id="statistics-export"' in page
    response = client.get(reverse("outcomes:statistics-export") + "?year=2569")
    assert response["Content-Disposition"] == 'attachment; filename="outcome-statistics-2569.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Fiscal year (BE)", "Half", "Reporting period", "Sister city")
    assert rows[1][0:2] == (2569, 1)
    assert rows[1][3] == '\'=HYPERLINK("http://evil.example","click")'
    assert rows[1][7:9] == (1, 1)


def test_compute_kpi_command_prints_and_stores(year, session1, seoul):
    vendor = VendorFactory()
    attend(vendor, session1)
    buying_contact(vendor, seoul, dt.date(2026, 1, 20))
    out = io.StringIO()
    call_command("compute_kpi", "2569", stdout=out)
    snapshot = KpiSnapshot.objects.get()
    assert out.getvalue().startswith(
        "FY 2569: KPI 100.00% (1 of 1 participants; target 50%); sessions held 1/3; "
        "session reports delivered 0/3; snapshot"
    )
    assert snapshot.trigger == "command"
    assert OutcomeTally.objects.filter(fiscal_year=2569).count() == 1


def test_compute_kpi_command_refuses_an_unknown_year(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"There is no programme year FY 2599\."):
        call_command("compute_kpi", "2599")


def test_the_statistics_tables_are_rendered_once_and_never_shown_stale(
    year, session1, seoul, executive_user, client_for, monkeypatch
):
    """Their cells are kept rendered under a digest of what they show (#19): a second
    visit formats no number, and a renamed city or a new figure is shown at once."""
    from django.contrib.humanize.templatetags import humanize

    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor, name_en="Dried mango")
    buying_contact(vendor, seoul, dt.date(2026, 1, 20), product=product)
    outcome_tallies_refresh(fiscal_year=2569)
    client = client_for(executive_user)
    url = reverse("outcomes:statistics") + "?year=2569"
    first = client.get(url).content.decode()
    assert "Seoul" in first and "Dried mango" in first
    formatted = []
    real = humanize.intcomma

    def counted(value, use_l10n=True):
        formatted.append(value)
        return real(value, use_l10n)

    monkeypatch.setattr(humanize, "intcomma", counted)
    monkeypatch.setitem(humanize.register.filters, "intcomma", counted)
    tables = re.compile(r"<table.*?</table>", re.S)
    assert tables.findall(client.get(url).content.decode()) == tables.findall(first)
    assert formatted == []

    seoul.name_en = "Seoul Special City"
    seoul.save()
    buying_contact(vendor, seoul, dt.date(2026, 1, 21), product=product)
    outcome_tallies_refresh(fiscal_year=2569)
    again = client.get(url).content.decode()
    assert "Seoul Special City" in again
    assert re.search(r'<td class="text-end">2</td>', again)
    assert formatted


def test_a_cached_ranking_is_read_without_compiling_its_sql(year, seoul, monkeypatch):
    """The ranking's UNION is compiled only when the cache misses (#19)."""
    from outcomes import figures

    vendor = VendorFactory()
    buying_contact(vendor, seoul, dt.date(2026, 1, 20), product=ProductFactory(vendor=vendor))
    outcome_tallies_refresh(fiscal_year=2569)
    first = figures.statistics_page(year=year).by_product
    compiled = []
    real = figures._RankedPairs._compile
    monkeypatch.setattr(
        figures._RankedPairs,
        "_compile",
        staticmethod(lambda years: compiled.append(years) or real(years)),
    )
    again = figures.statistics_page(year=year).by_product
    assert [(r.product_id, r.contacts) for r in again.rows] == [
        (r.product_id, r.contacts) for r in first.rows
    ]
    assert compiled == []
