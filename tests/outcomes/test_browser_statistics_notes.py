"""Issue #16 items 6 and 9 in a real browser, in English and Thai: FAO reviews a submission
whose lines carry notes, then reads the statistics with quantities and a row per product.
The screenshots stay in test-artifacts/ (outcomes-review-line-notes-*.png,
outcomes-statistics-products-*.png)."""

import datetime as dt

import pytest

from outcomes.models import Submission
from outcomes.services import outcome_tallies_refresh

from ..browser_support import ARTIFACTS, choose_language, follow, log_in
from ..factories import OrderLineFactory, OutcomeContactFactory, ProductFactory, VendorFactory
from .conftest import submission_for
from .test_statistics_detail import lines  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"outcomes-{name}.png"), full_page=True)


def test_fao_reads_line_notes_and_product_statistics_in_both_languages(
    lines,  # noqa: F811
    seoul,
    live_portal,
    fao_user,
    password,
):
    vendor = VendorFactory(business_name_en="Bang Rak Silk", business_name_th="ผ้าไหมบางรัก")
    scarf = ProductFactory(vendor=vendor, name_en="Silk scarf", name_th="ผ้าพันคอไหม")
    waiting = submission_for(vendor, dt.date(2026, 1, 20), status=Submission.Status.SUBMITTED)
    OutcomeContactFactory(
        submission=waiting,
        city=seoul,
        counterpart_name="Park Min-jun",
        notes="ขอตัวอย่างสีเพิ่มอีกสามสี / wants three more colour samples",
    )
    OrderLineFactory(
        submission=waiting,
        product=scarf,
        city=seoul,
        quantity=30,
        unit="piece",
        notes="Gift-wrapped, delivery before Chuseok",
    )
    outcome_tallies_refresh(fiscal_year=2569)

    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, "en")
    log_in(page, fao_user.username, password)
    page.goto(f"{page.base_url}/outcomes/{waiting.pk}/")
    assert "Note: ขอตัวอย่างสีเพิ่มอีกสามสี" in page.inner_text("#contacts-table")
    assert "Note: Gift-wrapped, delivery before Chuseok" in page.inner_text("#orders-table")
    assert page.is_visible("#accept-submission")  # FAO reads the notes where it decides
    shot(page, "review-line-notes-en")

    page.goto(f"{page.base_url}/outcomes/statistics/?year=2569")
    table = page.inner_text("#product-table")
    assert "Coconut rolls" in table and "15.5 box\n2 carton" in table
    assert "Quantity ordered" in table
    shot(page, "statistics-products-en")
    # The worker writes the lines (in-process here, so they are ready when the page
    # comes back); the export's page offers the file (issue #19).
    follow(page, "#statistics-lines-export")
    page.wait_for_load_state("networkidle")
    assert "Export of every contact and order line" in page.inner_text("h1")
    shot(page, "statistics-lines-export-en")
    with page.expect_download() as download:
        follow(page, "#export-download")
    assert download.value.suggested_filename == "outcome-lines-2569.xlsx"

    choose_language(page, "th")
    page.goto(f"{page.base_url}/outcomes/{waiting.pk}/")
    assert "หมายเหตุ: Gift-wrapped, delivery before Chuseok" in page.inner_text("#orders-table")
    shot(page, "review-line-notes-th")
    page.goto(f"{page.base_url}/outcomes/statistics/?year=2569")
    table = page.inner_text("#product-table")
    assert "ทองม้วน" in table and "จำนวนที่สั่งซื้อ" in table
    assert "แยกตามสินค้าและเมืองพี่เมืองน้อง" in page.inner_text("main")
    shot(page, "statistics-products-th")
