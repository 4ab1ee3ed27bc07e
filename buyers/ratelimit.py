"""A per-token limit on the public showcase: a forwarded link or a scraper cannot make
the portal render the page (and resize photos) without end.

A fixed window in the cache: `cache.add` starts the window, `cache.incr` counts in it.
The portal has no other limit on public links to reuse (outcomes' vendor links have none),
so this one is kept small and in the app that needs it.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60


def limit() -> int:
    return getattr(settings, "SHOWCASE_REQUESTS_PER_MINUTE", 240)


def allow(token: str) -> bool:
    """Whether one more request with this token fits in the current minute."""
    # Hashed: any text may come in the address (a memcached key must be plain ASCII
    # without spaces), and the cache does not need to hold the credential itself.
    key = (
        f"buyers:showcase-rate:{hashlib.sha256(token.encode('utf-8', 'replace')).hexdigest()[:32]}"
    )
    if cache.add(key, 1, timeout=WINDOW_SECONDS):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS)
        return True
    return count <= limit()
