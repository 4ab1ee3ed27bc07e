"""The outcome form uploaded as .xlsx: template, preview with every problem, one write."""

import datetime as dt
import html
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from outcomes.models import Contact, OutcomeUpload, Submission

from ..factories import ProductFactory, VendorFactory
from .conftest import attend, submission_for

pytestmark = pytest.mark.django_db

CONTACTS = "การติดต่อ Contacts"
ORDERS = "คำสั่งซื้อ Orders"


@pytest.fixture
def submission(session1, seoul, fukuoka):
    vendor = VendorFactory(business_name_en="Phra Nakhon Desserts", certificate_number="BB-0042")
    attend(vendor, session1)
    ProductFactory(vendor=vendor, name_th="ทองม้วน", name_en="Coconut rolls", unit="box")
    submission = submission_for(vendor, dt.date(2026, 1, 20), status=Submission.Status.DRAFT)
    submission.period.locked_on = timezone.localdate() + dt.timedelta(days=60)
    submission.period.save()
    return submission


def template_of(client, submission) -> openpyxl.Workbook:
    response = client.get(reverse("outcomes:submission-template", kwargs={"pk": submission.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="outcome-form-BB-0042-2569-1.xlsx"'
    )
    return openpyxl.load_workbook(io.BytesIO(response.content))


def filled(workbook, contacts=(), orders=()) -> SimpleUploadedFile:
    """Type rows in from row 2, as a user does (the template formats the rows below)."""
    for sheet, rows in ((CONTACTS, contacts), (ORDERS, orders)):
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                workbook[sheet].cell(row=r, column=c, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("outcome.xlsx", buffer.getvalue())


SEOUL_CONTACT = (
    "20/1/2569",
    "Seoul",
    "Kim Ji-woo",
    "Seoul Foods Co.",
    "Business",
    "They contacted the vendor",
    "E-mail",
    "yes",
    "Session 1, FY 2569",
    "Coconut rolls",
    "",
)
SEOUL_ORDER = ("1/2/2026", "ทองม้วน", "โซล", 20, "", 2400, "")


def upload(client, submission, file):
    return client.post(
        reverse("outcomes:submission-upload", kwargs={"pk": submission.pk}), {"file": file}
    )


def test_the_template_has_both_sheets_with_thai_and_english_headers(
    submission, sdo_user, client_for
):
    workbook = template_of(client_for(sdo_user), submission)
    assert [s for s in workbook.sheetnames if s in (CONTACTS, ORDERS)] == [CONTACTS, ORDERS]
    headers = [c.value for c in workbook[CONTACTS][1]]
    assert headers[:3] == [
        "วันที่ติดต่อ *\nDate *",
        "เมืองพี่เมืองน้อง *\nSister city *",
        "ชื่อผู้ติดต่อ *\nCounterpart *",
    ]
    # The vendor's own products are offered in the hidden list sheet.
    options = {c.value for row in workbook["lists"].iter_rows() for c in row if c.value}
    assert "ทองม้วน / Coconut rolls" in options


def test_sdo_uploads_previews_and_confirms(submission, sdo_user, client_for):
    client = client_for(sdo_user)
    file = filled(template_of(client, submission), [SEOUL_CONTACT], [SEOUL_ORDER])
    response = upload(client, submission, file)
    record = OutcomeUpload.objects.get()
    assert response["Location"] == reverse("outcomes:upload-preview", kwargs={"pk": record.pk})
    assert record.status == "ready" and not submission.contacts.exists()

    preview = client.get(response["Location"]).content.decode()
    assert "What the import will do" in preview
    assert "20/1/2026 · Seoul · Kim Ji-woo" in preview

    done = client.post(reverse("outcomes:upload-confirm", kwargs={"pk": record.pk}), follow=True)
    assert "The outcome form was imported." in done.content.decode()
    contact = submission.contacts.get()
    assert (contact.city.name_en, contact.about_buying, contact.session.number) == (
        "Seoul",
        True,
        1,
    )
    assert (contact.counterpart_kind, contact.direction, contact.channel) == (
        "business",
        "incoming",
        "email",
    )
    order = submission.orders.get()
    assert (order.quantity, order.unit, order.value_thb) == (Decimal("20"), "box", Decimal("2400"))
    assert order.ordered_on == dt.date(2026, 2, 1)
    submission.refresh_from_db()
    assert submission.entered_via == "upload"
    assert contact.history.first().history_user == sdo_user


def test_the_confirmation_writes_the_plan_of_the_check(
    submission, sdo_user, client_for, monkeypatch
):
    from outcomes.imports import OutcomeFormImport

    client = client_for(sdo_user)
    file = filled(template_of(client, submission), [SEOUL_CONTACT], [SEOUL_ORDER])
    upload(client, submission, file)
    record = OutcomeUpload.objects.get()
    assert record.plan_file

    def read_again(*args, **kwargs):
        raise AssertionError("the confirmation read the file again")

    monkeypatch.setattr(OutcomeFormImport, "validate", read_again)
    done = client.post(reverse("outcomes:upload-confirm", kwargs={"pk": record.pk}), follow=True)
    assert "The outcome form was imported." in done.content.decode()
    assert submission.contacts.count() == 1 and submission.orders.count() == 1
    record.refresh_from_db()
    assert record.status == "done" and not record.plan_file


def test_the_same_file_twice_changes_nothing_and_a_dropped_row_is_removed(
    submission, sdo_user, client_for
):
    client = client_for(sdo_user)
    template = template_of(client, submission)
    second = (*SEOUL_CONTACT[:2], "Park", *SEOUL_CONTACT[3:])
    first_file = filled(template, [SEOUL_CONTACT, second], [SEOUL_ORDER])
    upload(client, submission, first_file)
    client.post(reverse("outcomes:upload-confirm", kwargs={"pk": OutcomeUpload.objects.get().pk}))
    ids = set(submission.contacts.values_list("pk", flat=True))
    assert len(ids) == 2

    first_file.seek(0)
    upload(client, submission, SimpleUploadedFile("again.xlsx", first_file.read()))
    again = OutcomeUpload.objects.latest("created_at")
    assert again.report["plan"]["counts"]["contact"] == {
        "create": 0,
        "update": 0,
        "unchanged": 2,
        "delete": 0,
    }

    smaller = filled(template_of(client, submission), [SEOUL_CONTACT], [SEOUL_ORDER])
    upload(client, submission, smaller)
    latest = OutcomeUpload.objects.latest("created_at")
    client.post(reverse("outcomes:upload-confirm", kwargs={"pk": latest.pk}))
    remaining = list(submission.contacts.values_list("pk", "counterpart_name"))
    assert len(remaining) == 1 and remaining[0][1] == "Kim Ji-woo" and remaining[0][0] in ids


def test_every_problem_is_reported_with_sheet_row_column_and_value(
    submission, sdo_user, client_for
):
    client = client_for(sdo_user)
    bad_city = ("20/1/2569", "Seol", *SEOUL_CONTACT[2:])
    late = ("2/4/2569", *SEOUL_CONTACT[1:])
    early = ("14/1/2569", *SEOUL_CONTACT[1:])
    no_name = (SEOUL_CONTACT[0], SEOUL_CONTACT[1], "", *SEOUL_CONTACT[3:])
    file = filled(template_of(client, submission), [bad_city, late, early, no_name])
    response = upload(client, submission, file)
    record = OutcomeUpload.objects.get()
    assert record.status == "invalid"
    text = client.get(response["Location"]).content.decode()
    assert "The file has 4 problems to correct. Nothing was saved." in text
    assert "“Seol” is not one of the allowed values. Did you mean “โซล / Seoul”?" in text
    assert "The date is after the end of the reporting period (31 March 2026)." in text
    assert "The contact is dated before the session it followed from (15 January 2026)." in text
    assert "This cell is required." in text
    issues = {(i["sheet"], i["row"], i["column"], i["code"]) for i in record.report["issues"]}
    assert issues == {
        (CONTACTS, 2, "B", "not_choice_suggest"),
        (CONTACTS, 3, "A", "outcome_date_after_period"),
        (CONTACTS, 4, "A", "outcome_before_session"),
        (CONTACTS, 5, "C", "required"),
    }
    assert 'id="confirm-upload"' not in text
    assert not Contact.objects.exists()

    problems = client.get(reverse("outcomes:upload-errors", kwargs={"pk": record.pk}))
    sheet = openpyxl.load_workbook(io.BytesIO(problems.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Severity", "Sheet", "Row", "Column", "Column name", "Value", "Message")
    assert rows[1][:6] == ("Error", CONTACTS, 2, "B", "Sister city", "Seol")


def test_problems_are_reported_in_thai(submission, sdo_user, client_for):
    client = client_for(sdo_user, language="th")
    late = ("2/4/2569", *SEOUL_CONTACT[1:])
    response = upload(client, submission, filled(template_of(client, submission), [late]))
    text = client.get(response["Location"]).content.decode()
    assert "วันที่อยู่หลังวันสิ้นสุดรอบการรายงาน (31 มีนาคม 2569)" in text


def test_a_file_that_is_not_a_workbook_is_refused_with_a_clear_message(
    submission, sdo_user, client_for
):
    client = client_for(sdo_user)
    file = SimpleUploadedFile("outcome.xlsx", b"date,city\n20/1/2569,Seoul\n")
    response = upload(client, submission, file)
    text = client.get(response["Location"]).content.decode()
    assert (
        "This file contains plain text (such as CSV), not an Excel workbook. Open it in "
        "Excel and save it as “Excel Workbook (.xlsx)”." in text
    )


def test_a_change_after_the_preview_stops_the_write(submission, seoul, sdo_user, client_for):
    client = client_for(sdo_user)
    upload(client, submission, filled(template_of(client, submission), [SEOUL_CONTACT]))
    record = OutcomeUpload.objects.get()
    # Someone enters a contact by the web form meanwhile.
    from ..factories import OutcomeContactFactory

    OutcomeContactFactory(submission=submission, city=seoul, contacted_on=dt.date(2026, 2, 2))
    response = client.post(
        reverse("outcomes:upload-confirm", kwargs={"pk": record.pk}), follow=True
    )
    assert (
        "The submission changed since the preview. Check the new preview and confirm again."
        in response.content.decode()
    )
    record.refresh_from_db()
    assert record.status == "stale"
    assert submission.contacts.count() == 1


def test_an_accepted_submission_takes_no_upload(submission, sdo_user, client_for):
    Submission.objects.filter(pk=submission.pk).update(status="accepted")
    response = client_for(sdo_user).get(
        reverse("outcomes:submission-upload", kwargs={"pk": submission.pk}), follow=True
    )
    assert "This submission can no longer be changed." in response.content.decode()


@pytest.mark.parametrize("quantity", [0, -3, "0.001"])
def test_an_order_quantity_of_zero_or_below_is_a_message_not_a_server_error(
    submission, sdo_user, client_for, quantity
):
    client = client_for(sdo_user)
    order = (*SEOUL_ORDER[:3], quantity, *SEOUL_ORDER[4:])
    response = upload(client, submission, filled(template_of(client, submission), [], [order]))
    assert response.status_code == 302
    record = OutcomeUpload.objects.get()
    assert record.status == "invalid"
    issue = next(i for i in record.report["issues"] if i["column"] == "D")
    if quantity == "0.001":
        assert issue["code"] == "too_many_decimals"
    else:
        assert (issue["code"], issue["params"]) == ("too_small", {"limit": "0.01"})
        text = client.get(response["Location"]).content.decode()
        assert "The number must be at least 0.01." in text
        th = client_for(sdo_user, language="th").get(response["Location"]).content.decode()
        assert "ตัวเลขต้องไม่น้อยกว่า 0.01" in th
    assert not submission.orders.exists()


def test_a_workbook_with_an_xml_entity_is_refused_and_nothing_stored(
    submission, sdo_user, client_for
):
    from tests.core.spreadsheets.builders import with_entity

    client = client_for(sdo_user)
    file = filled(template_of(client, submission), [SEOUL_CONTACT])
    data = with_entity(file.read(), "xl/worksheets/sheet3.xml", "Kim Ji-woo")
    response = upload(client, submission, SimpleUploadedFile("outcome.xlsx", data))
    assert response.status_code == 302
    record = OutcomeUpload.objects.get()
    assert record.status == "invalid"
    assert [i["code"] for i in record.report["issues"]] == ["xml_forbidden"]
    text = html.unescape(client.get(response["Location"]).content.decode())
    assert (
        "This workbook contains XML features that are not allowed (a document type or "
        "entity declaration); Excel never writes them. Open the file in Excel, save it "
        "again as “Excel Workbook (.xlsx)” and upload it again."
    ) in text
    th_page = client_for(sdo_user, language="th").get(response["Location"]).content.decode()
    assert (
        "สมุดงานนี้มีส่วนประกอบ XML ที่ไม่อนุญาต (การประกาศชนิดเอกสารหรือเอนทิตี) "
        "ซึ่ง Excel ไม่เคยสร้าง กรุณาเปิดไฟล์ใน Excel บันทึกใหม่เป็น “Excel Workbook (.xlsx)” "
        "แล้วอัปโหลดอีกครั้ง"
    ) in html.unescape(th_page)
    assert not submission.contacts.exists()


def test_a_header_not_in_the_template_stops_the_upload_unless_ignored(
    submission, sdo_user, client_for
):
    client = client_for(sdo_user)
    template = template_of(client, submission)
    template[CONTACTS]["K1"] = "หมายเหตุ\nNotse"
    template[CONTACTS]["L1"] = "Follow-up"
    file = filled(template, [(*SEOUL_CONTACT, "next month")])
    data = file.read()
    response = upload(client, submission, SimpleUploadedFile("outcome.xlsx", data))
    record = OutcomeUpload.objects.get()
    assert record.status == "invalid" and not record.ignore_extra_columns
    text = html.unescape(client.get(response["Location"]).content.decode())
    assert "The column “หมายเหตุ Notse” is not known. Did you mean “หมายเหตุ / Notes”?" in text
    assert (
        "The column “Follow-up” is not in the template. Correct its header or remove the "
        "column, or choose to ignore columns that are not in the template."
    ) in text
    th = html.unescape(
        client_for(sdo_user, language="th").get(response["Location"]).content.decode()
    )
    assert (
        "คอลัมน์ “Follow-up” ไม่มีในแบบฟอร์ม กรุณาแก้หัวคอลัมน์หรือลบคอลัมน์นี้ หรือเลือกละเว้นคอลัมน์ที่ไม่มีในแบบฟอร์ม"
    ) in th

    response = client.post(
        reverse("outcomes:submission-upload", kwargs={"pk": submission.pk}),
        {"file": SimpleUploadedFile("outcome.xlsx", data), "ignore_extra_columns": "on"},
    )
    record = OutcomeUpload.objects.latest("pk")
    assert record.status == "ready" and record.ignore_extra_columns
    client.post(reverse("outcomes:upload-confirm", kwargs={"pk": record.pk}))
    record.refresh_from_db()
    assert record.status == "done"
    assert submission.contacts.get().counterpart_name == "Kim Ji-woo"


def test_the_upload_form_offers_to_ignore_extra_columns(submission, sdo_user, client_for):
    url = reverse("outcomes:submission-upload", kwargs={"pk": submission.pk})
    page = client_for(sdo_user).get(url).content.decode()
    assert 'name="ignore_extra_columns"' in page
    assert "Ignore columns that are not in the template" in page
