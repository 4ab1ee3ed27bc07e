"""axe-core on every page of the portal, in Thai and English (issue #16 item 11).

The pages are those of the URL × role matrix (tests/test_url_matrix.py) that a role may
GET and that answer HTML, over the matrix's world of real rows. Each page is visited
once per language, by the first role that may see it (each role's own pages by that
role); a few key pages are visited at a phone's width too. A serious or critical
violation fails the test, and all of them are listed.

axe-core is vendored from npm for the tests only: tests/browser/vendor/README.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from outcomes.models import Submission

from ..browser_support import ARTIFACTS
from ..factories import SubmissionFactory, VendorFactory
from ..matrix_fixtures import _build
from ..test_url_matrix import ANON, EXEC, EXPECTED, FAO, SDO, SEO, _url

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.long,
    pytest.mark.django_db(transaction=True),
]

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING = {"serious", "critical"}
# The first role that may see a page visits it; each role sees its own home page.
ROLE_ORDER = (FAO, SDO, SEO, EXEC, ANON)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
# The pages an officer opens on a phone: looked at in both languages, screenshots kept.
PHONE_PAGES = ("home", "meetings:session-detail", "outcomes:submission-list", "vendors:list")
KEEP = ("login", "review")
# Public pages for the sister cities' businesses: their language comes from the link or the
# city (Korean, Japanese, Chinese...), not from the portal's Thai/English choice.
OWN_LANGUAGE = (
    "buyers:lead-request",
    "showcase:",
    "meetings:pack-public",
    "meetings:pack-participants",
)
SCREENSHOTS = ("home", "meetings:session-detail", "outcomes:submission-list", "vendors:list")


def _pages(world) -> dict[str, list[tuple[str, str]]]:
    """Per role, the (name, url) of each HTML page it visits."""
    pages: dict[str, list[tuple[str, str]]] = {role: [] for role in ROLE_ORDER}
    for name, by_role in sorted(EXPECTED.items()):
        if name.startswith("admin:"):
            continue  # Django's admin: FAO's exceptional corrections, not the portal's pages.
        allowed = [role for role in ROLE_ORDER if by_role.get(role) == 200]
        if not allowed:
            continue
        visitors = allowed if name == "home" else allowed[:1]
        url = _url(name, world)
        for role in visitors:
            response = world.clients[role].get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                pages[role].append((name, url))
    return pages


def _context(browser, live_server, world, role: str, language: str, viewport: dict):
    # The portal's CSP admits no inline script: the test's own axe script is let through.
    context = browser.new_context(locale="en-GB", viewport=viewport, bypass_csp=True)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if role != ANON:
        session = world.clients[role].cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
        )
    context.add_cookies(cookies)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


# The rules whose every check is minor or moderate, read from axe's own rule data: they
# cannot fail the sweep (BLOCKING), and running them cost a quarter of axe's time a page.
_QUIET_RULES = (
    "() => axe._audit.rules.filter(r => r.enabled && ![r.impact, ...[...r.any, ...r.all,"
    " ...r.none].map(c => (axe._audit.data.checks[c.id || c] || {}).impact)].some("
    "i => i === 'serious' || i === 'critical')).map(r => r.id)"
)


def _violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    quiet = page.evaluate(_QUIET_RULES)
    assert 0 < len(quiet) < 40, quiet  # axe's rule data is as read when this was written
    result = page.evaluate(
        "async (quiet) => { const rules = Object.fromEntries(quiet.map(id => [id, {enabled:"
        " false}])); const r = await axe.run(document, {resultTypes: ['violations'], rules});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }",
        quiet,
    )
    return [v for v in result if v["impact"] in BLOCKING]


def _phone_layout(page, where: str) -> list[str]:
    """Nothing wider than the phone, and the menu folded behind its toggler."""
    problems = []
    if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
        problems.append(f"{where}: the page is wider than the phone")
    toggle, menu = page.locator("#menu-toggle"), page.locator("#bb-menu")
    if not toggle.is_visible() or menu.is_visible():
        problems.append(f"{where}: the menu is not folded behind its toggler")
    else:
        toggle.click()
        menu.wait_for(state="visible")
        if toggle.get_attribute("aria-expanded") != "true":
            problems.append(f"{where}: the toggler does not say the menu is open")
    return problems


def _shot(page, name: str, language: str, width: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    slug = name.replace(":", "-")
    page.screenshot(path=str(ARTIFACTS / f"a11y-{slug}-{language}-{width}.png"), full_page=True)


# One test per language, so that parallel test workers (pytest-xdist) share the pages.
@pytest.mark.parametrize("language", ["th", "en"])
def test_every_page_has_no_serious_or_critical_axe_violation(browser, live_server, language):
    world = _build()
    try:
        _check_every_page(browser, live_server, world, language)
    finally:
        # The transaction's flush does not remove what the factories wrote to MEDIA_ROOT.
        for field in (world.generation.file, world.attachment.file, world.photo.image):
            field.storage.delete(field.name)


def _check_every_page(browser, live_server, world, language: str) -> None:
    pages = _pages(world)
    # FAO's review of a submitted form: the "Return to SDO" button, once below 4.5:1.
    submitted = SubmissionFactory(vendor=VendorFactory(), period=world.submission.period)
    Submission.objects.filter(pk=submitted.pk).update(status=Submission.Status.SUBMITTED)
    pages[FAO].append(("review", reverse("outcomes:submission-detail", args=[submitted.pk])))
    assert sum(len(p) for p in pages.values()) > 40, pages
    found: list[str] = []
    visited = 0
    for role in ROLE_ORDER:
        if not pages[role]:
            continue
        for viewport, width in ((DESKTOP, "desktop"), (PHONE, "phone")):
            chosen = [
                (name, url)
                for name, url in pages[role]
                if width == "desktop" or name in PHONE_PAGES
            ]
            if not chosen:
                continue
            context, page = _context(browser, live_server, world, role, language, viewport)
            try:
                for name, url in chosen:
                    page.goto(f"{live_server.url}{url}")
                    page.wait_for_load_state("load")
                    if name.startswith(OWN_LANGUAGE):
                        assert page.get_attribute("html", "lang"), url
                    else:
                        assert page.get_attribute("html", "lang") == language, url
                    visited += 1
                    if name == "review":
                        assert page.locator("#return-submission").count() == 1
                    if width == "phone":
                        found.extend(_phone_layout(page, f"{url} ({role}, {language})"))
                    for v in _violations(page):
                        found.append(
                            f"{url} ({role}, {language}, {width}): {v['impact']} {v['id']}"
                            f" – {v['help']} – {json.dumps(v['nodes'], ensure_ascii=False)}"
                        )
                    if (name in SCREENSHOTS and role in (FAO, SDO)) or name in KEEP:
                        _shot(page, f"{name}-{role}", language, width)
            finally:
                context.close()
    assert visited > 40
    assert found == [], "\n".join(found)
