"""A fixed-window count in the cache, for public pages that take input without an account
(the same rule as the LINE webhook's and the LINE codes')."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def over_rate(key: str, limit: int, seconds: int = 60) -> bool:
    """Counts one more request under `key`; true once more than `limit` came in the window."""
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        return False


def client_address(request: HttpRequest) -> str:
    """The client's address as django-axes reads it (django-ipware behind AXES_PROXY_COUNT
    proxies): behind nginx, REMOTE_ADDR is the proxy's, the same for every client, and a
    window keyed by it would throttle everyone together."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"
