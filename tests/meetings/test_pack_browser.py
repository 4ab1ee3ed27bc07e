"""The coordination pack in a browser, as the city sees it: the page in Korean and English,
the participants form, and the PDF's pages (screenshots under test-artifacts/pack/)."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from meetings.models import PackParticipant

from ..browser_support import ARTIFACTS, follow
from .test_packs import pack  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

OUT = ARTIFACTS / "pack"


def test_the_city_reads_its_pack_enters_its_participants_and_gets_the_pdf(live_portal, pack):  # noqa: F811
    page = live_portal
    OUT.mkdir(parents=True, exist_ok=True)
    page.goto(page.base_url + reverse("meetings:pack-public", args=[pack.token]) + "?lang=ko")
    assert page.locator("#pack-en h2").first.inner_text() == "English"
    assert page.locator("#pack-ko h2").first.inner_text() == "한국어"
    assert "Microsoft Teams 게스트로 참여하는 방법" in page.locator("#pack-ko").inner_text()
    assert "11:00–13:00 (UTC+9)" in page.locator("#pack-ko .when-city").inner_text()
    page.screenshot(path=str(OUT / "1-pack-ko-en.png"), full_page=True)

    follow(page, "#pack-form-link")
    page.wait_for_load_state("networkidle")
    assert page.locator("#participants-title").inner_text() == "Seoul 참가자"
    rows = [
        ("김민지", "서울특별시", "minji@seoul.example.kr", "ko"),
        ("Lee Joon", "Seoul Business Agency", "joon@sba.example.kr", "en"),
    ]
    for i, (name, org, email, lang) in enumerate(rows):
        page.fill(f"input[name=p-{i}-name]", name)
        page.fill(f"input[name=p-{i}-organisation]", org)
        page.fill(f"input[name=p-{i}-email]", email)
        page.select_option(f"select[name=p-{i}-language]", lang)
    page.screenshot(path=str(OUT / "2-form-filled.png"), full_page=True)
    follow(page, "#send-participants")
    page.wait_for_load_state("networkidle")
    assert "감사합니다. 방콕 외무국이 초대하기 전에 명단을 검토합니다." in page.content()
    assert page.locator("#sent-list tr").count() == 2
    page.screenshot(path=str(OUT / "3-form-sent.png"), full_page=True)
    assert PackParticipant.objects.filter(pack=pack, status="pending").count() == 2

    pdf = page.request.get(page.base_url + reverse("meetings:pack-public-pdf", args=[pack.token]))
    assert pdf.status == 200
    path = OUT / "pack.pdf"
    path.write_bytes(pdf.body())
    for old in OUT.glob("pdf-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(path), str(OUT / "pdf")], check=True)
    pages = sorted(OUT.glob("pdf-*.png"))
    assert len(pages) >= 2  # English, then Korean on its own page


def test_fao_reviews_the_citys_list_in_thai(live_portal, pack, fao_user):  # noqa: F811
    from meetings.models import CityParticipant
    from meetings.services import packs as services

    from ..browser_support import choose_language, log_in
    from ..factories import TEST_PASSWORD

    services.pack_participants_submit(
        pack=pack,
        rows=[
            services.ParticipantInput("김민지", "서울특별시", "minji@seoul.example.kr", "ko"),
            services.ParticipantInput("Lee Joon", "SBA", "joon@sba.example.kr", "en"),
        ],
    )
    page = live_portal
    OUT.mkdir(parents=True, exist_ok=True)
    log_in(page, fao_user.username, TEST_PASSWORD)
    choose_language(page, "th")
    page.goto(page.base_url + reverse("meetings:session-packs", args=[pack.session_id]))
    assert "รอตรวจสอบ 2 คน" in page.locator("#pack-list").inner_text()
    page.screenshot(path=str(OUT / "4-fao-packs-th.png"), full_page=True)
    page.goto(page.base_url + reverse("meetings:pack-review", args=[pack.pk]))
    page.check("input[name=entries][aria-label='김민지']")
    follow(page, "button[value=accept]")
    page.wait_for_load_state("networkidle")
    assert "ยอมรับ: 1 ปฏิเสธ: 0" in page.content()
    page.screenshot(path=str(OUT / "5-fao-review-th.png"), full_page=True)
    assert CityParticipant.objects.filter(email="minji@seoul.example.kr").exists()
