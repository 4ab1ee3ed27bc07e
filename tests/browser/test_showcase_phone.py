"""The showcase on a phone (issue #17): five languages, photos, readable without scripts,
and what it makes a phone fetch before its first paint on Chromium's throttling profiles.
Screenshots of each language and of the product sheet PDF go to test-artifacts/showcase/.

Chromium's "Slow 3G" profile (DevTools' NetworkManager: 400 kbit/s down, 2 000 ms added to
every request) cannot show any page in under 2 s: its latency alone is 2 s. What the page
controls is asserted in bytes and requests (the document under 8 kB, and nothing else
held before the first paint); the times are written to
test-artifacts/showcase/timings-*.json, not asserted (a busy machine moves them).
Measured alone: Slow 3G DCL 2.19 s, LCP 2.18 s; Fast 3G DCL 0.63 s, LCP 0.70 s; 3.8 kB.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from django.urls import reverse

from ..browser_support import ARTIFACTS
from ..buyers.conftest import build_showroom

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

OUT = ARTIFACTS / "showcase"
PHONE = {"width": 390, "height": 844}
# DevTools' profiles (front_end/core/sdk/NetworkManager.ts), in bytes per second and ms.
SLOW_3G = {
    "latency": 2000,
    "downloadThroughput": 500 * 1000 / 8 * 0.8,
    "uploadThroughput": 500 * 1000 / 8 * 0.8,
}
FAST_3G = {
    "latency": 562.5,
    "downloadThroughput": 1.6 * 1000 * 1000 / 8 * 0.9,
    "uploadThroughput": 750 * 1000 / 8 * 0.9,
}

TEXTS = {
    "ko": ("말린 망고", "달콤하고 쫄깃한 태국 망고."),
    "ja": ("ドライマンゴー", "甘くてもちもちしたタイのマンゴー。"),
    "zh-hans": ("芒果干", "香甜有嚼劲的泰国芒果。"),
}


@pytest.fixture
def big_showroom(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    room = build_showroom(vendors=5, products=10, photos=True)
    for product in room.products[::2]:
        for lang, (name, description) in TEXTS.items():
            product.create_translation(lang, buyer_name=name, buyer_description=description)
    import datetime as dt
    from decimal import Decimal

    from buyers.models import ExchangeRate

    ExchangeRate.objects.create(
        currency="KRW", thb_per_unit=Decimal("0.0245"), rate_on=dt.date(2026, 12, 1)
    )
    return room


def _page(browser, javascript=True):
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        java_script_enabled=javascript,
        locale="ko-KR",
    )
    return context, context.new_page()


@pytest.mark.parametrize("lang", ["ko", "ja", "zh-hans", "th", "en"])
def test_the_showcase_on_a_phone_in_each_language(live_server, browser, big_showroom, lang):
    OUT.mkdir(parents=True, exist_ok=True)
    # Scripts off: the page must read without them.
    context, page = _page(browser, javascript=False)
    try:
        url = live_server.url + reverse("showcase:page", args=[big_showroom.link.token, lang])
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("section.vendor").count() == 5
        assert page.locator("article").count() == 50
        assert page.locator("article img").first.get_attribute("loading") == "eager"
        assert page.locator("article img").nth(1).get_attribute("loading") == "lazy"
        page.wait_for_load_state("load")
        # Sarabun for the chooser's "ไทย" comes after the load (unicode-range, swap).
        page.wait_for_timeout(800)
        page.screenshot(path=str(OUT / f"showcase-{lang}.png"))
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["ko", "ja", "zh-hans", "th"])
def test_the_product_sheet_pdf_renders_each_script(live_server, big_showroom, lang, client):
    OUT.mkdir(parents=True, exist_ok=True)
    url = reverse(
        "showcase:sheet", args=[big_showroom.link.token, lang, big_showroom.vendors[0].pk]
    )
    response = client.get(url)
    assert response.status_code == 200
    pdf = OUT / f"sheet-{lang}.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(OUT / f"sheet-{lang}"),
        ],
        check=True,
    )
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert ("Noto-Sans-CJK" in fonts) if lang != "th" else ("Sarabun" in fonts), fonts


def _timings(page) -> dict:
    return page.evaluate(
        """() => new Promise(resolve => {
            const nav = performance.getEntriesByType('navigation')[0];
            let lcp = 0;
            new PerformanceObserver(list => {
                for (const e of list.getEntries()) lcp = e.startTime;
            }).observe({type: 'largest-contentful-paint', buffered: true});
            setTimeout(() => resolve({
                responseStart: nav.responseStart,
                domContentLoaded: nav.domContentLoadedEventEnd,
                lcp: lcp,
                transferSize: nav.transferSize,
                blocking: performance.getEntriesByType('resource')
                    .filter(r => r.renderBlockingStatus === 'blocking')
                    .map(r => ({url: r.name, type: r.initiatorType, bytes: r.encodedBodySize})),
            }), 300);
        })"""
    )


@pytest.mark.parametrize("profile", ["slow-3g", "fast-3g"])
def test_the_showcase_is_usable_quickly_on_a_throttled_phone(
    live_server, browser, big_showroom, profile
):
    """What decides the first screen's time on a slow network, in bytes and requests (a
    wall-clock bound failed on a busy CI machine: LCP 616 ms after Slow 3G's 2 s latency,
    against 218 ms alone; speed is measured in bench/, not asserted by a test). The times
    are still written to test-artifacts/showcase/timings-*.json."""
    OUT.mkdir(parents=True, exist_ok=True)
    url = live_server.url + reverse("showcase:page", args=[big_showroom.link.token, "ko"])
    context, page = _page(browser)
    try:
        page.goto(url)  # warm: the photo sizes are made on first request, then kept
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_timeout(1500)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        conditions = SLOW_3G if profile == "slow-3g" else FAST_3G
        cdp.send("Network.emulateNetworkConditions", {"offline": False, **conditions})
        page.goto(url, wait_until="domcontentloaded")
        timings = _timings(page)
    finally:
        context.close()
    timings["profile"] = profile
    (OUT / f"timings-{profile}.json").write_text(json.dumps(timings, indent=2))
    print(profile, timings)
    assert timings["transferSize"] < 8000, timings  # the document: 50 products, gzip
    # The document alone paints the first screen: its styles are inline, and no stylesheet,
    # script or font holds the paint back for another round trip.
    assert timings["blocking"] == [], timings
    assert timings["lcp"] > 0, timings  # something was painted
