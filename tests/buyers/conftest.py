from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone

from buyers.models import ExchangeRate, Lead, ShowcaseLink
from tests.factories import (
    ProductFactory,
    SessionFactory,
    ShortlistEntryFactory,
    SisterCityFactory,
    VendorFactory,
)
from tests.outcomes.conftest import fukuoka, seoul, year  # noqa: F401  (fixtures)


def jpeg(width: int = 1200, height: int = 900, colour=(200, 80, 40)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG")
    return buffer.getvalue()


@dataclass
class Showroom:
    link: ShowcaseLink
    session: object
    city: object
    vendors: list
    products: list
    photos: list


def build_showroom(
    *, vendors: int = 2, products: int = 2, photos: bool = True, city_name: str = "Seoul"
) -> Showroom:
    from vendors.models import ProductPhoto

    session = SessionFactory()
    city = SisterCityFactory(
        name_en=city_name, name_th="โซล" if city_name == "Seoul" else city_name, country="KR"
    )
    session.cities.add(city)
    made_vendors, made_products, made_photos = [], [], []
    for v in range(vendors):
        vendor = VendorFactory(business_name_en=f"Shop {v}", business_name_th=f"ร้าน {v}")
        entry = ShortlistEntryFactory(session=session, vendor=vendor, position=v)
        made_vendors.append(vendor)
        for p in range(products):
            product = ProductFactory(
                vendor=vendor,
                name_en=f"Dried mango {v}.{p}",
                name_th=f"มะม่วงอบแห้ง {v}.{p}",
                description_en="Sweet and chewy.",
                price_thb=Decimal("120.00"),
                unit="pack",
                min_order_quantity=50,
                shelf_life_days=180,
            )
            entry.products.add(product)
            made_products.append(product)
            if photos:
                photo = ProductPhoto(product=product, caption="")
                photo.image.save("p.jpg", ContentFile(jpeg()), save=True)
                made_photos.append(photo)
    link = ShowcaseLink.objects.create(
        session=session,
        city=city,
        enabled=True,
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    return Showroom(link, session, city, made_vendors, made_products, made_photos)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()


@pytest.fixture
def showroom(db) -> Showroom:
    room = build_showroom()
    room.products[0].create_translation(
        "ko", buyer_name="말린 망고", buyer_description="달콤하고 쫄깃해요."
    )
    ExchangeRate.objects.create(
        currency="KRW", thb_per_unit=Decimal("0.025"), rate_on=dt.date(2026, 12, 1)
    )
    return room


# --- leads (a buyer's request on a showcase link) ---


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def showcase(db):
    city = SisterCityFactory(name_en="Seoul", name_th="โซล", country="KR")
    session = SessionFactory()
    session.cities.add(city)
    vendor = VendorFactory(
        business_name_en="Siam Silk", business_name_th="ผ้าไหมสยาม", email="silk@example.org"
    )
    product = ProductFactory(vendor=vendor, name_en="Silk scarf", name_th="ผ้าพันคอไหม")
    entry = ShortlistEntryFactory(session=session, vendor=vendor)
    entry.products.add(product)
    link = ShowcaseLink.objects.create(
        session=session,
        city=city,
        enabled=True,
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    return link, vendor, product


REQUEST = {
    "name": "Kim Minji",
    "company": "Hanbit Trading",
    "country": "Korea",
    "buyer_city": "Seoul",
    "email": "minji@hanbit.example",
    "phone": "+82 10 1234 5678",
    "messenger": "kakaotalk",
    "messenger_handle": "minji.k",
    "interest": "Silk scarves for our shops",
    "quantity": "200 pieces",
    "consent": "on",
    "website": "",
}


def make_lead(link, vendor, **kwargs) -> Lead:
    now = timezone.now()
    defaults = {
        "link": link,
        "session": link.session,
        "city": link.city,
        "vendor": vendor,
        "name": "Kim Minji",
        "company": "Hanbit Trading",
        "country": "Korea",
        "buyer_city": "Seoul",
        "email": "minji@hanbit.example",
        "interest": "Silk",
        "language": "ko",
        "consented_at": now,
        "received_on": timezone.localdate(),
        "idempotency_key": f"test-{Lead.objects.count()}-{now.timestamp()}",
    }
    return Lead.objects.create(**{**defaults, **kwargs})
