"""Every bad input named in the issue gets a clear message, and nothing is written."""

import html

import pytest
from django.test import override_settings

from tests.core.spreadsheets.builders import OLE_HEADER, encrypted, with_entity, with_member, xlsx
from vendors.models import Product, Vendor, VendorImportJob

from .workbooks import PRODUCT_HEADERS, VENDOR_HEADERS, product_row, vendor_row, workbook

pytestmark = pytest.mark.django_db


def assert_nothing_written(job=None):
    """The file was refused (no job) or its check failed, and the registry is untouched."""
    assert job is None or job.status == VendorImportJob.Status.INVALID
    assert Vendor.objects.count() == 0
    assert Product.objects.count() == 0
    assert Vendor.history.count() == 0


def errors_on(page: str) -> str:
    return html.unescape(page)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            OLE_HEADER + bytes(1024),
            "This is an old Excel 97–2003 file (.xls). Open it in Excel and save it as "
            "“Excel Workbook (.xlsx)”.",
        ),
        (
            "เลขที่ใบรับรอง,ชื่อ\nBB-1,ร้าน\n".encode(),
            "This file contains plain text (such as CSV), not an Excel workbook. Open it in "
            "Excel and save it as “Excel Workbook (.xlsx)”.",
        ),
        (bytes(range(256)) * 16, "This file is not an Excel workbook (.xlsx)."),
    ],
    ids=["xls", "csv-renamed", "random-bytes"],
)
def test_not_an_xlsx(upload, data, message):
    job, page = upload(data)
    assert job.status == VendorImportJob.Status.INVALID
    assert message in errors_on(page)
    assert 'id="confirm-import"' not in page
    assert_nothing_written(job)


def test_password_protected(upload):
    job, page = upload(encrypted(workbook()))
    assert (
        "This workbook is protected with a password. Remove the password in Excel "
        "(File › Info › Protect Workbook) and upload it again."
    ) in errors_on(page)
    assert_nothing_written(job)


def test_empty_sheet(upload):
    job, page = upload(xlsx({"ผู้ประกอบการ Vendors": [], "สินค้า Products": []}))
    assert "The sheet “ผู้ประกอบการ Vendors” is empty." in errors_on(page)
    assert_nothing_written(job)


def test_headers_but_no_rows(upload):
    job, page = upload(workbook(vendors=[], products=[]))
    assert "The sheet “ผู้ประกอบการ Vendors” has headers but no rows." in errors_on(page)
    assert_nothing_written(job)


def test_missing_header(upload):
    headers = [h for h in VENDOR_HEADERS if h != "Owner"]
    rows = [[c for i, c in enumerate(vendor_row(1)) if i != 3]]
    job, page = upload(workbook(vendors=rows, vendor_headers=headers))
    assert "The required column “Owner” is missing." in errors_on(page)
    assert_nothing_written(job)


def test_misspelt_header_suggests_the_closest(upload):
    headers = ["Bangkok Brand certificate number", "Bussiness name (Thai)", *VENDOR_HEADERS[2:]]
    job, page = upload(workbook(vendor_headers=headers))
    text = errors_on(page)
    assert (
        "The column “Bussiness name (Thai)” is not known. Did you mean “Business name (Thai)”?"
    ) in text
    assert "The required column “Business name (Thai)” is missing." not in text  # said once
    assert_nothing_written(job)


def test_merged_header_cells(upload):
    job, page = upload(workbook(merges={"ผู้ประกอบการ Vendors": ["B1:C1"]}))
    assert (
        "The header cells B1:C1 are merged. Unmerge them so that each column has its own header."
    ) in errors_on(page)
    assert_nothing_written(job)


def test_blank_rows_in_between_are_skipped_and_reported(upload, confirm):
    job, page = upload(workbook(vendors=[vendor_row(1), [], [], vendor_row(2)]))
    assert job.status == VendorImportJob.Status.READY
    text = errors_on(page)
    assert text.count("This row is blank and was skipped.") == 2
    assert_nothing_written()  # a preview writes nothing
    job, page = confirm(job)
    assert job.status == VendorImportJob.Status.DONE
    assert Vendor.objects.count() == 2


