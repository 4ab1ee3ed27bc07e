"""The registry and shortlists as .xlsx, in the same columns the import reads back."""

from __future__ import annotations

from django.utils import timezone

from core.spreadsheets import ExportSheet, write_export, write_template

from .import_schema import build_schema
from .selectors import products_for_export, vendors_for_export


def _sheet(sheet_key: str, rows) -> ExportSheet:
    """A sheet under the import's own title, headers and widths, so it reads back as is."""
    sheet = next(s for s in build_schema().sheets if s.key == sheet_key)
    return ExportSheet(
        sheet.title, [c.header for c in sheet.columns], rows, [c.width for c in sheet.columns]
    )


def _vendor_row(v) -> list:
    return [
        v.certificate_number,
        v.business_name_th,
        v.business_name_en,
        v.owner_name,
        v.contact_person,
        f"{v.district.name_th} / {v.district.name_en}",
        v.certified_on,
        v.certificate_expires_on,
        v.phone,
        v.email,
        v.line_id,
        v.website,
        ", ".join(lang.name_en for lang in v.languages.all()),
        v.export_experience,
        "ใช่ / yes" if v.is_active else "ไม่ใช่ / no",
    ]


def _product_row(p) -> list:
    return [
        p.vendor.certificate_number,
        p.name_th,
        p.name_en,
        f"{p.category.name_th} / {p.category.name_en}",
        p.description_th,
        p.description_en,
        p.price_thb,
        p.unit,
        p.min_order_quantity,
        p.shelf_life_days,
        p.other_certifications,
        "ใช่ / yes" if p.is_export_ready else "ไม่ใช่ / no",
    ]


def _all_products():
    return (_product_row(p) for p in products_for_export().iterator(chunk_size=2000))


def registry_workbook() -> bytes:
    """Vendors and products: an export SDO can edit and import again."""
    vendors = (_vendor_row(v) for v in vendors_for_export().iterator(chunk_size=2000))
    return write_export([_sheet("vendors", vendors), _sheet("products", _all_products())])


def products_workbook() -> bytes:
    return write_export([_sheet("products", _all_products())])


def shortlist_workbook(session, entries) -> bytes:
    """A session's shortlist in the import's columns: it can be uploaded again as is."""
    entries = list(entries)
    return write_export(
        [
            _sheet("vendors", [_vendor_row(e.vendor) for e in entries]),
            _sheet("products", [_product_row(p) for e in entries for p in e.products.all()]),
        ]
    )


def template_workbook() -> bytes:
    """The empty workbook SDO fills in, with drop-downs and an instructions sheet."""
    return write_template(
        build_schema(),
        title=(
            "แบบฟอร์มนำเข้าข้อมูลผู้ประกอบการ Bangkok Brand",
            "Bangkok Brand vendor import template",
        ),
        instructions=[
            (
                "กรอกผู้ประกอบการหนึ่งรายต่อหนึ่งแถวในชีต “ผู้ประกอบการ Vendors”",
                "One vendor per row on the “ผู้ประกอบการ Vendors” sheet.",
            ),
            (
                "กรอกสินค้าหนึ่งรายการต่อหนึ่งแถวในชีต “สินค้า Products” โดยระบุเลขที่ใบรับรองของผู้ประกอบการ",
                "One product per row on the “สินค้า Products” sheet, with its vendor's certificate "
                "number.",
            ),
            ("คอลัมน์ที่มีเครื่องหมาย * ต้องกรอก", "Columns marked * are required."),
            (
                "ผู้ประกอบการจับคู่ด้วยเลขที่ใบรับรอง สินค้าจับคู่ด้วยเลขที่ใบรับรองและชื่อสินค้าภาษาไทย "
                "การนำเข้าไฟล์เดิมซ้ำจะไม่เปลี่ยนแปลงข้อมูล",
                "Vendors are matched by certificate number, products by certificate number and "
                "Thai name: importing the same file again changes nothing.",
            ),
            (
                "คอลัมน์ที่ไม่มีในไฟล์จะไม่ถูกแก้ไข ช่องว่างในคอลัมน์ที่มีอยู่จะลบค่าเดิม",
                "A column left out of the file is not changed; a blank cell in a column that is "
                "there clears the value.",
            ),
            (
                "วันที่กรอกได้ทั้ง พ.ศ. และ ค.ศ. เช่น 23/11/2569 หรือ 23/11/2026 ตัวเลขไทยใช้ได้",
                "Dates may use the BE or CE year, e.g. 23/11/2569 or 23/11/2026; Thai digits are "
                "fine.",
            ),
            (
                "อย่าผสานเซลล์ (merge) และอย่าตั้งรหัสผ่านให้ไฟล์",
                "Do not merge cells and do not protect the file with a password.",
            ),
        ],
    )


def export_filename(stem: str) -> str:
    return f"{stem}-{timezone.localdate():%Y%m%d}.xlsx"
