"""How often a showcase link and a client address may send a contact request. Counted in
the cache (no personal data is stored: the address is hashed into the key)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600
PER_TOKEN = 30  # per link and hour: a whole city's buyers, not one robot
PER_ADDRESS = 5  # per client address and hour


def _limits() -> tuple[int, int]:
    return (
        getattr(settings, "LEADS_PER_TOKEN_PER_HOUR", PER_TOKEN),
        getattr(settings, "LEADS_PER_ADDRESS_PER_HOUR", PER_ADDRESS),
    )


def _key(kind: str, value: str) -> str:
    return f"buyers-leads:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allowed(*, token: str, address: str) -> bool:
    """Whether one more request may be sent; counts it when it may."""
    per_token, per_address = _limits()
    keys = [(_key("t", token), per_token), (_key("a", address), per_address)]
    for key, limit in keys:
        cache.add(key, 0, WINDOW_SECONDS)
        current = cache.get(key, 0)
        if current >= limit:
            return False
    for key, _limit in keys:
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, WINDOW_SECONDS)
    return True
