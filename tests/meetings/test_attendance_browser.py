"""Done when (#13): staff import attendance from Teams in a real browser, in Thai and in
English, see what Teams proposes (matched by e-mail, a suggestion by name, a guest apart),
correct it and record the session as held. Teams is the fake Graph over HTTPS."""

from __future__ import annotations

import pytest

from meetings.models import BMAParticipant, CityParticipant, Session, ShortlistEntry

from ..browser_support import choose_language, follow, log_in
from .attendance_support import two_reports
from .test_browser import shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

TEXT = {
    "en": {
        "button": "Import attendance from Teams",
        "imported": (
            "Attendance imported from Teams: 2 matched by e-mail, 1 suggested by name, "
            "1 not matched. Check it and record the session as held."
        ),
        "suggestion": "suggestion: matched by name only",
        "matched": "Teams: matched by e-mail",
        "kim": "58 min, joined",
        "held": "The session is recorded as held, with its attendance.",
    },
    "th": {
        "button": "นำเข้าการเข้าร่วมจาก Teams",
        "imported": (
            "นำเข้าการเข้าร่วมจาก Teams แล้ว: ตรงกันด้วยอีเมล 2 คน แนะนำจากชื่อ 1 คน "
            "จับคู่ไม่ได้ 1 คน โปรดตรวจสอบแล้วบันทึกว่าจัดประชุมแล้ว"
        ),
        "suggestion": "คำแนะนำ: ตรงกันเฉพาะชื่อ",
        "matched": "Teams: ตรงกันด้วยอีเมล",
        "kim": "58 นาที เข้าร่วม",
        "held": None,  # asserted through the stored attendance
    },
}


@pytest.mark.parametrize("language", ["th", "en"])
def test_staff_import_attendance_from_teams_and_confirm_it(
    live_portal, fake_graph, held, seo_user, password, language
):
    Session.objects.filter(pk=held.pk).update(connection_test_waived_reason="Same room as 2568")
    two_reports(fake_graph, held)
    text = TEXT[language]
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, language)
    log_in(page, seo_user.username, password)
    page.goto(f"{page.base_url}/meetings/sessions/{held.pk}/held/")
    # Nothing is ticked before anyone (or Teams) says so.
    assert page.locator("#held-form input[type=checkbox]:checked").count() == 0

    follow(page, "#import-attendance")
    page.wait_for_load_state("networkidle")
    assert text["imported"] in page.inner_text("body")
    form = page.locator("#held-form")
    vendor = page.locator(".form-check", has=page.locator("[data-match=name]"))
    assert text["suggestion"] in vendor.inner_text()
    assert not vendor.locator("input").is_checked()  # a suggestion waits for staff
    assert form.locator("[data-match=email]").count() == 2
    assert text["matched"] in form.inner_text()
    assert text["kim"] in form.inner_text()
    assert form.locator("input[type=checkbox]:checked").count() == 2
    assert "Guest 0812" in page.inner_text("#teams-unmatched")
    shot(page, f"attendance-imported-{language}")

    # Staff confirm the suggestion and record the session as held.
    vendor.locator("input").check()
    follow(page, "#held-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    if text["held"]:
        assert text["held"] in page.inner_text("body")
    shot(page, f"attendance-recorded-{language}")
    assert Session.objects.get(pk=held.pk).status == Session.Status.HELD
    assert ShortlistEntry.objects.get(session=held).attended is True
    assert CityParticipant.objects.get(session=held).attended is True
    assert BMAParticipant.objects.get(session=held).attended is True
