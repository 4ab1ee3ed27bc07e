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

from core.ratelimit import over_rate

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
    return not over_rate(key, limit(), WINDOW_SECONDS)


# --- contact requests (leads): per link and per client address, an hour at a time ---

LEAD_WINDOW_SECONDS = 3600
PER_TOKEN = 30  # per link and hour: a whole city's buyers, not one robot
PER_ADDRESS = 5  # per client address and hour


def _limits() -> tuple[int, int]:
    return (
        getattr(settings, "LEADS_PER_TOKEN_PER_HOUR", PER_TOKEN),
        getattr(settings, "LEADS_PER_ADDRESS_PER_HOUR", PER_ADDRESS),
    )


def _key(kind: str, value: str) -> str:
    return f"buyers-leads:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def allowed(*, token: str, address: str) -> bool:
    """Whether one more request may be sent; counts it when it may."""
    per_token, per_address = _limits()
    keys = [(_key("t", token), per_token), (_key("a", address), per_address)]
    for key, limit in keys:
        cache.add(key, 0, LEAD_WINDOW_SECONDS)
        current = cache.get(key, 0)
        if current >= limit:
            return False
    for key, _limit in keys:
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, LEAD_WINDOW_SECONDS)
    return True
