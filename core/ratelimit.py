"""A fixed-window count in the cache, for public pages that take input without an account
(the same rule as the LINE webhook's and the LINE codes')."""

from __future__ import annotations

from django.core.cache import cache


def over_rate(key: str, limit: int, seconds: int = 60) -> bool:
    """Counts one more request under `key`; true once more than `limit` came in the window."""
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        return False
