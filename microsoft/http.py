"""The HTTP session of the Microsoft clients: a timeout on every call, bounded retries."""

from __future__ import annotations

import functools

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry


def session(timeout: float) -> requests.Session:
    """A session whose every request times out after `timeout` seconds unless told
    otherwise. A connection that could not be opened is retried twice (nothing was sent,
    so even a POST is safe); answers are retried by the callers, which know what is safe
    (Graph's transactionId, Retry-After). TLS verification follows REQUESTS_CA_BUNDLE."""
    http = requests.Session()
    retries = Retry(total=2, connect=2, read=0, status=0, other=0, backoff_factor=0.2)
    adapter = HTTPAdapter(max_retries=retries)
    http.mount("https://", adapter)
    http.mount("http://", adapter)
    # Every request of this session gets the timeout; requests has no session-wide one.
    http.request = functools.partial(http.request, timeout=timeout)  # type: ignore[method-assign]
    return http
