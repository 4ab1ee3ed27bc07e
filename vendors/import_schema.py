"""The columns of the vendor workbook, in Thai and English, and where their choices come
from. Used by the import, the template and the exports."""

from __future__ import annotations

from core.spreadsheets import (
    BooleanColumn,
    Choice,
    ChoiceColumn,
    DateColumn,
    DecimalColumn,
    EmailColumn,
    IntegerColumn,
    MultiChoiceColumn,
    SheetSchema,
    TextColumn,
    URLColumn,
    WorkbookSchema,
    bulk,
)
from core.spreadsheets.schema import model_min_value

from .models import District, Language, Product, ProductCategory


def district_choices() -> list[Choice]:
    return [
        Choice(
            d.pk,
            d.name_th,
            d.name_en,
            aliases=(str(d.code), f"เขต{d.name_th}", f"เขต {d.name_th}", f"{d.name_en} District"),
        )
        for d in District.objects.order_by("code")
    ]


def category_choices() -> list[Choice]:
    return [
        Choice(
            c.pk,
            c.name_th,
            c.name_en,
            aliases=(str(c.code), f"{c.code}. {c.name_th}", f"{c.code}. {c.name_en}"),
        )
        for c in ProductCategory.objects.order_by("code")
    ]


def language_choices() -> list[Choice]:
    return [
        Choice(lang.pk, lang.name_th, lang.name_en, aliases=(lang.code,))
        for lang in Language.objects.order_by("code")
    ]


def certificate_column() -> TextColumn:
    return TextColumn(
        "certificate_number",
        th="เลขที่ใบรับรอง Bangkok Brand",
        en="Bangkok Brand certificate number",
        required=True,
        max_length=64,
        arabic_digits=True,
        aliases=["เลขที่ใบรับรอง", "certificate number", "certificate no", "certificate"],
        help_th="ใช้จับคู่กับข้อมูลเดิม",
        help_en="Matches the vendor already registered.",
        width=22,
    )


def build_schema() -> WorkbookSchema:
    vendors = SheetSchema(
        key="vendors",
        th="ผู้ประกอบการ",
        en="Vendors",
        identity=["certificate_number"],
        # The products export has no vendors sheet and imports back on its own.
        required=False,
        allow_empty=True,
        columns=[
            certificate_column(),
            TextColumn(
                "business_name_th",
                th="ชื่อกิจการ (ภาษาไทย)",
                en="Business name (Thai)",
                required=True,
                max_length=255,
                width=30,
            ),
            TextColumn(
                "business_name_en",
                th="ชื่อกิจการ (ภาษาอังกฤษ)",
                en="Business name (English)",
                max_length=255,
                width=30,
            ),
            TextColumn(
                "owner_name",
                th="ชื่อเจ้าของกิจการ",
                en="Owner",
                required=True,
                max_length=255,
                aliases=["เจ้าของ", "owner name"],
                width=24,
            ),
            TextColumn("contact_person", th="ผู้ติดต่อ", en="Contact person", max_length=255, width=24),
            ChoiceColumn(
                "district",
                th="สำนักงานเขต",
                en="District office",
                required=True,
                choices=district_choices,
                aliases=["เขต", "district"],
                width=28,
            ),
            DateColumn(
                "certified_on",
                th="วันที่ได้รับการรับรอง",
                en="Certified on",
                help_th="วัน/เดือน/ปี เช่น 23/11/2569",
                help_en="day/month/year, e.g. 23/11/2569 or 23/11/2026",
            ),
            DateColumn(
                "certificate_expires_on",
                th="วันหมดอายุใบรับรอง",
                en="Certificate expires on",
                aliases=["วันหมดอายุ", "expiry date"],
            ),
            TextColumn(
                "phone", th="โทรศัพท์", en="Phone", max_length=64, aliases=["เบอร์โทร", "telephone"]
            ),
            EmailColumn("email", th="อีเมล", en="E-mail", aliases=["email"], width=26),
            TextColumn("line_id", th="ไลน์ไอดี", en="LINE ID", max_length=64, aliases=["line"]),
            URLColumn("website", th="เว็บไซต์", en="Website", width=26),
            MultiChoiceColumn(
                "languages",
                th="ภาษาที่ใช้สื่อสาร",
                en="Languages spoken",
                choices=language_choices,
                help_th="คั่นด้วยจุลภาค เช่น ไทย, อังกฤษ",
                help_en="separated by commas, e.g. Thai, English",
                width=22,
            ),
            TextColumn(
                "export_experience",
                th="ประสบการณ์การส่งออก",
                en="Export experience",
                multiline=True,
                max_length=5000,
                width=30,
            ),
            BooleanColumn("is_active", th="ยังดำเนินกิจการ", en="Active", default=True, width=12),
        ],
    )
    products = SheetSchema(
        key="products",
        th="สินค้า",
        en="Products",
        identity=["certificate_number", "name_th"],
        # The way the unique index on (vendor, lower(name_th)) compares names.
        identity_fold=bulk.db_lower,
        required=False,
        allow_empty=True,
        columns=[
            certificate_column(),
            TextColumn(
                "name_th",
                th="ชื่อสินค้า (ภาษาไทย)",
                en="Product name (Thai)",
                required=True,
                max_length=255,
                width=30,
            ),
            TextColumn(
                "name_en",
                th="ชื่อสินค้า (ภาษาอังกฤษ)",
                en="Product name (English)",
                max_length=255,
                width=30,
            ),
            ChoiceColumn(
                "category",
                th="หมวดผลิตภัณฑ์",
                en="Category",
                required=True,
                choices=category_choices,
                aliases=["หมวด", "product category"],
                width=34,
            ),
            TextColumn(
                "description_th",
                th="รายละเอียด (ภาษาไทย)",
                en="Description (Thai)",
                multiline=True,
                max_length=5000,
                width=34,
            ),
            TextColumn(
                "description_en",
                th="รายละเอียด (ภาษาอังกฤษ)",
                en="Description (English)",
                multiline=True,
                max_length=5000,
                width=34,
            ),
            DecimalColumn(
                "price_thb",
                th="ราคา (บาท)",
                en="Price (THB)",
                max_digits=12,
                decimal_places=2,
                min_value=model_min_value(Product, "price_thb"),
                aliases=["ราคา", "price"],
            ),
            TextColumn("unit", th="หน่วย", en="Unit", max_length=64),
            IntegerColumn(
                "min_order_quantity",
                th="จำนวนสั่งซื้อขั้นต่ำ",
                en="Minimum order quantity",
                min_value=model_min_value(Product, "min_order_quantity"),
                max_value=2_147_483_647,
                aliases=["moq"],
            ),
            IntegerColumn(
                "shelf_life_days",
                th="อายุการเก็บรักษา (วัน)",
                en="Shelf life (days)",
                min_value=model_min_value(Product, "shelf_life_days"),
                max_value=2_147_483_647,
            ),
            TextColumn(
                "other_certifications",
                th="มาตรฐานอื่น ๆ",
                en="Other certifications",
                max_length=500,
                aliases=["มาตรฐานอื่น"],
                width=24,
            ),
            BooleanColumn(
                "is_export_ready", th="พร้อมส่งออก", en="Export ready", default=False, width=12
            ),
        ],
    )
    return WorkbookSchema([vendors, products])
