"""In a real browser: SDO enters one submission by the web form and one by uploading the
outcome form; FAO returns the first and accepts the second; the KPI and the dashboard
follow."""

import datetime as dt

import openpyxl
import pytest
from django.utils import timezone

from core.roles import Role
from outcomes.models import Submission

from ..browser_support import ARTIFACTS, choose_language, follow, log_in
from ..factories import ProductFactory, ReportingPeriodFactory, VendorFactory
from .conftest import attend, make_session

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def programme(year, seoul):
    session = make_session(year, 1, [seoul], dt.date(2026, 1, 15))
    by_form = VendorFactory(business_name_en="Phra Nakhon Desserts", certificate_number="BB-0001")
    by_upload = VendorFactory(business_name_en="Chatuchak Herbal Tea", certificate_number="BB-0002")
    for vendor in (by_form, by_upload):
        attend(vendor, session)
    ProductFactory(vendor=by_form, name_en="Coconut rolls", name_th="ทองม้วน", unit="box")
    ProductFactory(vendor=by_upload, name_en="Lemongrass tea", name_th="ชาตะไคร้", unit="pack")
    # The first half of FY 2569 is still open for SDO whatever day the suite runs.
    ReportingPeriodFactory(
        fiscal_year=2569, half=1, locked_on=timezone.localdate() + dt.timedelta(days=60)
    )
    return {"form": by_form, "upload": by_upload}


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"outcomes-{name}.png"), full_page=True)


def new_submission(page, vendor_name: str) -> None:
    page.goto(f"{page.base_url}/outcomes/")
    follow(page, "#new-submission")
    page.select_option("select[name=vendor]", label=vendor_name)
    page.select_option("select[name=half]", label="FY 2569, first half (Oct–Mar)")
    follow(page, "#submission-create-form button[type=submit]")
    page.wait_for_load_state("networkidle")


def log_out(page) -> None:
    follow(page, "#user-menu")
    follow(page, "#logout-button")
    page.wait_for_load_state("networkidle")


@pytest.mark.long
def test_sdo_enters_fao_reviews_and_the_dashboard_follows(
    live_portal, programme, make_user, password, tmp_path
):
    sdo = make_user(Role.SDO, username="sdo.browser")
    fao = make_user(Role.FAO, username="fao.browser")
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, "en")
    log_in(page, sdo.username, password)

    # 1. By the web form, with a second contact line added by the page's script.
    new_submission(page, "Phra Nakhon Desserts")
    assert "The submission was created. Enter its contacts and orders." in page.inner_text("main")
    page.select_option("select[name='contacts-0-city']", label="Seoul")
    page.fill("input[name='contacts-0-counterpart_name']", "Kim Ji-woo")
    page.select_option("select[name='contacts-0-counterpart_kind']", label="Business")
    page.select_option("select[name='contacts-0-direction']", label="They contacted the vendor")
    page.fill("input[name='contacts-0-contacted_on']", "20/1/2569")
    page.select_option("select[name='contacts-0-channel']", label="E-mail")
    page.check("input[name='contacts-0-about_buying']")
    follow(page, "#add-contact")
    page.select_option("select[name='contacts-1-city']", label="Seoul")
    page.fill("input[name='contacts-1-counterpart_name']", "Lee Min-ho")
    page.select_option("select[name='contacts-1-counterpart_kind']", label="Customer")
    page.select_option("select[name='contacts-1-direction']", label="The vendor contacted them")
    page.fill("input[name='contacts-1-contacted_on']", "2/2/2569")
    page.select_option("select[name='contacts-1-channel']", label="LINE")
    page.select_option("select[name='orders-0-product']", index=1)
    page.select_option("select[name='orders-0-city']", label="Seoul")
    page.fill("input[name='orders-0-quantity']", "40")
    page.fill("input[name='orders-0-value_thb']", "4800")
    page.fill("input[name='orders-0-ordered_on']", "5/2/2569")
    shot(page, "edit-form-en")
    follow(page, "#save-lines")
    page.wait_for_load_state("networkidle")
    assert "The submission was saved." in page.inner_text("main")
    assert page.locator("#contacts-table tbody tr").count() == 2
    assert "40 box" in page.inner_text("#orders-table")
    follow(page, "#submit-submission")
    follow(page, "#confirm-action")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("#submission-status [data-status]", "data-status") == "submitted"

    # 2. By uploading the outcome form, filled in the template the page hands out.
    new_submission(page, "Chatuchak Herbal Tea")
    by_upload = Submission.objects.get(vendor=programme["upload"])
    page.goto(f"{page.base_url}/outcomes/{by_upload.pk}/")
    follow(page, "#upload-submission")
    with page.expect_download() as download:
        follow(page, "#download-template")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    workbook = openpyxl.load_workbook(template)
    contacts = workbook["การติดต่อ Contacts"]
    for column, value in enumerate(
        [
            "25/1/2569",
            "โซล / Seoul",
            "Park Seo-jun",
            "Seoul Tea House",
            "ธุรกิจ / Business",
            "อีกฝ่ายติดต่อผู้ประกอบการ / They contacted the vendor",
            "อีเมล / E-mail",
            "ใช่ / yes",
        ],
        start=1,
    ):
        contacts.cell(row=2, column=column, value=value)
    workbook.save(template)
    page.set_input_files("input[name=file]", str(template))
    follow(page, "#check-upload")
    page.wait_for_load_state("networkidle")
    assert "What the import will do" in page.inner_text("main")
    assert "25/1/2026 · Seoul · Park Seo-jun" in page.inner_text("section:has(#upload-plan) ul")
    shot(page, "upload-preview-en")
    follow(page, "#confirm-upload")
    page.wait_for_load_state("networkidle")
    assert "The outcome form was imported." in page.inner_text("main")
    assert "Park Seo-jun" in page.inner_text("#contacts-table")
    follow(page, "#submit-submission")
    follow(page, "#confirm-action")
    page.wait_for_load_state("networkidle")
    log_out(page)

    # 3. FAO: the KPI before any acceptance.
    log_in(page, fao.username, password)
    page.goto(f"{page.base_url}/outcomes/dashboard/")
    follow(page, "#kpi-recompute")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#kpi-value") == "0.00%"
    assert page.inner_text("#kpi-participants") == "2"

    # FAO returns the first submission with a reason and accepts the second.
    page.goto(f"{page.base_url}/outcomes/?status=submitted")
    follow(page, "text=Phra Nakhon Desserts")
    follow(page, "#return-submission")
    page.fill("textarea[name=reason]", "The order of 5 February has no buyer named.")
    follow(page, "#confirm-action")
    page.wait_for_load_state("networkidle")
    assert "The submission was returned to SDO." in page.inner_text("main")
    assert page.get_attribute("#submission-status [data-status]", "data-status") == "returned"
    page.goto(f"{page.base_url}/outcomes/?status=submitted")
    follow(page, "text=Chatuchak Herbal Tea")
    follow(page, "#accept-submission")
    assert "count in the statistics and the KPI" in page.inner_text("#consequence")
    shot(page, "accept-confirm-en")
    follow(page, "#confirm-action")
    page.wait_for_load_state("networkidle")
    assert "The submission was accepted. The KPI is being recomputed." in page.inner_text("main")

    # 4. The dashboard follows: one of the two participants has a buying contact.
    page.goto(f"{page.base_url}/outcomes/dashboard/")
    assert page.inner_text("#kpi-value") == "50.00%"
    assert page.inner_text("#kpi-achieved") == "1"
    assert page.inner_text("#kpi-status") == "Target met"
    assert "Seoul" in page.inner_text("#table-city")
    # Chart.js drew each chart (it marks the canvas it owns).
    page.wait_for_function("document.getElementById('chart-city').chart !== undefined")
    assert page.evaluate("document.getElementById('chart-kpi').chart.data.datasets[0].data") == [
        1,
        1,
    ]
    shot(page, "dashboard-en")
    choose_language(page, "th")
    assert page.inner_text("#kpi-status") == "บรรลุเป้าหมาย"
    assert "โซล" in page.inner_text("#table-city")
    shot(page, "dashboard-th")

    # SDO sees the reason on the returned submission, in Thai.
    log_out(page)
    log_in(page, sdo.username, password)
    returned = Submission.objects.get(vendor=programme["form"])
    page.goto(f"{page.base_url}/outcomes/{returned.pk}/")
    assert "The order of 5 February has no buyer named." in page.inner_text("#return-reason")
    assert "สกต. ส่งคืน:" in page.inner_text("#return-reason")
    shot(page, "returned-th")


