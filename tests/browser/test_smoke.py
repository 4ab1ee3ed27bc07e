"""Each role logs in with a real browser and lands on its own home page, in both languages."""

import pytest

from core.roles import Role

from ..browser_support import choose_language, follow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    Role.FAO: ("You run the programme", "คุณดูแลการดำเนินโครงการ"),
    Role.SDO: ("You keep the Bangkok Brand vendor registry", "คุณดูแลทะเบียนผู้ประกอบการ"),
    Role.SEO: ("You run the Teams meetings", "คุณดูแลการประชุมผ่าน Teams"),
    Role.EXECUTIVE: ("Follow the programme's KPI", "ติดตามตัวชี้วัดของโครงการ"),
}


@pytest.mark.parametrize("role", list(Role))
def test_role_logs_in_and_sees_its_home_page(role, live_portal, make_user, password):
    user = make_user(role)
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, "en")
    log_in(page, user.username, password)
    english, thai = HEADINGS[role]
    assert english in page.inner_text("main")
    assert page.locator(f"[data-role='{role.value}']").count() == 1

    choose_language(page, "th")
    assert page.get_attribute("html", "lang") == "th"
    assert thai in page.inner_text("main")
    assert "ปีงบประมาณ พ.ศ." in page.inner_text("#current-fiscal-year")


def test_logout_returns_to_the_login_page(live_portal, make_user, password):
    user = make_user(Role.FAO)
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, "en")
    log_in(page, user.username, password)
    follow(page, "#user-menu")
    follow(page, "#logout-button")
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" in page.url
