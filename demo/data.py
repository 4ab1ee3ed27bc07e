"""Demo data for a developer's or trainer's portal: the three sister cities the source
proposes for FY 2564 with their ties, and a few made-up vendors, each marked as demo.

Idempotent: a second run finds everything in place and changes nothing. The demo app sits
above the apps whose rows it writes; core knows nothing of it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from cities.models import Agreement, CityContact, CooperationField, SisterCity
from core.roles import GROUP_NAMES, Role
from vendors.models import District, Language, Product, ProductCategory, Vendor

# Specs of mixed values, read key by key below.
CITIES: list[dict[str, Any]] = [
    {
        "name_en": "Seoul",
        "name_th": "โซล",
        "country": "KR",
        "time_zone": "Asia/Seoul",
        "form": Agreement.Form.SISTER_CITY,
        "signed_year": 2006,
        "fields": [
            "city-management",
            "it",
            "economy",
            "investment",
            "transport",
            "environment",
            "urban-planning",
            "disaster-management",
            "culture",
        ],
        "categories": [1, 2, 5],
        "language": "ko",
        "contact": (
            "Kim Min-jun (demo)",
            "International Trade Division, Seoul Metropolitan Government",
        ),
    },
    {
        "name_en": "Fukuoka Prefecture",
        "name_th": "จังหวัดฟุกุโอกะ",
        "country": "JP",
        "time_zone": "Asia/Tokyo",
        "form": Agreement.Form.FRIENDSHIP,
        "signed_year": 2006,
        "fields": ["economy", "environment", "culture", "education", "tourism", "youth"],
        "categories": [1, 3, 4],
        "language": "ja",
        "contact": (
            "Tanaka Yui (demo)",
            "International Affairs Division, Fukuoka Prefectural Government",
        ),
    },
    {
        "name_en": "Shanghai",
        "name_th": "เซี่ยงไฮ้",
        "country": "CN",
        "time_zone": "Asia/Shanghai",
        "form": Agreement.Form.FRIENDSHIP_CITIES,
        "signed_year": 2016,
        "fields": [
            "governance",
            "administration",
            "economy",
            "trade",
            "investment",
            "urban-development",
            "urban-planning",
            "science-technology",
            "food",
            "environment",
            "culture",
            "tourism",
            "education",
            "sport",
            "health",
            "youth",
            "visits",
        ],
        "categories": [1, 2, 3, 4, 5],
        "language": "zh",
        "contact": ("Li Wei (demo)", "Shanghai Municipal Foreign Affairs Office"),
    },
]

VENDORS: list[dict[str, Any]] = [
    {
        "certificate_number": "DEMO-BB-0001",
        "district": 1001,
        "business_name_th": "ขนมไทยบ้านพระนคร (ตัวอย่าง)",
        "business_name_en": "Phra Nakhon Thai Desserts (demo)",
        "owner_name": "สมศรี ใจดี",
        "languages": ["th", "en"],
        "products": [
            (1, "ทองม้วนกรอบ", "Crispy coconut rolls", Decimal("120.00"), "box", 50, 180, True),
            (1, "ขนมเปี๊ยะไส้ถั่ว", "Mung bean pastry", Decimal("90.00"), "box", 100, 30, False),
        ],
    },
    {
        "certificate_number": "DEMO-BB-0002",
        "district": 1030,
        "business_name_th": "ชาสมุนไพรจตุจักร (ตัวอย่าง)",
        "business_name_en": "Chatuchak Herbal Tea (demo)",
        "owner_name": "วิชัย สุขสันต์",
        "languages": ["th", "en", "zh"],
        "products": [
            (
                2,
                "ชาตะไคร้ใบเตย",
                "Lemongrass and pandan tea",
                Decimal("150.00"),
                "pack",
                200,
                365,
                True,
            ),
        ],
    },
    {
        "certificate_number": "DEMO-BB-0003",
        "district": 1013,
        "business_name_th": "ผ้าไหมสัมพันธวงศ์ (ตัวอย่าง)",
        "business_name_en": "Samphanthawong Silk (demo)",
        "owner_name": "มาลี ทองคำ",
        "languages": ["th", "en", "ja"],
        "products": [
            (3, "ผ้าพันคอไหมไทย", "Thai silk scarf", Decimal("890.00"), "piece", 20, None, True),
        ],
    },
    {
        "certificate_number": "DEMO-BB-0004",
        "district": 1019,
        "business_name_th": "เครื่องจักสานตลิ่งชัน (ตัวอย่าง)",
        "business_name_en": "Taling Chan Wickerwork (demo)",
        "owner_name": "ประเสริฐ มั่นคง",
        "languages": ["th"],
        "products": [
            (
                4,
                "ตะกร้าผักตบชวา",
                "Water hyacinth basket",
                Decimal("350.00"),
                "piece",
                30,
                None,
                True,
            ),
        ],
    },
    {
        "certificate_number": "DEMO-BB-0005",
        "district": 1011,
        "business_name_th": "สมุนไพรลาดกระบัง (ตัวอย่าง)",
        "business_name_en": "Lat Krabang Herbals (demo)",
        "owner_name": "อรุณี แสงทอง",
        "languages": ["th", "en"],
        "products": [
            (5, "ยาหม่องสมุนไพร", "Herbal balm", Decimal("60.00"), "jar", 500, 730, True),
            (5, "น้ำมันนวดไพล", "Plai massage oil", Decimal("180.00"), "bottle", 200, 540, True),
        ],
    },
]


# The showcase's Korean, Japanese and Chinese names of some demo products (django-parler
# rows); the others show English with the showcase's note, as a real session would.
DEMO_BUYER_NAMES: dict[str, dict[str, str]] = {
    "Crispy coconut rolls": {
        "ko": "바삭한 코코넛 롤",
        "ja": "サクサクココナッツロール",
        "zh-hans": "香脆椰子卷",
    },
    "Lemongrass and pandan tea": {
        "ko": "레몬그라스 판단 차",
        "ja": "レモングラスとパンダンのお茶",
        "zh-hans": "香茅斑兰茶",
    },
    "Thai silk scarf": {
        "ko": "태국 실크 스카프",
        "ja": "タイシルクのスカーフ",
        "zh-hans": "泰国丝绸围巾",
    },
    "Herbal balm": {"ko": "허브 밤", "ja": "ハーブバーム", "zh-hans": "草本香膏"},
}


def _require_demo_allowed() -> None:
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured("Demo data and demo users are not allowed with these settings.")


@transaction.atomic
def load_demo_data() -> dict[str, int]:
    _require_demo_allowed()
    created = {"cities": 0, "vendors": 0, "products": 0}
    fields = {f.code: f for f in CooperationField.objects.all()}
    categories = {c.code: c for c in ProductCategory.objects.all()}
    languages = {lang.code: lang for lang in Language.objects.all()}
    districts = {d.code: d for d in District.objects.all()}
    for spec in CITIES:
        city, was_created = SisterCity.objects.get_or_create(
            name_en=spec["name_en"],
            defaults={
                "name_th": spec["name_th"],
                "country": spec["country"],
                "time_zone": spec["time_zone"],
                "is_active_with_bma": True,
                "last_joint_activity_on": dt.date(2020, 1, 15),
                "is_demo": True,
            },
        )
        if not was_created:
            continue
        created["cities"] += 1
        city.interested_categories.set([categories[c] for c in spec["categories"]])
        agreement = Agreement.objects.create(
            city=city,
            form=spec["form"],
            signed_year=spec["signed_year"],
            source="seed 000_df8b640eefe25ecc.txt section 6.1.4",
        )
        agreement.fields.set([fields[code] for code in spec["fields"]])
        name, organisation = spec["contact"]
        CityContact.objects.create(
            city=city,
            name=name,
            organisation=organisation,
            email=f"{spec['name_en'].split()[0].lower()}.demo@example.org",
            working_language=languages.get(spec["language"]),
        )
    for spec in VENDORS:
        vendor, was_created = Vendor.objects.get_or_create(
            certificate_number=spec["certificate_number"],
            defaults={
                "business_name_th": spec["business_name_th"],
                "business_name_en": spec["business_name_en"],
                "owner_name": spec["owner_name"],
                "contact_person": spec["owner_name"],
                "district": districts[spec["district"]],
                "certified_on": dt.date(2024, 3, 1),
                "certificate_expires_on": dt.date(2027, 2, 28),
                "phone": "02-000-0000",
                "email": "demo-vendor@example.org",
                "is_active": True,
                "is_demo": True,
            },
        )
        if not was_created:
            continue
        created["vendors"] += 1
        vendor.languages.set([languages[c] for c in spec["languages"]])
        for category, name_th, name_en, price, unit, moq, shelf_life, export_ready in spec[
            "products"
        ]:
            product = Product.objects.create(
                vendor=vendor,
                category=categories[category],
                name_th=name_th,
                name_en=name_en,
                price_thb=price,
                unit=unit,
                min_order_quantity=moq,
                shelf_life_days=shelf_life,
                is_export_ready=export_ready,
                is_demo=True,
            )
            for language, buyer_name in DEMO_BUYER_NAMES.get(name_en, {}).items():
                product.create_translation(language, buyer_name=buyer_name)
            created["products"] += 1
    return created


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: Role


DEMO_USERS = {
    Role.FAO: ("fao.demo", "FAO", "Demo"),
    Role.SDO: ("sdo.demo", "SDO", "Demo"),
    Role.SEO: ("seo.demo", "SEO", "Demo"),
    Role.EXECUTIVE: ("executive.demo", "Executive", "Demo"),
}


@transaction.atomic
def create_demo_users() -> list[DemoLogin]:
    """Create the missing demo users with random passwords, returned once to print."""
    _require_demo_allowed()
    User = get_user_model()
    created = []
    for role, (username, first, last) in DEMO_USERS.items():
        if User.objects.filter(username=username).exists():
            continue
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=username,
            password=password,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            # The admin is where staff run the programme; executives only read pages.
            is_staff=role != Role.EXECUTIVE,
        )
        user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
        created.append(DemoLogin(username, password, role))
    return created
