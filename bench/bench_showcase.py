"""The public showcase (issue #17): 5 vendors × 10 products, each with a photo.

Measures, warm, the median of several runs of
* the showcase page (GET through Django's test client, gzip asked for, as a phone does),
  with its query count and its size, raw and compressed;
* the baseline: the same rows read by one raw SQL query (what the page cannot beat), and
  the portal's cheapest page (/healthz) for the cost of the middleware stack;
* a photo in the phone's width (320 px), once made.

Prints the figures and the ratios to the baselines; writes var/bench/showcase.json.
Aim: page under 150 ms warm, a fixed number of queries, under 8 kB on the wire.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import statistics
import time
from decimal import Decimal
from pathlib import Path

VENDORS = 5
PRODUCTS = 10
RUNS = 15
CERT_PREFIX = "SHOWB-"
CITY = "Bench Showcase City"


def _clean() -> None:
    from buyers.models import ShowcaseLink
    from cities.models import SisterCity
    from meetings.models import Session, ShortlistEntry
    from vendors.models import Vendor

    ShowcaseLink.objects.filter(city__name_en=CITY).delete()
    Session.objects.filter(cities__name_en=CITY).delete()
    ShortlistEntry.objects.filter(vendor__certificate_number__startswith=CERT_PREFIX).delete()
    Vendor.objects.filter(certificate_number__startswith=CERT_PREFIX).delete()
    SisterCity.objects.filter(name_en=CITY).delete()


def _jpeg(seed: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (seed * 37 % 255, 120, 60)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _build():
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from buyers.models import ExchangeRate, ShowcaseLink
    from cities.models import SisterCity
    from meetings.models import ProgrammeYear, Session, ShortlistEntry
    from vendors.models import District, Product, ProductCategory, ProductPhoto, Vendor

    year, _ = ProgrammeYear.objects.get_or_create(fiscal_year=2569)
    session = Session.objects.create(year=year, number=9)
    city = SisterCity.objects.create(
        name_en=CITY, name_th=CITY, country="KR", time_zone="Asia/Seoul"
    )
    session.cities.add(city)
    district = District.objects.order_by("code").first()
    category = ProductCategory.objects.order_by("code").first()
    for v in range(VENDORS):
        vendor = Vendor.objects.create(
            business_name_th=f"ร้าน {v}",
            business_name_en=f"Shop {v}",
            owner_name="Bench",
            district=district,
            certificate_number=f"{CERT_PREFIX}{v:04d}",
        )
        entry = ShortlistEntry.objects.create(session=session, vendor=vendor, position=v)
        for p in range(PRODUCTS):
            product = Product.objects.create(
                vendor=vendor,
                category=category,
                name_th=f"สินค้า {v}.{p}",
                name_en=f"Product {v}.{p}",
                description_en="A Bangkok Brand product. " * 4,
                price_thb=Decimal("250.00"),
                unit="box",
                min_order_quantity=20,
                shelf_life_days=365,
            )
            entry.products.add(product)
            product.create_translation("ko", buyer_name=f"상품 {v}.{p}")
            photo = ProductPhoto(product=product)
            photo.image.save("bench.jpg", ContentFile(_jpeg(v * PRODUCTS + p)), save=True)
    ExchangeRate.objects.get_or_create(
        currency="KRW", rate_on=dt.date(2026, 12, 1), defaults={"thb_per_unit": Decimal("0.0245")}
    )
    return ShowcaseLink.objects.create(
        session=session,
        city=city,
        enabled=True,
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )


def _median_ms(fn) -> float:
    fn()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


RAW_SQL = """
SELECT v.business_name_en, v.certificate_number, d.name_en, p.name_en, p.description_en,
       c.name_en, p.price_thb, p.unit, p.min_order_quantity, p.shelf_life_days, t.buyer_name,
       (SELECT min(ph.id) FROM vendors_productphoto ph WHERE ph.product_id = p.id)
FROM meetings_shortlistentry e
JOIN vendors_vendor v ON v.id = e.vendor_id
LEFT JOIN vendors_district d ON d.id = v.district_id
JOIN meetings_shortlistentry_products ep ON ep.shortlistentry_id = e.id
JOIN vendors_product p ON p.id = ep.product_id
LEFT JOIN vendors_productcategory c ON c.id = p.category_id
LEFT JOIN vendors_producttranslation t ON t.master_id = p.id AND t.language_code = 'ko'
WHERE e.session_id = %s ORDER BY e.position, c.code, p.id
"""


def main() -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    settings.SHOWCASE_REQUESTS_PER_MINUTE = 10_000
    settings.ALLOWED_HOSTS = ["*"]
    _clean()
    link = _build()
    try:
        client = Client(HTTP_ACCEPT_ENCODING="gzip")
        url = reverse("showcase:page", args=[link.token, "ko"])

        def page():
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        def raw():
            with connection.cursor() as cursor:
                cursor.execute(RAW_SQL, [link.session_id])
                return cursor.fetchall()

        def healthz():
            return client.get(reverse("healthz"))

        response = page()
        wire = len(response.content)
        html = (
            gzip.decompress(response.content)
            if response.get("Content-Encoding") == "gzip"
            else response.content
        )
        # Counted by a wrapper: the test client's request_started signal empties
        # connection.queries, so CaptureQueriesContext would see none.
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            page()
        rows = len(raw())
        page_ms, raw_ms, healthz_ms = _median_ms(page), _median_ms(raw), _median_ms(healthz)

        from vendors.models import ProductPhoto

        photo = ProductPhoto.objects.filter(
            product__vendor__certificate_number__startswith=CERT_PREFIX
        ).first()
        photo_url = reverse("showcase:photo", args=[link.token, photo.pk, 320])
        first_photo = client.get(photo_url)
        photo_bytes = len(b"".join(first_photo.streaming_content))
        photo_ms = _median_ms(lambda: b"".join(client.get(photo_url).streaming_content))
        figures = {
            "products": VENDORS * PRODUCTS,
            "rows_raw_sql": rows,
            "page_ms": round(page_ms, 1),
            "page_queries": len(queries),
            "raw_sql_ms": round(raw_ms, 2),
            "healthz_ms": round(healthz_ms, 2),
            "page_to_raw_sql": round(page_ms / raw_ms, 1),
            "page_to_healthz": round(page_ms / healthz_ms, 1),
            "html_bytes": len(html),
            "wire_bytes": wire,
            "wire_to_html": round(wire / len(html), 3),
            "photo_320_bytes": photo_bytes,
            "photo_320_ms": round(photo_ms, 2),
            "database": connection.vendor,
        }
    finally:
        _clean()
    for key, value in figures.items():
        print(f"{key:>18}: {value}")
    out = Path(settings.BASE_DIR) / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "showcase.json").write_text(json.dumps(figures, indent=2))