def test_thai_digits_in_numbers(upload, confirm):
    job, page = upload(workbook(products=[product_row(1, moq="๕๐", price="๑,๒๐๐.๕๐")]))
    assert job.status == VendorImportJob.Status.READY, page
    confirm(job)
    product = Product.objects.get()
    assert str(product.price_thb) == "1200.50" and product.min_order_quantity == 50


def test_a_bad_thai_number_is_reported(upload):
    job, page = upload(workbook(products=[product_row(1, price="๑๒ก")]))
    text = errors_on(page)
    assert "Enter a number, such as 1200.50 or ๑,๒๐๐.๕๐." in text
    assert 'cell-value">๑๒ก</span>' in text
    assert_nothing_written(job)


def test_dates_as_text_and_excel_serials(upload, confirm):
    rows = [vendor_row(1, certified="๑/๒/๒๕๖๗", expires=46418), vendor_row(2, certified=45323)]
    job, page = upload(workbook(vendors=rows, products=[]))
    assert job.status == VendorImportJob.Status.READY, page
    confirm(job)
    first, second = Vendor.objects.order_by("certificate_number")
    assert str(first.certified_on) == "2024-02-01"
    assert str(first.certificate_expires_on) == "2027-01-31"
    assert str(second.certified_on) == "2024-02-01"


def test_a_bad_date_is_reported_with_its_place(upload):
    job, page = upload(workbook(vendors=[vendor_row(1), vendor_row(2, certified="31/13/2567")]))
    text = errors_on(page)
    assert "<td>3</td><td>F <span" in text.replace("\n", "")
    assert (
        "Enter a date as day/month/year, such as 23/11/2569 or 23/11/2026, or as an Excel date."
    ) in text
    assert_nothing_written(job)


def test_over_long_text(upload):
    job, page = upload(workbook(vendors=[vendor_row(1, th="ก" * 300)]))
    assert "This text is 300 characters long; the limit is 255." in errors_on(page)
    assert_nothing_written(job)


def test_duplicate_rows(upload):
    job, page = upload(workbook(vendors=[vendor_row(1), vendor_row(2), vendor_row(1)]))
    assert "This row repeats row 2 (BB-0001)." in errors_on(page)
    assert_nothing_written(job)


def test_duplicate_products_ignoring_case(upload):
    products = [product_row(1, "Cake"), product_row(1, "cake")]
    job, page = upload(workbook(products=products))
    assert "This row repeats row 2 (BB-0001, cake)." in errors_on(page)
    assert_nothing_written(job)


@override_settings(UPLOAD_MAX_BYTES=2048)
def test_file_over_the_size_limit(upload):
    data = workbook()
    job, page = upload(data)
    assert job is None  # refused before it was stored
    assert f"The file is {len(data) / 1024:.1f}\xa0KB; the limit is 2.0\xa0KB." in errors_on(page)
    assert_nothing_written(job)


@override_settings(SPREADSHEET_MAX_ROWS=3)
def test_row_limit(upload):
    job, page = upload(workbook(vendors=[vendor_row(n) for n in range(1, 6)], products=[]))
    assert "The sheet “ผู้ประกอบการ Vendors” has 5 rows; the limit is 3." in errors_on(page)
    assert_nothing_written(job)


@override_settings(SPREADSHEET_MAX_UNCOMPRESSED_BYTES=5 * 1024 * 1024)
def test_zip_bomb(upload):
    bomb = with_member(workbook(), "xl/media/image1.bin", bytes(20 * 1024 * 1024))
    job, page = upload(bomb)
    assert (
        "This workbook unpacks to more than 5.0\xa0MB, which no workbook of this kind needs; "
        "it was not opened."
    ) in errors_on(page)
    assert_nothing_written(job)


