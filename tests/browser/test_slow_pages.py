"""The test browser's pages arrive in two parts (tests/slow_pages.py), and `follow` waits.

Stop 24's CI failed once on a page read right after a click, before the page had arrived
in full. These tests keep the guard honest: were the pause dropped (or the middleware
left out of the test settings), the first would fail, and the browser tests would again
pass by luck on a fast machine.
"""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.test import override_settings

from core.roles import Role

from ..browser_support import follow, log_in
from ..slow_pages import SlowPages

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/156.0.0.0"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@override_settings(BROWSER_PAGE_PAUSE=1.5)
def test_a_page_read_right_after_a_click_misses_its_end_and_follow_waits(
    live_portal, make_user, password
):
    page = live_portal
    log_in(page, make_user(Role.FAO).username, password)

    page.click("[data-nav=vendors]")
    assert page.url.endswith("/vendors/")
    # The next page has begun (the address is its own), its end has not come yet.
    assert page.locator("footer").count() == 0

    follow(page, "[data-nav=meetings]")
    assert page.url.endswith("/meetings/")
    assert page.locator("footer").count() == 1


def _request(user_agent: str) -> HttpRequest:
    request = HttpRequest()
    request.META["HTTP_USER_AGENT"] = user_agent
    return request


@override_settings(BROWSER_PAGE_PAUSE=0.01)
def test_only_the_browsers_html_pages_are_held_back_and_nothing_of_them_changes():
    page = HttpResponse(b"<html><body><main class=x>" + b"a" * 100 + b"</main></body></html>")
    page.set_cookie("sessionid", "abc")
    page["X-Frame-Options"] = "DENY"
    middleware = SlowPages(lambda request: page)

    held = middleware(_request(CHROME))
    assert isinstance(held, StreamingHttpResponse)
    assert b"".join(held.streaming_content) == page.content
    assert held["X-Frame-Options"] == "DENY" and held.cookies["sessionid"].value == "abc"
    assert "Content-Length" not in held

    # The test client and other HTTP callers read the answer whole, as it was.
    assert middleware(_request("python-requests/2.32")) is page
    data = HttpResponse(b"{}", content_type="application/json")
    assert SlowPages(lambda request: data)(_request(CHROME)) is data
    with override_settings(BROWSER_PAGE_PAUSE=0):
        assert middleware(_request(CHROME)) is page
