"""Issue #16 item 10: a one-page summary for executives at the front of each session
report (the KPI so far, contacts and orders, what worked, what changes), and the annual
report compared with the previous year; item 6: the lines' notes in the session report.
Renders the first pages as PNGs under test-artifacts/ to look at."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils import translation

from meetings.models import Session
from reports import context

from ..browser_support import ARTIFACTS
from ..factories import (
    EvaluationActionFactory,
    OrderLineFactory,
    OutcomeContactFactory,
    ProductFactory,
    ProgrammeYearFactory,
    ReportingPeriodFactory,
    SessionFactory,
    ShortlistEntryFactory,
    SubmissionFactory,
    VendorFactory,
)
from .conftest import STARTS_AT, read_pdf
from .test_pdf import make

pytestmark = pytest.mark.django_db


@pytest.fixture
def noted(held_session):
    """The held session's order and contact carry notes; a second order of 5 jars."""
    from outcomes.models import Contact, OrderLine

    Contact.objects.update(notes="ขอใบรับรองฮาลาล")
    OrderLine.objects.update(notes="Ships by sea in March")
    order = OrderLine.objects.get()
    OrderLineFactory(
        submission=order.submission,
        product=order.product,
        city=order.city,
        quantity=5,
        unit="กระปุก",
        value_thb=600,
        ordered_on=dt.date(2026, 2, 20),
    )
    return held_session


def first_pages_png(content: bytes, name: str, tmp_path, pages: int = 2) -> None:
    """The first pages as PNGs (test-artifacts/), to look at; skipped without poppler."""
    if shutil.which("pdftoppm") is None:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(content)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            str(pages),
            str(path),
            str(ARTIFACTS / name),
        ],
        check=True,
    )


# --- The session report's summary ----------------------------------------------------------


def test_the_summary_gathers_kpi_outcomes_what_worked_and_what_changes(noted):
    with translation.override("en"):
        summary = context.session_report(noted.session, "en").summary
    assert (summary.kpi.participants, summary.kpi.achieved, summary.kpi.percent) == (
        2,
        1,
        Decimal("50.00"),
    )
    assert (summary.contacts, summary.buying_contacts, summary.orders) == (1, 1, 2)
    assert summary.order_value_thb == Decimal("12600")
    assert [(p.product, p.quantity, p.unit) for p in summary.products] == [
        ("Traditional roasted chilli paste", "105", "กระปุก")
    ]
    assert summary.worked == "Two vendors took part; Shanghai asked about the chilli paste"
    assert summary.changes == ["ให้ผู้ประกอบการนำเสนอจากห้องประชุมของ สยป."]
    assert (summary.problems, summary.more_changes) == (1, 0)


def test_the_summary_keeps_to_one_page_however_long_the_evaluation(held_session):
    evaluation = held_session.session.evaluation
    evaluation.did_en = "word " * 400
    evaluation.save()
    for n in range(8):
        EvaluationActionFactory(evaluation=evaluation, action_en=f"Action {n}", position=10 + n)
    with translation.override("en"):
        summary = context.session_report(held_session.session, "en").summary
    assert len(summary.worked) <= context.SUMMARY_TEXT_CHARS
    assert summary.worked.endswith("…")
    assert len(summary.changes) == context.SUMMARY_CHANGES and summary.more_changes == 5


def test_the_english_session_report_opens_with_the_summary(noted, fao_user, tmp_path):
    _generation, content = make(noted, language="en", user=fao_user)
    first_pages_png(content, "reports-session-summary-en", tmp_path)
    pdf = read_pdf(content)
    summary = pdf.pages[1]  # after the cover
    flat = " ".join(summary.split())
    for expected in (
        "Summary for executives",
        "KPI of the year so far",
        "50.00%",
        "1 of 2 participating vendors had a buying contact · target at least 50%",
        "Contacts after this session",
        "1 about buying",
        "Orders after this session",
        "12,600.00 baht",
        "Vendors who attended",
        "2 of 2",
        "Products ordered",
        "Traditional roasted chilli paste",
        "105 กระปุก",
        "What worked",
        "Two vendors took part; Shanghai asked about the chilli paste",
        "What changes for the next session",
        "ให้ผู้ประกอบการนำเสนอจากห้องประชุมของ สยป.",
        "1 problem found: see section 6.",
    ):
        assert expected in flat or expected in "".join(summary.split()), expected
    assert "1. The session" not in summary  # the summary has the page to itself
    # Item 6: the notes of the lines that followed.
    assert pdf.contains("Note: ขอใบรับรองฮาลาล")
    assert pdf.contains("Note: Ships by sea in March")


def test_the_thai_session_report_opens_with_the_summary(noted, fao_user, tmp_path):
    _generation, content = make(noted, language="th", user=fao_user)
    first_pages_png(content, "reports-session-summary-th", tmp_path)
    pdf = read_pdf(content)
    summary = "".join(pdf.pages[1].split())
    for expected in (
        "สรุปสำหรับผู้บริหาร",
        "ตัวชี้วัดของปีถึงปัจจุบัน",
        "50.00%",
        "ผู้ประกอบการที่เข้าร่วม1จาก2รายมีการติดต่อเพื่อสั่งซื้อ·เป้าหมายอย่างน้อยร้อยละ50",
        "การติดต่อหลังการประชุมนี้",
        "เกี่ยวกับการสั่งซื้อ1ครั้ง",
        "คำสั่งซื้อหลังการประชุมนี้",
        "12,600.00บาท",
        "ผู้ประกอบการที่เข้าร่วม",
        "สินค้าที่มีการสั่งซื้อ",
        "น้ำพริกเผาสูตรโบราณ",
        "105กระปุก",
        "สิ่งที่ได้ผล",
        "ผู้ประกอบการเข้าร่วม2รายฝ่ายเซี่ยงไฮ้สนใจน้ำพริก",
        "สิ่งที่จะปรับในการประชุมครั้งถัดไป",
        "พบปัญหา1ข้อดูหัวข้อที่6",
    ):
        assert expected in summary, expected
    assert pdf.contains("หมายเหตุ: ขอใบรับรองฮาลาล")


