"""Journey 2: SDO starts from the to-do list (a vendor is overdue with its outcome form),
uploads a session's shortlist with errors, reads them, uploads the corrected file, then
goes back to the to-do list to enter and submit the overdue vendor's six-monthly outcomes,
which FAO is told of, in Thai and in English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.fiscal import BANGKOK
from core.roles import Role
from meetings.models import Session, ShortlistEntry
from notifications.models import OutboxMessage
from outcomes.models import Submission
from vendors.models import Vendor

from ..factories import (
    ProductFactory,
    ProgrammeYearFactory,
    ReportingPeriodFactory,
    SessionFactory,
    ShortlistEntryFactory,
    SisterCityFactory,
    VendorFactory,
)
from ..vendors.workbooks import product_row, vendor_row, workbook

pytestmark = [
    pytest.mark.browser,
    pytest.mark.long,
    pytest.mark.django_db(transaction=True),
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TEXT = {
    "th": {
        "has_errors": "มีข้อผิดพลาด",
        "not_allowed": "“Atlantis” ไม่อยู่ในรายการที่เลือกได้",
        "not_a_number": "กรอกตัวเลข เช่น 1200.50 หรือ ๑,๒๐๐.๕๐",
        "ready": "พร้อมนำเข้า",
        "imported": "นำเข้าแล้ว",
        "import_done": "นำเข้าเรียบร้อยแล้ว",
        "not_approved": "ยังไม่ได้อนุมัติ",
        "first_vendor": "ร้านขนม 1",
        "overdue": "ผู้ประกอบการที่ส่งแบบรายงานผลเกินกำหนด",
        "contacted_on": "20/1/2569",
        "ordered_on": "5/2/2569",
        "saved": "บันทึกแบบรายงานแล้ว",
        "sent": "ส่งแบบรายงานให้ สกต. ตรวจสอบแล้ว",
        "submitted": "ส่ง สกต. แล้ว",
    },
    "en": {
        "has_errors": "Has errors",
        "not_allowed": "“Atlantis” is not one of the allowed values.",
        "not_a_number": "Enter a number, such as 1200.50 or ๑,๒๐๐.๕๐.",
        "ready": "Ready to import",
        "imported": "Imported",
        "import_done": "The import is complete.",
        "not_approved": "Not approved yet",
        "first_vendor": "Dessert shop 1",
        "overdue": "Vendors overdue with their outcome form",
        "contacted_on": "20/1/2026",
        "ordered_on": "5/2/2026",
        "saved": "The submission was saved.",
        "sent": "The submission was sent to FAO for review.",
        "submitted": "Submitted to FAO",
    },
}


@pytest.fixture
def programme(db):
    """FY 2569's first session is held (a vendor took part); FY 2570's next is planned."""
    seoul = SisterCityFactory(name_en="Seoul", name_th="โซล", country="KR", time_zone="Asia/Seoul")
    held = SessionFactory(
        year=ProgrammeYearFactory(fiscal_year=2569),
        number=1,
        status=Session.Status.HELD,
        starts_at=dt.datetime(2026, 1, 15, 10, tzinfo=BANGKOK),
        ends_at=dt.datetime(2026, 1, 15, 13, tzinfo=BANGKOK),
    )
    held.cities.set([seoul])
    vendor = VendorFactory(
        business_name_th="ขนมไทยพระนคร",
        business_name_en="Phra Nakhon Thai Desserts",
        certificate_number="BB-0100",
    )
    ProductFactory(vendor=vendor, name_en="Coconut rolls", name_th="ทองม้วน", unit="box")
    ShortlistEntryFactory(vendor=vendor, session=held, attended=True)
    # The first half of FY 2569 is still open for SDO whatever day the suite runs.
    period = ReportingPeriodFactory(
        fiscal_year=2569, half=1, locked_on=timezone.localdate() + dt.timedelta(days=60)
    )
    # Past its due date, the daily check opened a draft for SDO: the vendor is overdue.
    Submission.objects.create(
        vendor=vendor,
        period=period,
        entered_via=Submission.EnteredVia.REMINDER,
        overdue_since=period.due_on + dt.timedelta(days=1),
    )
    upcoming = SessionFactory(
        year=ProgrammeYearFactory(fiscal_year=2570, vendors_per_session=5),
        number=1,
        status=Session.Status.PLANNED,
        starts_at=dt.datetime(2027, 1, 19, 10, tzinfo=BANGKOK),
        ends_at=dt.datetime(2027, 1, 19, 12, tzinfo=BANGKOK),
    )
    upcoming.cities.set([seoul])
    return {"vendor": vendor, "upcoming": upcoming}


def shortlist_file(*, broken: bool) -> bytes:
    vendors = [vendor_row(1, expires="31/12/2580"), vendor_row(2, expires="31/12/2580")]
    products = [product_row(1), product_row(2, "ขนมเปี๊ยะ")]
    if broken:
        vendors[1] = vendor_row(2, expires="31/12/2580", district="Atlantis")
        products[0] = product_row(1, price="๑๒ก")
    return workbook(vendors=vendors, products=products)


def error_rows(sdo) -> list[list[str]]:
    rows = [
        [cell.strip() for cell in row.split("\t")]
        for row in sdo.text("#import-errors tbody").splitlines()
    ]
    return [[row[1], row[3], row[4]] for row in rows]  # row number, value, message


def test_sdo_uploads_a_shortlist_fixes_it_and_submits_outcomes(
    walk, language, programme, make_user, password
):
    text = TEXT[language]
    upcoming = programme["upcoming"]
    sdo_user = make_user(Role.SDO, username="sdo.journey")
    fao_user = make_user(Role.FAO, username="fao.journey")
    sdo = walk("2-sdo")
    page = sdo.page
    sdo.log_in(sdo_user.username, password)

    # The to-do list: one vendor is overdue, counted in the menu too.
    overdue = page.locator("[data-todo='outcomes.overdue']")
    assert overdue.get_attribute("data-count") == "1"
    assert text["overdue"] in overdue.inner_text()
    assert sdo.text("#todo-count").startswith("1")
    sdo.shot("todo")

    # The shortlist of the upcoming session, from the workbook SDO keeps.
    sdo.click("[data-nav=shortlists]")
    sdo.click(f"a[href='/vendors/shortlists/{upcoming.pk}/']")
    assert text["not_approved"] in sdo.text("#approval-state")
    sdo.click(f"a[href='/vendors/import/?session={upcoming.pk}']")
    assert page.input_value("select[name=session]") == str(upcoming.pk)
    upload = {"mimeType": XLSX, "name": "shortlist.xlsx"}
    page.set_input_files("input[name=file]", {**upload, "buffer": shortlist_file(broken=True)})
    sdo.click("#import-form button[type=submit]")
    assert sdo.text("#job-status") == text["has_errors"]
    assert error_rows(sdo) == [
        ["3", "Atlantis", text["not_allowed"]],
        ["2", "๑๒ก", text["not_a_number"]],
    ]
    assert page.locator("#confirm-import").count() == 0
    sdo.shot("shortlist-errors")
    assert not Vendor.objects.filter(certificate_number__in=["BB-0001", "BB-0002"]).exists()
    assert not ShortlistEntry.objects.filter(session=upcoming).exists()

    # The corrected file: checked, previewed, confirmed.
    page.goto(sdo.url(f"/vendors/import/?session={upcoming.pk}"))
    page.set_input_files("input[name=file]", {**upload, "buffer": shortlist_file(broken=False)})
    sdo.click("#import-form button[type=submit]")
    assert sdo.text("#job-status") == text["ready"]
    sdo.shot("shortlist-preview")
    sdo.click("#confirm-import")
    assert sdo.text("#job-status") == text["imported"]
    assert text["import_done"] in sdo.text("#import-done")
    sdo.click("#import-done a")
    assert text["first_vendor"] in sdo.text("#shortlist")
    assert page.locator("#shortlist > li").count() == 2
    sdo.shot("shortlist-imported")
    assert list(
        ShortlistEntry.objects.filter(session=upcoming)
        .order_by("position")
        .values_list("vendor__certificate_number", flat=True)
    ) == ["BB-0001", "BB-0002"]

    # Back to the to-do list: the overdue vendor, who took part in the held session.
    vendor = programme["vendor"]
    sdo.click("[data-nav=todo]")
    sdo.click("[data-todo='outcomes.overdue'] a")
    assert page.locator("[data-submission]").count() == 1
    sdo.click("[data-submission] a")
    sdo.click("#edit-submission")
    page.select_option(
        "select[name='contacts-0-city']", label="โซล" if language == "th" else "Seoul"
    )
    page.fill("input[name='contacts-0-counterpart_name']", "Kim Ji-woo")
    page.select_option("select[name='contacts-0-counterpart_kind']", "business")
    page.select_option("select[name='contacts-0-direction']", "incoming")
    page.fill("input[name='contacts-0-contacted_on']", text["contacted_on"])
    page.select_option("select[name='contacts-0-channel']", "email")
    page.check("input[name='contacts-0-about_buying']")
    page.select_option("select[name='orders-0-product']", index=1)
    page.select_option("select[name='orders-0-city']", label="โซล" if language == "th" else "Seoul")
    page.fill("input[name='orders-0-quantity']", "40")
    page.fill("input[name='orders-0-value_thb']", "4800")
    page.fill("input[name='orders-0-ordered_on']", text["ordered_on"])
    sdo.shot("outcomes-form")
    sdo.click("#save-lines")
    assert text["saved"] in sdo.text("main")
    sdo.click("#submit-submission")
    sdo.shot("outcomes-submit-confirm")
    sdo.click("#confirm-action")
    assert text["sent"] in sdo.text("main")
    assert sdo.text("#submission-status [data-status]") == text["submitted"]
    sdo.shot("outcomes-submitted")

    # Nothing is overdue any more; it is FAO's turn, and FAO is told.
    sdo.click("[data-nav=todo]")
    assert page.get_attribute("[data-todo='outcomes.overdue']", "data-count") == "0"
    assert page.locator("#todo-count").count() == 0
    sdo.shot("todo-done")
    submission = Submission.objects.get(vendor=vendor)
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.submitted_by == sdo_user
    message = OutboxMessage.objects.get(template="outcomes.staff_submitted")
    assert (message.recipient_id, message.context) == (
        fao_user.pk,
        {"submission_id": submission.pk},
    )
    contact = submission.contacts.get()
    assert (contact.counterpart_name, contact.contacted_on) == ("Kim Ji-woo", dt.date(2026, 1, 20))
    order = submission.orders.get()
    assert (order.quantity, order.value_thb, order.ordered_on) == (40, 4800, dt.date(2026, 2, 5))
