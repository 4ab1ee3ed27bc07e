"""Done when: an executive logs in, opens a held session, downloads its report in Thai and
in English, and the annual report, in a real browser; a real worker makes the PDFs and
the page follows their progress."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..browser_support import ARTIFACTS, choose_language, log_in
from .conftest import read_pdf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_kombu_pools"),
]


def make_and_download(page, language: str, version: int) -> bytes:
    page.check(f"input[name=language][value={language}]")
    page.click("#generate-button")
    page.wait_for_load_state("networkidle")
    row = page.locator(f"#version-{version}")
    assert row.get_attribute("data-language") == language
    link = row.locator(".report-download:not(.d-none)")
    link.wait_for(timeout=120_000)  # the progress bar's script reveals it when done
    assert row.get_attribute("data-status") == "done"
    with page.expect_download() as download:
        link.click()
    return Path(download.value.path()).read_bytes()


def test_executive_downloads_thai_english_and_annual_reports(
    held_session, celery_worker_process, live_portal, make_user, password
):
    from core.roles import Role

    executive = make_user(Role.EXECUTIVE, username="executive.browser")
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, "en")
    log_in(page, executive.username, password)
    page.click("[data-nav=reports]")
    page.click(f"[data-session='{held_session.session.pk}'] a")
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