def test_an_xml_entity_is_refused_with_a_clear_message(upload):
    data = with_entity(workbook(), "xl/worksheets/sheet1.xml", "BB-0001")
    job, page = upload(data)
    assert [i["code"] for i in job.report["issues"]] == ["xml_forbidden"]
    assert (
        "This workbook contains XML features that are not allowed (a document type or entity "
        "declaration); Excel never writes them."
    ) in errors_on(page)
    assert "XmlError" not in page
    assert_nothing_written(job)


def test_product_of_an_unknown_vendor(upload):
    job, page = upload(workbook(products=[product_row(9)]))
    assert (
        "No vendor has the certificate number “BB-0009”. Add the vendor to the vendors sheet "
        "or correct the number."
    ) in errors_on(page)
    assert_nothing_written(job)


def test_certificate_expiring_before_it_was_issued(upload):
    job, page = upload(workbook(vendors=[vendor_row(1, certified="1/2/2567", expires="1/1/2567")]))
    assert "The certificate expires before it was issued." in errors_on(page)
    assert_nothing_written(job)


def test_one_bad_row_blocks_every_row(upload, confirm, client_for, sdo_user):
    rows = [vendor_row(n) for n in range(1, 30)] + [vendor_row(30, district="Atlantis")]
    job, page = upload(workbook(vendors=rows, products=[]))
    assert "“Atlantis” is not one of the allowed values." in errors_on(page)
    # Confirming an invalid import is refused.
    job, page = confirm(job)
    assert job.status == VendorImportJob.Status.INVALID
    assert "This import is not waiting for a confirmation." in errors_on(page)
    assert_nothing_written(job)


def test_messages_in_thai(upload):
    job, page = upload(workbook(products=[product_row(1, price="abc")]), language="th")
    assert job.status == VendorImportJob.Status.INVALID
    text = errors_on(page)
    assert "กรอกตัวเลข เช่น 1200.50 หรือ ๑,๒๐๐.๕๐" in text
    assert "ไฟล์มีปัญหา 1 รายการ" in text


def test_headers_in_thai_are_accepted(upload):
    headers = ["เลขที่ใบรับรอง Bangkok Brand", "ชื่อกิจการ (ภาษาไทย)", "ชื่อเจ้าของกิจการ", "สำนักงานเขต"]
    job, page = upload(
        workbook(vendors=[["BB-1", "ร้าน", "นาย ก", "เขตดุสิต"]], products=[], vendor_headers=headers)
    )
    assert job.status == VendorImportJob.Status.READY, page


def test_a_misspelt_english_line_under_an_intact_thai_one_stops_the_import(upload, confirm):
    headers = [h if h != "Category" else "หมวดผลิตภัณฑ์\nCaetgory" for h in PRODUCT_HEADERS]
    job, page = upload(workbook(product_headers=headers))
    assert job.status == VendorImportJob.Status.INVALID
    assert (
        "The column “หมวดผลิตภัณฑ์ Caetgory” is not known. Did you mean “หมวดผลิตภัณฑ์ / Category”?"
    ) in errors_on(page)
    assert_nothing_written(job)

    job, page = upload(workbook(product_headers=headers), language="th")
    assert ("ไม่รู้จักคอลัมน์ “หมวดผลิตภัณฑ์ Caetgory” หมายถึง “หมวดผลิตภัณฑ์ / Category” หรือไม่") in errors_on(
        page
    )

    job, page = upload(workbook(product_headers=headers), ignore_extra_columns=True)
    assert job.status == VendorImportJob.Status.READY
    assert job.ignore_extra_columns
    assert (
        "The header “หมวดผลิตภัณฑ์ Caetgory” is not exactly the template's; it was read as "
        "“หมวดผลิตภัณฑ์ / Category”."
    ) in errors_on(page)
    job, _ = confirm(job)
    assert job.status == VendorImportJob.Status.DONE
    assert set(Product.objects.values_list("category__name_en", flat=True)) == {"Food products"}


