"""The three journeys of issue #7, each walked in Thai and in English.

Each test is parametrised by the language the user picks on the login page; what the
user reads is asserted in that language from the `TEXT` tables of each module, written
out by hand, so a missing translation fails the Thai run. A screenshot of every step is
kept under test-artifacts/journeys/.
"""

from __future__ import annotations

import pytest

from ..browser_support import ARTIFACTS, choose_language, log_in
from ..reports.conftest import held_session, media_root  # noqa: F401  (fixtures)

JOURNEY_ARTIFACTS = ARTIFACTS / "journeys"


@pytest.fixture(params=["th", "en"])
def language(request) -> str:
    return request.param


class Walk:
    """A user's page in one language, with numbered screenshots of the steps."""

    def __init__(self, page, journey: str, language: str):
        self.page = page
        self.journey = journey
        self.language = language
        self.step = 0
        # Every answer of 400 or more the browser saw (a page, a script, a missing icon).
        self.broken: list[str] = []
        page.on("response", self._note_if_broken)

    def _note_if_broken(self, response) -> None:
        if response.status >= 400:
            self.broken.append(f"{response.status} {response.url}")

    def url(self, path: str) -> str:
        return f"{self.page.base_url}{path}"

    def log_in(self, username: str, password: str) -> None:
        self.page.goto(self.url("/accounts/login/"))
        choose_language(self.page, self.language)
        assert self.page.get_attribute("html", "lang") == self.language
        log_in(self.page, username, password)

    def shot(self, name: str) -> None:
        self.step += 1
        JOURNEY_ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = JOURNEY_ARTIFACTS / f"{self.journey}-{self.language}-{self.step:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)

    def text(self, selector: str) -> str:
        return self.page.inner_text(selector)

    def click(self, selector: str) -> None:
        self.page.click(selector)
        self.page.wait_for_load_state("networkidle")


@pytest.fixture
def walk(live_portal, language, caplog):
    walks: list[Walk] = []

    def start(journey: str) -> Walk:
        walks.append(Walk(live_portal, journey, language))
        return walks[-1]

    yield start
    for done in walks:
        assert done.broken == [], "the browser met errors on the way"
    # The live server's own view of it, which also sees what the browser asks for on its
    # own (Chromium's favicon request never reaches Playwright's events).
    server_errors = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert server_errors == []
