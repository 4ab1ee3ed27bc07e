"""The PDFs themselves: their text read back, their fonts, pages, photos and dates."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from reports.models import ReportGeneration
from reports.pdf import render_pdf
from reports.rendering import thai_digits_in_html
from reports.services import report_generation_request, report_generation_run

from .conftest import pdftotext, read_pdf

pytestmark = pytest.mark.django_db

THAI_STRINGS = [
    "รายงานผลการประชุม",
    "กรุงเทพมหานคร · สำนักงานการต่างประเทศ",
    "จัดทำโดย สำนักงานการต่างประเทศ (สกต.) กรุงเทพมหานคร",
    "วิสาหกิจชุมชนน้ำพริกแม่สำราญ",
    "น้ำพริกเผาสูตรโบราณ",
    "ผ้าพันคอไหมไทย",
    "วันอังคารที่ 20 มกราคม 2569",
    "14.00–16.30 น.",
    "16.00–18.30 น.",  # Seoul, UTC+9
    "15.00–17.30 น.",  # Shanghai, UTC+8
    "ผู้ประกอบการนำเสนอสินค้า",
    "ฝ่ายเซี่ยงไฮ้สอบถามราคาและการขนส่ง",
    "Shanghai Fine Foods",
    "แนวทางที่ยกมาจากการประชุมครั้งก่อน",
    "ทดสอบระบบภาพและเสียงล่วงหน้าหนึ่งสัปดาห์",
    "สัญญาณภาพขาดหายช่วงนำเสนอ",
    "เครือข่ายของผู้ประกอบการไม่เสถียร",
    "ให้ผู้ประกอบการนำเสนอจากห้องประชุมของ สยป.",
    "ผู้อำนวยการสำนักงานการต่างประเทศ",
]


def make(held, *, language="th", thai_digits=False, user=None, kind="session"):
    subject = {"session": held.session} if kind == "session" else {"year": held.session.year}
    generation, _dispatch = report_generation_request(
        kind=kind,
        language=language,
        thai_digits=thai_digits,
        acting_user=user,
        enqueue=False,
        **subject,
    )
    generation = report_generation_run(generation_id=generation.pk)
    assert generation.status == ReportGeneration.Status.DONE, generation.error
    with generation.file.open("rb") as handle:
        return generation, handle.read()


def test_thai_session_report_reads_back_exactly(held_session, fao_user, tmp_path):
    generation, content = make(held_session, user=fao_user)
    pdf = read_pdf(content)
    missing = [s for s in THAI_STRINGS if not pdf.contains(s)]
    assert not missing, pdf.text
    poppler = pdftotext(content, tmp_path)
    if poppler is not None:
        variants = (poppler, re.sub(r"\s*\n\s*", "", poppler), re.sub(r"\s*\n\s*", " ", poppler))
        assert [s for s in THAI_STRINGS if not any(s in v for v in variants)] == []
    assert generation.warnings == []


def test_fonts_are_embedded_sarabun_and_cover_every_character(held_session, fao_user):
    _generation, content = make(held_session, user=fao_user)
    pdf = read_pdf(content)
    assert pdf.fonts, "no fonts found"
    for name, font in pdf.fonts.items():
        assert re.fullmatch(r"[A-Z]{6}\+Sarabun(-Bold|-Semi-Bold|-Italic)?", name), name
        assert font["embedded"], name
    covered = set().union(*(font["chars"] for font in pdf.fonts.values()))
    needed = {ch for s in THAI_STRINGS for ch in s if not ch.isspace()}
    assert needed - covered == set()


def test_a_character_sarabun_lacks_is_reported_not_shipped_silently():
    rendered = render_pdf("<p>กรุงเทพฯ \ue000</p>", stylesheet="p { font-family: Sarabun; }")
    assert rendered.missing_glyphs == ["\ue000"]
    assert "Characters without a glyph: \ue000" in rendered.problems


def test_page_count_photos_and_checksum(held_session, fao_user):
    import hashlib

    generation, content = make(held_session, user=fao_user)
    pdf = read_pdf(content)
    assert generation.page_count == len(pdf.pages)
    assert 5 <= generation.page_count <= 12
    assert pdf.images == 2  # one photo of each presented product
    assert generation.sha256 == hashlib.sha256(content).hexdigest()
    assert generation.size_bytes == len(content)
    assert pdf.pages[1].strip().endswith(f"หน้า 2 จาก {generation.page_count}") or (
        f"หน้า 2 จาก {generation.page_count}" in pdf.pages[1]
    )


def test_english_report_shows_ce_dates_and_each_city_time(held_session, fao_user):
    _generation, content = make(held_session, language="en", user=fao_user)
    pdf = read_pdf(content)
    for expected in [
        "Session report",
        "Tuesday 20 January 2026",
        "14:00–16:30",
        "16:00–18:30",
        "15:00–17:30",
        "UTC+9",
        "UTC+8",
        "Mae Samran Chilli Paste Community Enterprise",
        "Two vendors took part; Shanghai asked about the chilli paste",
        "Test sound and video one week ahead",
        # No English text was written: the Thai one stands in rather than nothing.
        "ให้ผู้ประกอบการนำเสนอจากห้องประชุมของ สยป.",
        "Page 2 of",
    ]:
        assert pdf.contains(expected), expected
    assert "January 2569" not in pdf.text  # CE dates; the fiscal year keeps its BE name


def test_thai_digits_are_optional_and_reach_page_numbers(held_session, fao_user):
    generation, content = make(held_session, thai_digits=True, user=fao_user)
    pdf = read_pdf(content)
    assert generation.thai_digits
    assert pdf.contains("วันอังคารที่ ๒๐ มกราคม ๒๕๖๙")
    assert pdf.contains("หน้า ๒ จาก")
    assert re.findall(r".{0,20}[0-9].{0,20}", pdf.text) == []


def test_thai_digits_leave_markup_and_entities_alone():
    html = (
        "<head><style>p{width:10px}</style></head>"
        '<body><p class="c2" title="3">ปี 2569 &#x27;a&#39;</p></body>'
    )
    assert thai_digits_in_html(html) == (
        '<head><style>p{width:10px}</style></head><body><p class="c2" title="3">'
        "ปี ๒๕๖๙ &#x27;a&#39;</p></body>"
    )


def test_annual_report_has_a_table_of_contents_with_page_numbers(held_session, fao_user):
    generation, content = make(held_session, kind="annual", language="en", user=fao_user)
    pdf = read_pdf(content)
    contents_page = next(i for i, text in enumerate(pdf.pages) if "Contents" in text)
    for title in (
        "1. The sessions of the year",
        "4. Statistics by city and category",
        "6. Recommendations carried into the next year",
    ):
        match = re.search(re.escape(title) + r"[ .]*(\d+)", pdf.pages[contents_page])
        assert match, (title, pdf.pages[contents_page])
        page_number = int(match.group(1))
        assert title in pdf.pages[page_number - 1], (title, page_number)
    # The year's figures: the accepted outcome form of the Shanghai buyer.
    assert pdf.contains("Shanghai")
    assert pdf.contains("12,000.00")
    assert pdf.contains("ให้ผู้ประกอบการนำเสนอจากห้องประชุมของ สยป.")  # carried into next year
    assert generation.page_count == len(pdf.pages)


def test_thai_annual_report_reads_back_exactly(held_session, fao_user):
    _generation, content = make(held_session, kind="annual", language="th", user=fao_user)
    pdf = read_pdf(content)
    for expected in [
        "รายงานประจำปี",
        "ปีงบประมาณ พ.ศ. 2569",
        "1 ตุลาคม 2568 – 30 กันยายน 2569",
        "สารบัญ",
        "ตัวชี้วัดผลลัพธ์เทียบกับค่าเป้าหมาย",
        "ข้อเสนอแนะสำหรับปีถัดไป",
    ]:
        assert pdf.contains(expected), expected


def test_photos_come_from_files_never_from_the_network():
    rendered = render_pdf('<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/hostname">')
    assert len(rendered.refused_urls) == 2
    assert all("refused by the report fetcher" in url for url in rendered.refused_urls)


def test_photos_are_embedded_as_small_upright_jpegs(media_root, tmp_path):
    from PIL import Image

    from reports import photos

    source = tmp_path / "phone.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # EXIF orientation: the camera was turned; shown rotated 90°
    Image.new("RGB", (3000, 2000), (10, 120, 200)).save(source, "JPEG", exif=exif)
    copy = photos.for_pdf(source)
    assert copy.is_relative_to(media_root)
    with Image.open(copy) as image:
        assert (image.format, image.size) == ("JPEG", (667, 1000))
    assert photos.for_pdf(source) == copy  # made once

    transparent = tmp_path / "logo.png"
    Image.new("RGBA", (400, 300), (0, 0, 0, 0)).save(transparent)
    with Image.open(photos.for_pdf(transparent)) as image:
        assert image.mode == "RGB" and image.getpixel((0, 0)) == (255, 255, 255)


def test_an_unreadable_photo_is_left_out_and_named(held_session, fao_user):
    from vendors.models import ProductPhoto

    photo = ProductPhoto.objects.order_by("pk").first()
    with open(photo.image.path, "wb") as handle:
        handle.write(b"not a picture")
    generation, content = make(held_session, language="en", user=fao_user)
    assert read_pdf(content).images == 1
    assert generation.warnings == [f"Photo missing or unreadable: {photo.image.name}"]


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        (
            "en",
            [
                "Recorded by staff",
                "Attended per Teams",
                "95 minutes",
                "not in the Teams report",
                "(matched by name only)",
                "Guest 0812",
            ],
        ),
        (
            "th",
            [
                "บันทึกโดยเจ้าหน้าที่",
                "เข้าร่วมตาม Teams",
                "95 นาที",
                "ไม่อยู่ในรายงานของ Teams",
                "(ตรงกันเฉพาะชื่อ)",
                "Guest 0812",
            ],
        ),
    ],
)
def test_the_session_report_shows_teams_attendance_beside_staffs(
    held_session, fao_user, language, labels
):
    # #13: what Teams reported stands beside what staff recorded, never replaces it.
    from meetings.models import BMAParticipant, CityParticipant, TeamsAttendance

    session = held_session.session
    start = session.starts_at
    TeamsAttendance.objects.create(
        session=session,
        name=fao_user.get_full_name(),
        email=fao_user.email,
        minutes=95,
        joined_at=start,
        left_at=start + dt.timedelta(minutes=95),
        match=TeamsAttendance.Match.EMAIL,
        bma_participant=BMAParticipant.objects.get(session=session, user=fao_user),
    )
    TeamsAttendance.objects.create(
        session=session,
        name="Li Wei",
        minutes=40,
        match=TeamsAttendance.Match.NAME,
        city_participant=CityParticipant.objects.get(session=session, name="Li Wei"),
    )
    TeamsAttendance.objects.create(
        session=session, name="Guest 0812", minutes=10, match=TeamsAttendance.Match.NONE
    )
    _generation, content = make(held_session, language=language, user=fao_user)
    pdf = read_pdf(content)
    assert [label for label in labels if not pdf.contains(label)] == [], pdf.text
