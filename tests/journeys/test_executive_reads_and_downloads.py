"""Journey 3: an executive starts from the to-do list, where the report delivered to them
waits, reads the KPI dashboard and downloads a session's report, in Thai and in English.
The report is made in the language the executive reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from core.roles import Role
from outcomes.models import KpiSnapshot
from outcomes.services import kpi_snapshot_create, outcome_tallies_refresh
from reports.models import ReportGeneration

from ..reports.conftest import read_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "th": {
        "target_met": "บรรลุเป้าหมาย",
        "shanghai": "เซี่ยงไฮ้",
        "heading": "รายงานผลการประชุมครั้งที่ 2 ปีงบประมาณ 2569",
        "delivered": "รายงานผลการประชุมที่ส่งถึงผู้บริหารใน 30 วันที่ผ่านมา",
        "session_1": "การประชุมครั้งที่ 1 ปีงบประมาณ 2569",
        "heading_1": "รายงานผลการประชุมครั้งที่ 1 ปีงบประมาณ 2569",
        "pdf": ["รายงานผลการประชุม", "วิสาหกิจชุมชนน้ำพริกแม่สำราญ", "20 มกราคม 2569"],
    },
    "en": {
        "target_met": "Target met",
        "shanghai": "Shanghai",
        "heading": "Report of session 2, FY 2569",
        "delivered": "Session reports delivered in the last 30 days",
        "session_1": "Session 1, FY 2569",
        "heading_1": "Report of session 1, FY 2569",
        "pdf": ["Mae Samran Chilli Paste Community Enterprise", "Tuesday 20 January 2026"],
    },
}


@pytest.fixture
def kpi(held_session):
    # What the nightly run does: the tallies behind the breakdowns, then the KPI.
    outcome_tallies_refresh(fiscal_year=2569)
    return kpi_snapshot_create(
        year=held_session.session.year,
        trigger=KpiSnapshot.Trigger.NIGHTLY,
        acting_user=None,
    )


@pytest.fixture
def delivered(held_session):
    """FAO delivered the report of session 1 last week."""
    previous = held_session.session.year.sessions.get(number=1)
    return ReportGeneration.objects.create(
        kind=ReportGeneration.Kind.SESSION,
        programme_year=previous.year,
        session=previous,
        version=1,
        language="th",
        status=ReportGeneration.Status.DONE,
        sha256="0" * 64,
        delivered_at=timezone.now() - dt.timedelta(days=7),
    )


def test_executive_reads_the_dashboard_and_downloads_a_report(
    walk, language, held_session, kpi, delivered, make_user, password
):
    text = TEXT[language]
    executive_user = make_user(Role.EXECUTIVE, username="executive.journey")
    executive = walk("3-executive")
    page = executive.page
    executive.log_in(executive_user.username, password)

    # The to-do list: the report FAO delivered waits, counted in the menu too.
    item = page.locator("[data-todo='reports.delivered']")
    assert item.get_attribute("data-count") == "1"
    assert text["delivered"] in item.inner_text()
    assert executive.text("#todo-count").startswith("1")
    executive.shot("todo")
    executive.click(f"[data-todo='reports.delivered'] a:has-text('{text['session_1']}')")
    assert text["heading_1"] in executive.text("#report-heading")
    executive.shot("delivered-report")

    # The dashboard: of the two vendors who took part, one had a buying contact.
    executive.click("[data-nav=dashboard]")
    assert (kpi.participants, kpi.achieved) == (2, 1)
    assert executive.text("#kpi-value") == "50.00%"
    assert executive.text("#kpi-participants") == "2"
    assert executive.text("#kpi-achieved") == "1"
    assert executive.text("#kpi-status") == text["target_met"]
    assert text["shanghai"] in executive.text("#table-city")
    page.wait_for_function("document.getElementById('chart-city').chart !== undefined")
    assert page.locator("#kpi-recompute").count() == 0  # executives read only
    executive.shot("dashboard")

    # The held session's report, made in the executive's language and downloaded.
    executive.click("[data-nav=reports]")
    executive.shot("reports")
    executive.click(f"[data-session='{held_session.session.pk}'] a")
    assert text["heading"] in executive.text("#report-heading")
    assert page.is_checked(f"input[name=language][value={language}]")
    executive.click("#generate-button")
    row = page.locator("#version-1")
    assert row.get_attribute("data-language") == language
    link = row.locator(".report-download:not(.d-none)")
    link.wait_for(timeout=120_000)
    assert row.get_attribute("data-status") == "done"
    executive.shot("report-ready")
    with page.expect_download() as download:
        link.click()
    content = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename.endswith(".pdf")
    pdf = read_pdf(content)
    for expected in text["pdf"]:
        assert pdf.contains(expected), (expected, pdf.text[:2000])

    generation = ReportGeneration.objects.get(session=held_session.session)
    assert (generation.language, generation.requested_by) == (language, executive_user)
