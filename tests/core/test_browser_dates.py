"""The admin's date input as FAO sees it in a browser: the reader's year, the format
hint, and the calendar's "Today" writing a BE year in Thai."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cities.models import InquiryLetter
from core.roles import Role

from ..browser_support import choose_language, log_in
from ..factories import InquiryLetterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "shown", "hint"),
    [
        ("th", "10/11/2569", "วว/ดด/ปปปป (พ.ศ.) เช่น 23/11/2569"),
        ("en", "10/11/2026", "dd/mm/yyyy, for example 23/11/2026"),
    ],
)
def test_an_inquiry_letter_date_in_the_admin(
    live_portal, make_user, password, language, shown, hint
):
    letter = InquiryLetterFactory(sent_on=dt.date(2026, 11, 10))
    user = make_user(Role.FAO)
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    log_in(page, user.username, password)
    choose_language(page, language)
    page.goto(f"{page.base_url}/admin/cities/inquiryletter/{letter.pk}/change/")
    date_input = page.locator("input[name=sent_on]")
    assert date_input.input_value() == shown
    assert page.locator("#id_sent_on_hint").inner_text() == hint

    # The calendar opens on the shown month, captioned with the reader's year.
    page.locator(".field-sent_on .datetimeshortcuts a").nth(1).click()
    caption = page.locator(".calendarbox:visible caption").text_content()
    assert caption == ("พฤศจิกายน 2569" if language == "th" else "November 2026")
    page.keyboard.press("Escape")

    # The calendar's "Today" writes today's date in the reader's year.
    page.locator(".field-sent_on .datetimeshortcuts a").first.click()
    today = timezone.localdate()
    year = today.year + 543 if language == "th" else today.year
    assert date_input.input_value() == f"{today:%d/%m}/{year}"

    date_input.fill(shown)
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state("networkidle")
    assert InquiryLetter.objects.get(pk=letter.pk).sent_on == dt.date(2026, 11, 10)
    assert page.locator("input[name=sent_on]").input_value() == shown
