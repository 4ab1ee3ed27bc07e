"""A held session with everything a report shows, and helpers to read a PDF back."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile

from core.fiscal import BANGKOK
from meetings.models import AgendaItem, BMAParticipant, CityParticipant, Office, Session
from vendors.models import ProductPhoto

from ..factories import (
    EvaluationActionFactory,
    EvaluationFindingFactory,
    OrderLineFactory,
    OutcomeContactFactory,
    ProductFactory,
    ProgrammeYearFactory,
    ReportingPeriodFactory,
    SessionEvaluationFactory,
    SessionFactory,
    ShortlistEntryFactory,
    SisterCityFactory,
    SubmissionFactory,
    VendorFactory,
)
from ..worker import celery_prefork_worker_process, lock_holder  # noqa: F401  (fixtures)

STARTS_AT = dt.datetime(2026, 1, 20, 14, 0, tzinfo=BANGKOK)  # a Tuesday, FY 2569


def jpeg(width: int = 320, height: int = 240, colour=(200, 80, 40)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG", quality=80)
    return out.getvalue()


@dataclass
class HeldSession:
    session: Session
    previous: Session
    vendors: list
    seoul: object
    shanghai: object


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def held_session(db, media_root, fao_user) -> HeldSession:
    year = ProgrammeYearFactory(fiscal_year=2569, vendors_per_session=5)
    seoul = SisterCityFactory(name_en="Seoul", name_th="โซล", country="KR", time_zone="Asia/Seoul")
    shanghai = SisterCityFactory(
        name_en="Shanghai", name_th="เซี่ยงไฮ้", country="CN", time_zone="Asia/Shanghai"
    )
    previous = SessionFactory(
        year=year, number=1, status=Session.Status.REPORTED, starts_at=STARTS_AT - dt.timedelta(120)
    )
    EvaluationActionFactory(
        evaluation=SessionEvaluationFactory(session=previous),
        action_th="ทดสอบระบบภาพและเสียงล่วงหน้าหนึ่งสัปดาห์",
        action_en="Test sound and video one week ahead",
    )
    session = SessionFactory(
        year=year,
        number=2,
        status=Session.Status.HELD,
        starts_at=STARTS_AT,
        ends_at=STARTS_AT + dt.timedelta(hours=2, minutes=30),
    )
    session.cities.set([seoul, shanghai])
    vendors = []
    for index, (name_th, name_en, product_th, product_en) in enumerate(
        [
            (
                "วิสาหกิจชุมชนน้ำพริกแม่สำราญ",
                "Mae Samran Chilli Paste Community Enterprise",
                "น้ำพริกเผาสูตรโบราณ",
                "Traditional roasted chilli paste",
            ),
            ("ผ้าไหมบ้านครัว", "Ban Khrua Silk", "ผ้าพันคอไหมไทย", "Thai silk scarf"),
        ]
    ):
        vendor = VendorFactory(business_name_th=name_th, business_name_en=name_en)
        product = ProductFactory(
            vendor=vendor, name_th=product_th, name_en=product_en, price_thb=120, unit="กระปุก"
        )
        photo = ProductPhoto(product=product, caption=f"ภาพสินค้า {index + 1}")
        photo.image.save(f"p{index}.jpg", ContentFile(jpeg(colour=(40 * index, 90, 160))))
        entry = ShortlistEntryFactory(session=session, vendor=vendor, position=index, attended=True)
        entry.products.add(product)
        vendors.append(vendor)
    AgendaItem.objects.create(
        session=session,
        position=1,
        title_th="ผู้ประกอบการนำเสนอสินค้า",
        title_en="Vendors present their products",
        duration_minutes=90,
        minutes="ฝ่ายเซี่ยงไฮ้สอบถามราคาและการขนส่ง",
    )
    BMAParticipant.objects.create(
        session=session,
        user=fao_user,
        office=Office.FAO,
        role_in_session="ผู้ดำเนินรายการ",
        attended=True,
    )
    CityParticipant.objects.create(
        session=session,
        city=shanghai,
        name="Li Wei",
        organisation="Shanghai Trade Office",
        attended=True,
    )
    evaluation = SessionEvaluationFactory(
        session=session,
        plan_th="นำเสนอสินค้าของผู้ประกอบการ 5 ราย ต่อเมืองพี่เมืองน้อง 2 เมือง",
        did_th="ผู้ประกอบการเข้าร่วม 2 ราย ฝ่ายเซี่ยงไฮ้สนใจน้ำพริก",
        did_en="Two vendors took part; Shanghai asked about the chilli paste",
    )
    EvaluationFindingFactory(evaluation=evaluation)
    EvaluationActionFactory(
        evaluation=evaluation, action_th="ให้ผู้ประกอบการนำเสนอจากห้องประชุมของ สยป.", action_en=""
    )
    submission = SubmissionFactory(
        vendor=vendors[0],
        period=ReportingPeriodFactory(fiscal_year=2569, half=1),
        status="accepted",
    )
    OutcomeContactFactory(
        submission=submission,
        city=shanghai,
        session=session,
        counterpart_name="Wang Fang",
        counterpart_organisation="Shanghai Fine Foods",
        contacted_on=dt.date(2026, 2, 1),
    )
    OrderLineFactory(
        submission=submission,
        product=vendors[0].products.get(),
        city=shanghai,
        quantity=100,
        unit="กระปุก",
        value_thb=12000,
        ordered_on=dt.date(2026, 2, 15),
    )
    return HeldSession(session, previous, vendors, seoul, shanghai)


# --- reading a PDF back ---------------------------------------------------------------------


@dataclass
class PdfReadBack:
    pages: list[str]
    fonts: dict[str, dict]  # base font name -> {"embedded": bool, "chars": set[str]}
    images: int

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    @property
    def flat(self) -> str:
        """The text with line breaks removed: Thai has no spaces to break at."""
        return re.sub(r"\s*\n\s*", "", self.text)

    def contains(self, expected: str) -> bool:
        return any(expected in text for text in (self.text, self.flat, self.spaced))

    @property
    def spaced(self) -> str:
        """Line breaks as spaces, for Latin text wrapped at a space."""
        return re.sub(r"\s*\n\s*", " ", self.text)


_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


def read_pdf(content: bytes) -> PdfReadBack:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    fonts: dict[str, dict] = {}
    images = set()
    for page in reader.pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            name = str(font["/BaseFont"]).lstrip("/")
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            chars = set()
            for _glyph, hex_text in _BFCHAR.findall(font["/ToUnicode"].get_object().get_data()):
                chars.update(bytes.fromhex(hex_text.decode()).decode("utf-16-be"))
            entry = fonts.setdefault(name, {"embedded": False, "chars": set()})
            entry["embedded"] |= "/FontFile2" in descriptor or "/FontFile3" in descriptor
            entry["chars"] |= chars
        # Every page may list every image; count each image object once.
        for reference in resources.get("/XObject", {}).values():
            if reference.get_object().get("/Subtype") == "/Image":
                images.add(reference.idnum)
    return PdfReadBack([page.extract_text() for page in reader.pages], fonts, len(images))


def pdftotext(content: bytes, tmp_path) -> str | None:
    """The text as poppler reads it, a second opinion; None when poppler is missing."""
    if shutil.which("pdftotext") is None:
        return None
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