# --- The annual report compared with the previous year ------------------------------------


@pytest.fixture
def two_years(held_session):
    """FY 2568: one held session, 3 vendors attended, one bought (2 orders, 5,000 baht)."""
    before = ProgrammeYearFactory(fiscal_year=2568)
    session = SessionFactory(
        year=before,
        number=1,
        status=Session.Status.REPORTED,
        starts_at=STARTS_AT - dt.timedelta(365),
    )
    session.cities.set([held_session.seoul])
    vendors = [VendorFactory() for _ in range(3)]
    for vendor in vendors:
        ShortlistEntryFactory(session=session, vendor=vendor, attended=True)
    submission = SubmissionFactory(
        vendor=vendors[0],
        period=ReportingPeriodFactory(fiscal_year=2568, half=1),
        status="accepted",
    )
    OutcomeContactFactory(
        submission=submission, city=held_session.seoul, contacted_on=dt.date(2025, 1, 25)
    )
    product = ProductFactory(vendor=vendors[0])
    for value in (2000, 3000):
        OrderLineFactory(
            submission=submission,
            product=product,
            city=held_session.seoul,
            value_thb=value,
            ordered_on=dt.date(2025, 2, 1),
        )
    return held_session


def test_the_comparison_rows(two_years):
    with translation.override("en"):
        comparison = context.annual_report(two_years.session.year, "en").comparison
    assert comparison.previous_label == "FY 2568 (Oct 2024 – Sep 2025)"
    assert [(r.label, r.current, r.previous, r.change) for r in comparison.rows] == [
        ("Sessions held", "2", "1", "+1"),
        ("Session reports delivered", "1", "1", "0"),
        ("Participating vendors", "2", "3", "−1"),
        ("Vendors with a buying contact", "1", "1", "0"),
        ("Outcome KPI", "50.00%", "33.33%", "+16.67 points"),
        ("Contacts", "1", "1", "0"),
        ("Contacts about buying", "1", "1", "0"),
        ("Orders", "1", "2", "−1"),
        ("Value of orders (baht)", "12,000.00", "5,000.00", "+7,000.00"),
    ]


def test_the_comparison_reads_a_fixed_number_of_queries(two_years, django_assert_num_queries):
    from reports import outcome_figures

    year = two_years.session.year
    # the previous year; its KPI (2) and statistics (4 with the cities and categories).
    with translation.override("en"), django_assert_num_queries(7):
        outcome_figures.previous_year_figures(year=year)


def test_without_a_previous_year_the_report_says_so(held_session):
    with translation.override("en"):
        comparison = context.annual_report(held_session.session.year, "en").comparison
    assert comparison.rows == [] and comparison.previous_label == "FY 2568 (Oct 2024 – Sep 2025)"


def test_the_english_annual_report_compares_with_the_previous_year(two_years, fao_user, tmp_path):
    _generation, content = make(two_years, kind="annual", language="en", user=fao_user)
    first_pages_png(content, "reports-annual-comparison-en", tmp_path, pages=3)
    pdf = read_pdf(content)
    page = next(p for p in pdf.pages if "Compared with" in p)
    flat = " ".join(page.split())
    for expected in (
        "Compared with FY 2568 (Oct 2024 – Sep 2025)",
        "Indicator FY 2569 FY 2568 Change",
        "Outcome KPI 50.00% 33.33% +16.67 points",
        "Value of orders (baht) 12,000.00 5,000.00 +7,000.00",
    ):
        assert expected in flat, (expected, flat)
    contents = next(p for p in pdf.pages if "Contents" in p)
    assert "The year at a glance, compared with the previous year" in " ".join(contents.split())


def test_the_thai_annual_report_compares_with_the_previous_year(two_years, fao_user, tmp_path):
    _generation, content = make(two_years, kind="annual", language="th", user=fao_user)
    first_pages_png(content, "reports-annual-comparison-th", tmp_path, pages=3)
    pdf = read_pdf(content)
    page = "".join(next(p for p in pdf.pages if "เทียบกับปีงบประมาณ" in "".join(p.split())).split())
    for expected in (
        "เทียบกับปีงบประมาณพ.ศ.2568",
        "ตัวชี้วัดปีงบประมาณ2569ปีงบประมาณ2568เปลี่ยนแปลง",
        "ตัวชี้วัดผลลัพธ์(KPI)50.00%33.33%+16.67จุด",
        "มูลค่าคำสั่งซื้อ(บาท)12,000.005,000.00+7,000.00",
    ):
        assert expected in page, (expected, page)


def test_an_annual_report_without_a_previous_year_says_so(held_session, fao_user):
    _generation, content = make(held_session, kind="annual", language="en", user=fao_user)
    assert read_pdf(content).contains(
        "FY 2568 has no programme year in the portal: there is nothing to compare with."
    )
