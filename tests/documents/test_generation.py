"""Each document in Thai and English, read back from the .docx (python-docx) and the PDF
(pypdf and poppler's pdftotext): the Thai must come back exactly as written."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from documents.models import Document, TemplateText
from documents.services import document_generate

from ..reports.conftest import pdftotext, read_pdf
from ..support import skip_or_fail
from .conftest import CHAIR_TH, FUKUOKA_TH, SEOUL_TH, VENDOR_EN, VENDOR_TH

pytestmark = pytest.mark.django_db


def generate(programme, user, kind: str, language: str):
    session = programme.sessions[0]
    subject = {
        "approval_memo": {},
        "working_group_order": {},
        "inquiry_letter": {"session_id": session.pk, "city_id": programme.seoul.pk},
        "order_transmittal": {"session_id": session.pk},
        "report_cover": {"session_id": session.pk},
    }[kind]
    return document_generate(
        kind=kind, year_id=programme.year.pk, language=language, acting_user=user, **subject
    )


# What each document must say, as written (Thai digits in the Thai documents).
EXPECTED = {
    ("approval_memo", "th"): [
        "บันทึกข้อความ",
        "ส่วนราชการ",
        "กท ๑๔๐๑/๑๐๑",
        "ขออนุมัติหลักการดำเนินโครงการส่งเสริมผลิตภัณฑ์",
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๔",
        "เรียน",
        "ผู้ว่าราชการกรุงเทพมหานคร",
        f"ครั้งที่ ๑ เดือนมกราคม ๒๕๖๔ กับ{FUKUOKA_TH} และ{SEOUL_TH}",
        "ไม่น้อยกว่าร้อยละ ๕๐",
        "ผู้อำนวยการสำนักงานการต่างประเทศ",
    ],
    ("approval_memo", "en"): [
        "Memorandum",
        "Ref. No. BMA 1401/101",
        "Approval in principle of the Bangkok Brand promotion",
        "fiscal year 2021",
        "Session 1, January 2021, with Fukuoka Prefecture, Japan; Seoul, South Korea",
        "Director, Foreign Affairs Office",
    ],
    ("working_group_order", "th"): [
        "คำสั่งกรุงเทพมหานคร",
        "แต่งตั้งคณะทำงานโครงการส่งเสริมผลิตภัณฑ์",
        f"(๑) {CHAIR_TH} ผู้อำนวยการสำนักพัฒนาสังคม ประธานคณะทำงาน",
        "คณะทำงานและเลขานุการ",
        "ปลัดกรุงเทพมหานคร",
        "สั่ง ณ วันที่",
    ],
    ("working_group_order", "en"): [
        "Bangkok Metropolitan Administration Order",
        f"(1) {CHAIR_TH} ผู้อำนวยการสำนักพัฒนาสังคม Chair",
        "Permanent Secretary for the Bangkok Metropolitan Administration",
    ],
    ("inquiry_letter", "th"): [
        "ที่ กท ๑๔๐๑/๑๐๑",
        "ศาลาว่าการกรุงเทพมหานคร",
        f"นายกเทศมนตรี{SEOUL_TH}",
        "ขอแสดงความนับถือ",
        "ในเดือนมกราคม ๒๕๖๔",
        f"ตามที่กรุงเทพมหานครและ{SEOUL_TH}มีความสัมพันธ์ตามข้อตกลงเมืองพี่เมืองน้อง (๒๕๔๙)",
    ],
    ("inquiry_letter", "en"): [
        "Ref. No. BMA 1401/101",
        "The Mayor of Seoul, South Korea",
        "Dear Mayor,",
        "Under the Sister City Agreement (2006) between Bangkok and Seoul",
        "in January 2021",
        "Yours sincerely,",
    ],
    ("order_transmittal", "th"): [
        "บันทึกข้อความ",
        "ส่งคำสั่งแต่งตั้งคณะทำงานและขอความร่วมมือจัดการประชุมทางไกล ครั้งที่ ๑",
        "ผู้อำนวยการสำนักพัฒนาสังคม และผู้อำนวยการสำนักยุทธศาสตร์และประเมินผล",
        f"กับ{FUKUOKA_TH} และ{SEOUL_TH}",
    ],
    ("order_transmittal", "en"): [
        "Memorandum",
        "video conference 1 with Fukuoka Prefecture, Japan; Seoul, South Korea in January 2021",
    ],
    ("report_cover", "th"): [
        "รายงานผลการประชุมทางไกลส่งเสริมผลิตภัณฑ์ Bangkok Brand ครั้งที่ ๑",
        "เมื่อวันที่ ๑๔ มกราคม ๒๕๖๔",
        f"(๑) {VENDOR_TH}",
        "จึงเรียนมาเพื่อโปรดทราบ",
    ],
    ("report_cover", "en"): [
        "on 14 January 2021",
        f"(1) {VENDOR_EN}",
        "For your information.",
    ],
}


def docx_text(content: bytes) -> str:
    from docx import Document as Docx

    document = Docx(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def _flat(text: str) -> str:
    return re.sub(r"\s*\n\s*", "", re.sub(r" {2,}", " ", text))


def _spaced(text: str) -> str:
    # A justified English line stretches its spaces; extraction gives them back doubled.
    return re.sub(r"\s+", " ", text)


def contains(text: str, expected: str) -> bool:
    return expected in text or expected in _flat(text) or expected in _spaced(text)


@pytest.mark.parametrize(("kind", "language"), sorted(EXPECTED))
def test_each_document_reads_back_exactly(programme, fao_user, kind, language, tmp_path):
    version = generate(programme, fao_user, kind, language)
    docx = docx_text(version.docx.open("rb").read())
    pdf_bytes = version.pdf.open("rb").read()
    pdf = read_pdf(pdf_bytes)
    poppler = pdftotext(pdf_bytes, tmp_path)
    for expected in EXPECTED[(kind, language)]:
        assert expected in docx or expected in _spaced(docx), (expected, docx)
        assert contains(pdf.text, expected), (expected, pdf.text)
        if poppler is not None:
            assert contains(poppler, expected), (expected, poppler)
    # Only Sarabun, every glyph present.
    assert all("Sarabun" in name for name in pdf.fonts), pdf.fonts
    if language == "th":
        assert not re.search(r"[0-9]", _flat(pdf.text).replace("Microsoft", "")), pdf.text
    else:
        assert not re.search(r"[๐-๙]", pdf.text)


def test_the_docx_uses_the_official_typeface_at_16_points(programme, fao_user):
    from docx import Document as Docx

    version = generate(programme, fao_user, "approval_memo", "th")
    document = Docx(io.BytesIO(version.docx.open("rb").read()))
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.font.name == "TH SarabunPSK"
    section = document.sections[0]
    assert round(section.left_margin.cm, 1) == 3.0 and round(section.right_margin.cm, 1) == 2.0


@pytest.mark.slow  # LibreOffice processes: run once
def test_each_docx_converts_to_pdf_in_headless_libreoffice(programme, fao_user, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        skip_or_fail("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    paths = []
    for kind, language in sorted(EXPECTED):
        version = generate(programme, fao_user, kind, language)
        path = tmp_path / f"{kind}-{language}.docx"
        path.write_bytes(version.docx.open("rb").read())
        paths.append(path)
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for path in paths:
        converted = tmp_path / "out" / (path.stem + ".pdf")
        assert converted.exists(), (path.name, result.stdout, result.stderr)
        text = pdftotext(converted.read_bytes(), tmp_path)
        if text is not None:
            word = "กรุงเทพมหานคร" if path.stem.endswith("-th") else "Bangkok"
            assert word in _flat(text), (path.name, text)


def test_a_document_keeps_its_number_and_counts_its_versions(programme, fao_user):
    first = generate(programme, fao_user, "approval_memo", "th")
    second = generate(programme, fao_user, "approval_memo", "en")
    other = generate(programme, fao_user, "working_group_order", "th")
    assert first.document_id == second.document_id
    assert (first.version, second.version) == (1, 2)
    assert second.generated_by == fao_user
    assert first.document.number == 101 and other.document.number == 102
    programme.sequence.refresh_from_db()
    assert programme.sequence.next_number == 103
    assert Document.objects.count() == 2


def test_without_a_number_sequence_nothing_is_generated(programme, fao_user):
    programme.sequence.delete()
    for language, message in [
        ("en", "Set up the document numbers of FY 2564 first (admin: document number sequences)."),
        ("th", "ตั้งเลขที่หนังสือของปีงบประมาณ 2564 ก่อน (ผู้ดูแลระบบ: ลำดับเลขที่หนังสือ)"),
    ]:
        with translation.override(language), pytest.raises(ValidationError) as error:
            generate(programme, fao_user, "approval_memo", "th")
        assert error.value.messages == [message]
    assert not Document.objects.exists()


def test_fao_edits_the_wording_and_the_next_version_says_it(programme, fao_user):
    text = TemplateText.objects.get(kind="report_cover", key="to")
    text.text_th = "รองผู้ว่าราชการกรุงเทพมหานคร (นายทดสอบ แก้ไขได้)"
    text.full_clean()
    text.save()
    version = generate(programme, fao_user, "report_cover", "th")
    assert "รองผู้ว่าราชการกรุงเทพมหานคร (นายทดสอบ แก้ไขได้)" in docx_text(version.docx.open("rb").read())
    assert read_pdf(version.pdf.open("rb").read()).contains("รองผู้ว่าราชการกรุงเทพมหานคร")


def test_a_placeholder_the_document_does_not_know_is_refused(programme):
    text = TemplateText.objects.get(kind="report_cover", key="body")
    text.text_en = "Held on {sesion_date}."
    with pytest.raises(ValidationError) as error:
        text.full_clean()
    assert error.value.message_dict["text_en"][0].startswith(
        "Unknown placeholders: {sesion_date}. Known: {cities}, {date}, {fiscal_year},"
    )


def test_every_seeded_text_is_in_the_database():
    from documents.texts import DEFAULT_TEXTS

    seeded = set(TemplateText.objects.values_list("kind", "key"))
    assert seeded == {(kind, key) for kind, parts in DEFAULT_TEXTS.items() for key in parts}
