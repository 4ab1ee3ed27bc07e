"""Done when: an executive logs in, opens a held session, downloads its report in Thai and
in English, and the annual report, in a real browser; a real worker makes the PDFs and
the page follows their progress."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..browser_support import ARTIFACTS, choose_language, follow, log_in
from .conftest import read_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make_and_download(page, language: str, version: int) -> bytes:
    page.check(f"input[name=language][value={language}]")
    follow(page, "#generate-button")
    page.wait_for_load_state("networkidle")
    row = page.locator(f"#version-{version}")
    assert row.get_attribute("data-language") == language
    link = row.locator(".report-download:not(.d-none)")
    link.wait_for(timeout=120_000)  # the progress bar's script reveals it when done
    assert row.get_attribute("data-status") == "done"
    with page.expect_download() as download:
        link.click()
    return Path(download.value.path()).read_bytes()


@pytest.mark.long
@pytest.mark.worker
def test_executive_downloads_thai_english_and_annual_reports(
    held_session, celery_worker_process, live_portal, make_user, password
):
    from core.roles import Role

    executive = make_user(Role.EXECUTIVE, username="executive.browser")
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, "en")
    log_in(page, executive.username, password)
    follow(page, "[data-nav=reports]")
    follow(page, f"[data-session='{held_session.session.pk}'] a")
    assert "Report of session 2, FY 2569" in page.inner_text("#report-heading")

    thai = read_pdf(make_and_download(page, "th", 1))
    assert thai.contains("รายงานผลการประชุม")
    assert thai.contains("วิสาหกิจชุมชนน้ำพริกแม่สำราญ")
    english = read_pdf(make_and_download(page, "en", 2))
    assert english.contains("Mae Samran Chilli Paste Community Enterprise")
    assert english.contains("Tuesday 20 January 2026")

    choose_language(page, "th")
    assert "รายงานผลการประชุมครั้งที่ 2" in page.inner_text("#report-heading")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reports-session-page-th.png"), full_page=True)
    choose_language(page, "en")

    page.goto(f"{page.base_url}/reports/years/2569/")
    annual = read_pdf(make_and_download(page, "en", 1))
    assert annual.contains("Annual report")
    assert annual.contains("6. Recommendations carried into the next year")


def test_fao_writes_the_evaluation_and_the_next_session_carries_its_actions(
    held_session, live_portal, fao_user, password
):
    from meetings.models import Session
    from reports.models import SessionEvaluation

    from ..factories import SessionFactory

    SessionEvaluation.objects.filter(session=held_session.session).delete()
    upcoming = SessionFactory(
        year=held_session.session.year, number=3, status=Session.Status.PLANNED
    )
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, "th")
    log_in(page, fao_user.username, password)
    follow(page, "[data-nav=reports]")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reports-index-th.png"), full_page=True)
    follow(page, f"[data-session='{held_session.session.pk}'] a")
    follow(page, "#evaluation-link")
    page.fill("#id_plan_th", "นำเสนอสินค้าของผู้ประกอบการ 5 ราย")
    page.fill("#id_did_th", "ผู้ประกอบการเข้าร่วม 2 ราย")
    page.fill("#id_findings-0-problem_th", "ล่ามไม่พร้อม")
    page.fill("#id_findings-0-cause_th", "แจ้งล่ามล่าช้า")
    page.fill("#id_actions-0-action_th", "จองล่ามล่วงหน้าสองสัปดาห์")
    page.fill("#id_actions-0-responsible", "สกต.")
    page.screenshot(path=str(ARTIFACTS / "reports-evaluation-form-th.png"), full_page=True)
    follow(page, "#save-evaluation")
    page.wait_for_load_state("networkidle")
    assert "บันทึกการประเมินผลแล้ว" in page.inner_text("main")
    assert "พบปัญหา 1 ข้อ" in page.inner_text("#evaluation-state")

    page.goto(f"{page.base_url}/reports/sessions/{upcoming.pk}/")
    carried = page.inner_text("#carried-actions")
    assert "จองล่ามล่วงหน้าสองสัปดาห์ (สกต.)" in carried
    assert "จัดทำรายงานได้เฉพาะการประชุมที่จัดขึ้นแล้วเท่านั้น" in page.inner_text("#not-reportable")