def test_a_vendor_fills_in_its_form_through_the_link_in_thai(
    live_portal, browser, programme, make_user, password
):
    sdo = make_user(Role.SDO, username="sdo.link")
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, "en")
    log_in(page, sdo.username, password)
    new_submission(page, "Phra Nakhon Desserts")
    submission = Submission.objects.get(vendor=programme["form"])
    page.goto(f"{page.base_url}/outcomes/{submission.pk}/")
    page.fill("input[name=email]", "")
    follow(page, "#create-link")
    page.wait_for_load_state("networkidle")
    url = page.input_value("#vendor-link-url")
    assert url.startswith("http://127.0.0.1:8000/outcomes/v/")
    path = url.removeprefix("http://127.0.0.1:8000")

    # The vendor: no account, a browser in Thai.
    context = browser.new_context(locale="th-TH", viewport={"width": 1280, "height": 900})
    vendor_page = context.new_page()
    try:
        vendor_page.goto(f"{page.base_url}{path}")
        assert vendor_page.get_attribute("html", "lang") == "th"
        assert "แบบรายงานผลรายหกเดือน" in vendor_page.inner_text("main")
        vendor_page.select_option("select[name='contacts-0-city']", label="โซล")
        vendor_page.fill("input[name='contacts-0-counterpart_name']", "Jung Ha-eun")
        vendor_page.select_option("select[name='contacts-0-counterpart_kind']", label="ลูกค้า")
        vendor_page.select_option(
            "select[name='contacts-0-direction']", label="อีกฝ่ายติดต่อผู้ประกอบการ"
        )
        vendor_page.fill("input[name='contacts-0-contacted_on']", "๒๘/๑/๒๕๖๙")
        vendor_page.select_option("select[name='contacts-0-channel']", label="LINE")
        vendor_page.check("input[name='contacts-0-about_buying']")
        follow(vendor_page, "#save-lines")
        vendor_page.wait_for_load_state("networkidle")
        assert "ขอบคุณ ระบบบันทึกแบบรายงานของท่านแล้ว" in vendor_page.inner_text("#vendor-saved")
        vendor_page.screenshot(path=str(ARTIFACTS / "outcomes-vendor-form-th.png"), full_page=True)
    finally:
        context.close()

    contact = submission.contacts.get()
    assert (contact.counterpart_name, contact.contacted_on) == (
        "Jung Ha-eun",
        dt.date(2026, 1, 28),
    )
    page.goto(f"{page.base_url}/outcomes/{submission.pk}/")
    assert "Jung Ha-eun" in page.inner_text("#contacts-table")
    assert "through its link" in page.inner_text("main")
