"""Every page the test browser opens arrives in two parts, a moment apart.

A click on a link returns once the next page has begun to arrive, not once it has been
read to the end; a test that reads the page then without waiting for it (`is_visible()`,
`count()`, `inner_text("main")`) passes while the page comes in one packet and fails now
and then on a loaded CI machine (stop 24: `#planner-proposal` not yet there). Pausing
every page in the middle of its `<main>` makes such a test fail every time, on any machine,
so the browser tests wait for the page (`browser_support.follow`, web-first `expect`).

Only the browser's own requests (headless Chromium) are paused: the test client and the
tests that call the live server over HTTP read whole answers anyway.
BROWSER_PAGE_PAUSE sets the pause in seconds (0 turns it off; 0.4 shows it plainly).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import StreamingHttpResponse


def _in_two_parts(content: bytes, pause: float):
    middle = content.find(b"<main")
    middle = len(content) // 2 if middle < 0 else middle + 64
    yield content[:middle]
    time.sleep(pause)
    yield content[middle:]


class SlowPages:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        pause = settings.BROWSER_PAGE_PAUSE
        if (
            not pause
            or "HeadlessChrome" not in request.headers.get("User-Agent", "")
            or not response.get("Content-Type", "").startswith("text/html")
            or response.streaming
        ):
            return response
        slow = StreamingHttpResponse(
            _in_two_parts(response.content, pause), status=response.status_code
        )
        for header, value in response.items():
            if header.lower() != "content-length":
                slow[header] = value
        slow.cookies = response.cookies
        return slow
