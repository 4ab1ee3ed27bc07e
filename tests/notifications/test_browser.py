"""Linking a vendor's LINE account as SDO and the vendor do it, in headless Chromium:
SDO prints the code, the vendor sends it to the account (the fake LINE's signed webhook to
the live server), SDO sees the vendor linked; an unfollow shows too."""

from __future__ import annotations

import pytest

from core.roles import Role
from notifications.models import LineLink
from tests.browser_support import choose_language, follow, log_in
from tests.factories import VendorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sdo_prints_the_code_the_vendor_sends_it_and_sdo_sees_the_link(
    live_portal, fake_line, make_user, password, settings
):
    settings.LINE_BOT_BASIC_ID = "@bbportal"
    vendor = VendorFactory(business_name_en="Lat Krabang Herbals")
    user = make_user(Role.SDO)
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, "en")
    log_in(page, user.username, password)

    page.goto(f"{page.base_url}/vendors/{vendor.pk}/")
    assert page.inner_text("#line-link").startswith("Not linked")
    follow(page, "text=LINE link code to print")
    code = page.inner_text("#line-code-value")
    assert page.get_attribute("#line-code a", "href") == "https://line.me/R/ti/p/@bbportal"

    # The vendor adds the account and sends the code from its phone.
    phone = fake_line.new_user()
    webhook = f"{page.base_url}/notifications/line/webhook/"
    event = fake_line.message_event(phone, f"code {code}")
    assert fake_line.webhook(webhook, [event]).status_code == 200
    assert fake_line.webhook(webhook, [fake_line.redelivery(event)]).status_code == 200
    assert fake_line.webhook(webhook, [event], signature="forged").status_code == 403

    page.goto(f"{page.base_url}/vendors/{vendor.pk}/")
    assert page.inner_text("#line-link").startswith("Linked")
    page.goto(f"{page.base_url}/vendors/?q=Lat+Krabang")
    assert "Linked" in page.inner_text("table tbody")
    assert len(fake_line.delivered[phone]) == 1  # the confirmation, once

    assert fake_line.webhook(webhook, [fake_line.unfollow_event(phone)]).status_code == 200
    page.goto(f"{page.base_url}/vendors/{vendor.pk}/")
    assert page.inner_text("#line-link").startswith("Unfollowed")
    assert LineLink.objects.get(vendor=vendor).status == LineLink.Status.UNLINKED