@pytest.mark.parametrize("header", ["อีเมล์", "อีเมล์\nE-mail"])
def test_a_thai_header_spelt_otherwise_is_reported(upload, header):
    headers = [h if h != "E-mail" else header for h in VENDOR_HEADERS]
    job, page = upload(workbook(vendor_headers=headers))
    text = errors_on(page)
    suggestion = "E-mail" if header == "อีเมล์" else "อีเมล / E-mail"
    assert (
        f"The column “{header.replace(chr(10), ' ')}” is not known. Did you mean “{suggestion}”?"
        in text
    )
    assert_nothing_written(job)


def test_an_extra_column_stops_the_import_unless_ignored(upload, confirm):
    headers = [*VENDOR_HEADERS, "Remarks"]
    rows = [[*vendor_row(1), "call after 5"]]
    job, page = upload(workbook(vendors=rows, products=[], vendor_headers=headers))
    assert (
        "The column “Remarks” is not in the template. Correct its header or remove the "
        "column, or choose to ignore columns that are not in the template."
    ) in errors_on(page)
    assert_nothing_written(job)
    job, page = upload(
        workbook(vendors=rows, products=[], vendor_headers=headers), ignore_extra_columns=True
    )
    assert "The column “Remarks” is not known and was ignored." in errors_on(page)
    job, _ = confirm(job)
    assert job.status == VendorImportJob.Status.DONE and Vendor.objects.count() == 1


def test_the_upload_form_offers_to_ignore_extra_columns(client_for, sdo_user):
    from django.urls import reverse

    page = client_for(sdo_user).get(reverse("vendors:import")).content.decode()
    assert 'name="ignore_extra_columns"' in page
    assert "Ignore columns that are not in the template" in page
    th = client_for(sdo_user, language="th").get(reverse("vendors:import")).content.decode()
    assert "ละเว้นคอลัมน์ที่ไม่มีในแบบฟอร์ม" in th


@pytest.mark.parametrize(
    ("header", "th", "en"),
    [
        ("Minimum order quantity", "ตัวเลขต้องไม่น้อยกว่า 1", "The number must be at least 1."),
        ("Shelf life (days)", "ตัวเลขต้องไม่น้อยกว่า 1", "The number must be at least 1."),
    ],
)
def test_a_quantity_of_zero_is_refused(upload, header, th, en):
    headers = [*PRODUCT_HEADERS, "Shelf life (days)"]
    moq = 0 if header == "Minimum order quantity" else 10
    shelf = 0 if header == "Shelf life (days)" else 30
    products = [[*product_row(1, moq=moq), shelf]]
    job, page = upload(workbook(products=products, product_headers=headers))
    column = "G" if header == "Minimum order quantity" else "I"
    assert [(i["row"], i["column"], i["code"]) for i in job.report["issues"]] == [
        (2, column, "too_small")
    ]
    assert en in errors_on(page)
    _, th_page = upload(workbook(products=products, product_headers=headers), language="th")
    assert th in errors_on(th_page)
    assert_nothing_written(job)


def test_the_model_refuses_a_quantity_of_zero_too():
    from django.core.exceptions import ValidationError

    from tests.factories import ProductFactory

    product = ProductFactory.build(vendor=None, min_order_quantity=0, shelf_life_days=0)
    with pytest.raises(ValidationError) as caught:
        product.full_clean(exclude=["vendor"])
    assert set(caught.value.message_dict) == {"min_order_quantity", "shelf_life_days"}


def test_a_leading_tab_or_line_break_is_trimmed_as_the_template_says(upload, confirm):
    products = [product_row(1, "\tทองม้วน\r", en="\r\n=1+1")]
    job, _ = upload(workbook(vendors=[vendor_row(1)], products=products))
    job, _ = confirm(job)
    product = Product.objects.get()
    assert (product.name_th, product.name_en) == ("ทองม้วน", "=1+1")
