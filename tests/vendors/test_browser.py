"""The import as SDO staff use it, in headless Chromium: a file with errors, the messages,
the corrected file, the preview, the confirmation."""

import pytest

from core.roles import Role
from tests.browser_support import ARTIFACTS, choose_language, follow, log_in
from vendors.models import Product, Vendor, VendorImportJob

from .workbooks import product_row, vendor_row, workbook

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(page, data: bytes, name: str) -> None:
    page.goto(f"{page.base_url}/vendors/import/")
    page.set_input_files("input[name=file]", {"name": name, "mimeType": XLSX, "buffer": data})
    follow(page, "#import-form button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_upload_with_errors_then_the_corrected_file(live_portal, make_user, password):
    user = make_user(Role.SDO)
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, "en")
    log_in(page, user.username, password)

    bad = workbook(
        vendors=[vendor_row(1), vendor_row(2, district="Atlantis", certified="31/13/2567")],
        products=[product_row(1, price="๑๒ก")],
    )
    _upload(page, bad, "vendors-with-errors.xlsx")
    assert page.inner_text("#job-status") == "Has errors"
    rows = [
        [cell.strip() for cell in row.split("\t")]
        for row in page.inner_text("#import-errors tbody").splitlines()
    ]
    assert rows == [
        [
            "ผู้ประกอบการ Vendors",
            "3",
            "E District office",
            "Atlantis",
            "“Atlantis” is not one of the allowed values.",
        ],
        [
            "ผู้ประกอบการ Vendors",
            "3",
            "F Certified on",
            "31/13/2567",
            "Enter a date as day/month/year, such as 23/11/2569 or 23/11/2026, or as an Excel "
            "date.",
        ],
        [
            "สินค้า Products",
            "2",
            "E Price (THB)",
            "๑๒ก",
            "Enter a number, such as 1200.50 or ๑,๒๐๐.๕๐.",
        ],
    ]
    assert page.locator("#confirm-import").count() == 0
    assert Vendor.objects.count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "vendor-import-errors.png"), full_page=True)

    _upload(page, workbook(), "vendors-corrected.xlsx")
    assert page.inner_text("#job-status") == "Ready to import"
    plan = page.inner_text("#import-plan")
    assert "vendors\t2\t0\t0\t0" in plan and "products\t2\t0\t0\t0" in plan
    follow(page, "#confirm-import")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#job-status") == "Imported"
    assert "The import is complete." in page.inner_text("#import-done")
    assert Vendor.objects.count() == 2 and Product.objects.count() == 2

    choose_language(page, "th")
    assert page.inner_text("#job-status") == "นำเข้าแล้ว"


def test_the_progress_bar_follows_a_running_job(live_portal, make_user, password):
    user = make_user(Role.FAO)
    job = VendorImportJob.objects.create(
        original_name="big.xlsx",
        file="imports/vendors/big.xlsx",
        created_by=user,
        status=VendorImportJob.Status.CHECKING,
        progress_done=5000,
        progress_total=20000,
    )
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, "en")
    log_in(page, user.username, password)
    page.goto(f"{page.base_url}/vendors/import/{job.pk}/")
    assert page.get_attribute("#import-progress .progress", "aria-valuenow") == "25"
    VendorImportJob.objects.filter(pk=job.pk).update(progress_done=15000)
    page.wait_for_selector("#import-progress .progress[aria-valuenow='75']")
    assert page.inner_text("#import-progress-text") == "15000 / 20000"
    VendorImportJob.objects.filter(pk=job.pk).update(
        status=VendorImportJob.Status.INVALID, report={"issues": [], "error_count": 0}
    )
    page.wait_for_selector("#job-status:has-text('Has errors')")
    assert page.locator("#import-progress").count() == 0
