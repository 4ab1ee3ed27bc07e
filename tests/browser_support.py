"""Headless Chromium (Debian's package) driven by Playwright, for tests that look at pages
as a user does. Playwright's own browser download is never used."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .support import skip_or_fail

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", "chromium"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    if executable is None:
        skip_or_fail("Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make between page actions are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def live_portal(live_server, browser, request):
    """A fresh browser page on the live test server; a screenshot is kept per test."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    finally:
        context.close()


def follow(page, selector: str, **options) -> None:
    """Click, then wait until the page the click opened has loaded.

    Playwright's click returns once the next page has begun to arrive; what the test reads
    next may not be there yet (tests/slow_pages.py holds every page back to show it).
    A click that opens no page waits for nothing more.
    """
    page.click(selector, **options)
    page.wait_for_load_state("load")


def log_in(page, username: str, password: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]:has-text('Log in'), button[type=submit]:has-text('เข้าสู่ระบบ')")
    page.wait_for_load_state("networkidle")


def choose_language(page, code: str) -> None:
    page.click(f"form[action$='/i18n/setlang/'] button[value={code}]")
    page.wait_for_load_state("networkidle")
