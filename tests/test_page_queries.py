"""The list pages run a fixed number of queries, whatever the amount of data (#19).

Each page is fetched at two data sizes with the same exact query count asserted: a page that
loads rows per vendor, or per shortlist entry, fails here. Speed itself is measured by
bench/bench_pages.py, never by a timed test.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ProductFactory,
    ProgrammeYearFactory,
    SessionFactory,
    ShortlistEntryFactory,
    SisterCityFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db

VENDOR_LIST_QUERIES = 8
YEAR_PAGE_QUERIES = 6


def _grow_registry(vendors: int, products_each: int) -> list:
    made = VendorFactory.create_batch(vendors)
    for vendor in made:
        ProductFactory.create_batch(products_each, vendor=vendor)
    return made


@pytest.mark.parametrize(("vendors", "products_each"), [(2, 1), (60, 3)])
def test_vendor_list_runs_a_fixed_number_of_queries(
    vendors, products_each, client_for, seo_user, django_assert_num_queries
):
    _grow_registry(vendors, products_each)
    client = client_for(seo_user)
    with django_assert_num_queries(VENDOR_LIST_QUERIES):
        response = client.get(reverse("vendors:list"))
    assert response.status_code == 200


def test_vendor_list_counts_each_vendors_products_on_the_page(client_for, seo_user):
    busy = VendorFactory(business_name_th="ก ร้านมีของ", business_name_en="A busy shop")
    ProductFactory.create_batch(3, vendor=busy)
    VendorFactory(business_name_th="ข ร้านว่าง", business_name_en="B empty shop")
    text = client_for(seo_user).get(reverse("vendors:list")).content.decode()
    rows = re.findall(r"<tr>.*?</tr>", text, flags=re.S)
    busy_row = next(row for row in rows if "A busy shop" in row)
    empty_row = next(row for row in rows if "B empty shop" in row)
    assert re.search(r'<td class="text-end">3</td>', busy_row)
    assert re.search(r'<td class="text-end">0</td>', empty_row)


@pytest.mark.parametrize("entries", [1, 40])
def test_year_page_runs_a_fixed_number_of_queries_and_counts_the_shortlist(
    entries, client_for, fao_user, django_assert_num_queries
):
    year = ProgrammeYearFactory()
    session = SessionFactory(year=year, number=1)
    SessionFactory(year=year, number=2)
    for vendor in VendorFactory.create_batch(entries):
        ShortlistEntryFactory(session=session, vendor=vendor)
    client = client_for(fao_user)
    with django_assert_num_queries(YEAR_PAGE_QUERIES):
        response = client.get(reverse("meetings:year-detail", args=[year.fiscal_year]))
    text = response.content.decode()
    expected = "1 vendor<" if entries == 1 else f"{entries} vendors<"
    assert expected in text and "0 vendors<" in text


def test_year_page_reads_the_teams_state_of_scheduled_sessions_in_its_own_queries(
    client_for, fao_user, django_assert_num_queries
):
    """A scheduled session's badge says what Teams confirmed (Session.status_display): the
    year page read each scheduled session's Teams meetings in a query of its own."""
    from meetings.models import Session, TeamsMeeting

    year = ProgrammeYearFactory()
    states = ["requested", "failed", "active", None]
    for number, state in enumerate(states, start=1):
        session = SessionFactory(year=year, number=number, status=Session.Status.SCHEDULED)
        if state:
            TeamsMeeting.objects.create(session=session, purpose="session", state=state)
            # A connection test's meeting does not speak for the session.
            TeamsMeeting.objects.create(session=session, purpose="connection_test", state="failed")
    client = client_for(fao_user)
    with django_assert_num_queries(YEAR_PAGE_QUERIES):
        response = client.get(
            reverse("meetings:year-detail", args=[year.fiscal_year]), HTTP_ACCEPT_LANGUAGE="en"
        )
    text = response.content.decode()
    badges = re.findall(r'data-status="scheduled">([^<]*)<', text)
    assert badges == [
        "Scheduled, waiting for Teams",
        "Not scheduled: Teams failed",
        "Scheduled",
        "Scheduled",
    ]


@pytest.mark.parametrize("language", ["en", "th"])
def test_vendor_list_rows_are_what_the_shared_templates_write(language, client_for, seo_user):
    """The rows' links and LINE badges are written in the list itself, not by a {% url %}
    and an include per row (#19): the same HTML as the badge template and the URL."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from notifications.models import LineLink

    linked, blocked, alone = (VendorFactory() for _ in range(3))
    LineLink.objects.create(vendor=linked, line_user_id="U" + "1" * 32)
    LineLink.objects.create(
        vendor=blocked, line_user_id="U" + "2" * 32, status=LineLink.Status.BROKEN
    )
    text = client_for(seo_user, language=language).get(reverse("vendors:list")).content.decode()
    with translation.override(language):
        for vendor in (linked, blocked, alone):
            vendor.refresh_from_db()
            link = getattr(vendor, "line_link", None)
            badge = render_to_string("notifications/_line_link_badge.html", {"link": link})
            url = reverse("vendors:detail", args=[vendor.pk])
            assert f'<td><a href="{url}">{vendor.business_name}</a></td>' in text
            assert f"<td>{badge}</td>" in text


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="server-side cursors are PostgreSQL's"
)
def test_the_filter_forms_read_their_lists_without_a_server_side_cursor(client_for, fao_user):
    """A filter's districts, categories, users, sessions or cities are read in one SELECT
    each, not through QuerySet.iterator()'s DECLARE ... WITH HOLD, FETCH and CLOSE (#19)."""
    vendor = VendorFactory()
    session = SessionFactory()
    city = SisterCityFactory()
    client = client_for(fao_user)
    for url, option in (
        (reverse("vendors:list"), f'<option value="{vendor.district_id}">'),
        (reverse("core:audit"), f'<option value="{fao_user.pk}">'),
        (reverse("buyers:lead-list"), f'<option value="{session.pk}">'),
        (reverse("buyers:lead-list"), f'<option value="{city.pk}">{city.name_en}</option>'),
    ):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert option in response.content.decode()
        declared = [q["sql"][:80] for q in captured if q["sql"].lstrip().startswith("DECLARE")]
        assert declared == [], url
