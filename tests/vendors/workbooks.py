"""Vendor workbooks as SDO staff fill them in, for the import tests."""

from __future__ import annotations

from tests.core.spreadsheets.builders import xlsx

VENDOR_HEADERS = [
    "Bangkok Brand certificate number",
    "Business name (Thai)",
    "Business name (English)",
    "Owner",
    "District office",
    "Certified on",
    "Certificate expires on",
    "Phone",
    "E-mail",
    "Languages spoken",
    "Active",
]
PRODUCT_HEADERS = [
    "Bangkok Brand certificate number",
    "Product name (Thai)",
    "Product name (English)",
    "Category",
    "Price (THB)",
    "Unit",
    "Minimum order quantity",
    "Export ready",
]


def vendor_row(n: int, **changes) -> list:
    row = {
        "cert": f"BB-{n:04d}",
        "th": f"ร้านขนม {n}",
        "en": f"Dessert shop {n}",
        "owner": f"เจ้าของ {n}",
        "district": "พระนคร",
        "certified": "1/2/2567",
        "expires": "31/1/2570",
        "phone": "02-123-4567",
        "email": f"shop{n}@example.org",
        "languages": "ไทย, English",
        "active": "ใช่",
    }
    row.update(changes)
    return list(row.values())


def product_row(n: int, name: str = "ทองม้วน", **changes) -> list:
    row = {
        "cert": f"BB-{n:04d}",
        "th": name,
        "en": "Coconut rolls",
        "category": "Food products",
        "price": "๑,๒๐๐.๕๐",
        "unit": "กล่อง",
        "moq": 50,
        "export": "ใช่",
    }
    row.update(changes)
    return list(row.values())


def workbook(
    vendors=None, products=None, *, vendor_headers=None, product_headers=None, merges=None
) -> bytes:
    vendors = [vendor_row(1), vendor_row(2)] if vendors is None else vendors
    products = [product_row(1), product_row(2, "ขนมเปี๊ยะ")] if products is None else products
    return xlsx(
        {
            "ผู้ประกอบการ Vendors": [vendor_headers or VENDOR_HEADERS, *vendors],
            "สินค้า Products": [product_headers or PRODUCT_HEADERS, *products],
        },
        merges=merges,
    )
