"""Done when: FAO produces every document of a year from the portal, in a real browser;
images of the PDFs (pdftoppm) are kept among the test artefacts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from core.thai import thai_digits

from ..browser_support import ARTIFACTS, choose_language, follow, log_in
from .test_generation import EXPECTED, contains, docx_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = {
    "approval_memo": "tr[data-kind=approval_memo]",
    "working_group_order": "tr[data-kind=working_group_order]",
    "inquiry_letter": "tr[data-kind=inquiry_letter][data-session='1'][data-city='Seoul']",
    "order_transmittal": "tr[data-kind=order_transmittal][data-session='1']",
    "report_cover": "tr[data-kind=report_cover][data-session='1']",
}


def pdf_images(pdf: bytes, name: str) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        return []
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", str(source), str(ARTIFACTS / name)],
        check=True,
        timeout=60,
    )
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


@pytest.mark.long
def test_fao_produces_every_document_of_the_year(programme, live_portal, fao_user, password):
    from ..reports.conftest import read_pdf

    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, "en")
    log_in(page, fao_user.username, password)
    page.goto(f"{page.base_url}/meetings/years/2564/")
    follow(page, "#documents-link")
    assert "Official documents, FY 2564" in page.inner_text("#documents-heading")
    year_url = page.url
    for (kind, language), expected in sorted(EXPECTED.items()):
        page.goto(year_url)
        follow(page, f"{ROWS[kind]} [data-generate={kind}-{language}]")
        page.wait_for_load_state("networkidle")
        if page.locator("#confirm-action").count():  # the first version issues the number
            assert "cannot be taken back" in page.inner_text("#consequence")
            follow(page, "#confirm-action")
            page.wait_for_load_state("networkidle")
        assert "is ready." in page.inner_text(".alert-success, .alert")
        row = page.locator("#versions tbody tr").first
        assert row.get_attribute("data-language") == language
        with page.expect_download() as download:
            row.locator(".pdf-link").click()
        pdf = Path(download.value.path()).read_bytes()
        with page.expect_download() as download:
            row.locator(".docx-link").click()
        docx = docx_text(Path(download.value.path()).read_bytes())
        text = read_pdf(pdf).text
        # The numbers follow the order of generation here; the page says which it took.
        number = page.inner_text("#document-number").strip()
        serial = number.rsplit("/", 1)[1]
        # An order carries the BMA order register's number, not FAO's.
        assert kind == "working_group_order" or contains(
            text, f"BMA 1401/{serial}" if language == "en" else thai_digits(serial)
        )
        for phrase in (p for p in expected if "1401/" not in p and "๑๔๐๑/" not in p):
            assert contains(text, phrase), (kind, language, phrase)
            assert contains(docx, phrase), (kind, language, phrase)
        images = pdf_images(pdf, f"document-{kind}-{language}")
        assert images or shutil.which("pdftoppm") is None
    choose_language(page, "th")
    page.goto(year_url)
    assert "หนังสือราชการ ปีงบประมาณ 2564" in page.inner_text("#documents-heading")
    page.screenshot(path=str(ARTIFACTS / "documents-year-th.png"), full_page=True)
