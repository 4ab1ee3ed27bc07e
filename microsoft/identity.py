"""One msal confidential-client application per process and per authority and client.

Its in-memory token cache then serves every call until a token nears expiry, and msal's
throttling memory (it replays a 429/5xx for a while) stays in one place. Used by the Entra
ID sign-in (entra.py) and by Microsoft Graph (graph_auth.py).
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any
from urllib.parse import urlsplit

import msal
from msal.authority import WELL_KNOWN_AUTHORITY_HOSTS

from . import http

_clients: dict[tuple[Any, ...], msal.ConfidentialClientApplication] = {}
_lock = threading.Lock()


def client_key(authority: str, client_id: str, secret: str, timeout: float) -> tuple[Any, ...]:
    # The secret enters the key only as a digest, so the key is safe to log or repr.
    return (authority, client_id, hashlib.sha256(secret.encode()).hexdigest(), timeout)


def confidential_client(
    *, authority: str, client_id: str, secret: str, timeout: float
) -> msal.ConfidentialClientApplication:
    """The process's application for this authority and client. Building one runs OpenID
    discovery against the authority, so it can raise like a token request; a failed build
    is not kept."""
    key = client_key(authority, client_id, secret, timeout)
    with _lock:
        client = _clients.get(key)
        if client is None:
            host = urlsplit(authority).hostname or ""
            client = msal.ConfidentialClientApplication(
                client_id,
                authority=authority,
                client_credential=secret,
                # msal would ask login.microsoftonline.com to vouch for any host it does
                # not know (a test server, a cloud newer than msal), which fails offline.
                instance_discovery=host in WELL_KNOWN_AUTHORITY_HOSTS,
                http_client=http.session(timeout),
                timeout=timeout,
            )
            _clients[key] = client
        return client


def existing_client(
    *, authority: str, client_id: str, secret: str, timeout: float
) -> msal.ConfidentialClientApplication | None:
    with _lock:
        return _clients.get(client_key(authority, client_id, secret, timeout))


def reset_clients() -> None:
    """Forget every application and its token cache (tests, secret rotation)."""
    with _lock:
        _clients.clear()
