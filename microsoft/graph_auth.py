"""Microsoft Graph settings and access tokens: msal client credentials, with the process's
one application per authority and client (identity.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import msal
import requests
from django.conf import settings

from . import identity
from .errors import TeamsAuthError, TeamsPermanentError, TeamsTransientError

logger = logging.getLogger(__name__)

CREDENTIALS_HINT = "Check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET"


@dataclass(frozen=True)
class GraphConfig:
    tenant_id: str
    client_id: str
    client_secret: str = field(repr=False)
    organizer: str
    authority_host: str = "https://login.microsoftonline.com"
    api_base: str = "https://graph.microsoft.com/v1.0"
    timeout: float = 20.0
    max_attempts: int = 3
    backoff_seconds: float = 1.0
    max_wait_seconds: float = 30.0

    @classmethod
    def from_settings(cls) -> GraphConfig:
        config = cls(
            tenant_id=settings.GRAPH_TENANT_ID,
            client_id=settings.GRAPH_CLIENT_ID,
            client_secret=settings.GRAPH_CLIENT_SECRET,
            organizer=settings.GRAPH_ORGANIZER,
            authority_host=settings.GRAPH_AUTHORITY_HOST,
            api_base=settings.GRAPH_API_BASE,
            timeout=float(settings.GRAPH_TIMEOUT_SECONDS),
            max_attempts=int(settings.GRAPH_MAX_ATTEMPTS),
            backoff_seconds=float(settings.GRAPH_BACKOFF_SECONDS),
            max_wait_seconds=float(settings.GRAPH_MAX_WAIT_SECONDS),
        )
        missing = [
            name
            for name, value in (
                ("GRAPH_TENANT_ID", config.tenant_id),
                ("GRAPH_CLIENT_ID", config.client_id),
                ("GRAPH_CLIENT_SECRET", config.client_secret),
                ("GRAPH_ORGANIZER", config.organizer),
            )
            if not value
        ]
        if missing:
            raise TeamsAuthError(
                f"Microsoft Graph is not configured: set {', '.join(missing)} "
                "(or use TEAMS_BACKEND=local)."
            )
        return config

    @property
    def authority(self) -> str:
        return f"{self.authority_host.rstrip('/')}/{self.tenant_id}"

    @property
    def scope(self) -> str:
        # Client credentials ask for the resource's static permissions: "<resource>/.default",
        # where the resource is the Graph host of this cloud (graph.microsoft.us, ...).
        parts = urlsplit(self.api_base)
        return f"{parts.scheme}://{parts.netloc}/.default"

    @property
    def app_key(self) -> tuple[Any, ...]:
        """The key of the process's msal app for this configuration (no secret in it)."""
        return identity.client_key(**self.client_args())

    def client_args(self) -> dict[str, Any]:
        return {
            "authority": self.authority,
            "client_id": self.client_id,
            "secret": self.client_secret,
            "timeout": self.timeout,
        }


# --- Tokens ---------------------------------------------------------------------------------


def msal_app(config: GraphConfig) -> msal.ConfidentialClientApplication:
    return _token_call(config, lambda: identity.confidential_client(**config.client_args()))


def reset_msal_apps() -> None:
    """Forget the per-process msal apps and their token caches (tests, secret rotation)."""
    identity.reset_clients()


def acquire_token(config: GraphConfig) -> str:
    app = msal_app(config)
    result = _token_call(config, lambda: app.acquire_token_for_client(scopes=[config.scope]))
    if "access_token" in result:
        if result.get("token_source") == "identity_provider":
            logger.info("Graph: new access token from %s", config.authority_host)
        token: str = result["access_token"]
        return token
    raise _token_error(config, result)


def drop_token(config: GraphConfig) -> None:
    """Forget the cached token, so the next call asks Entra ID for a fresh one.

    msal serves a cached token until it nears expiry and has no `force_refresh` for client
    credentials (msal issue #650): a token Graph refuses (revoked, signing keys rolled) or
    one issued before an administrator granted a permission would otherwise be sent again
    until the process restarts."""
    app = identity.existing_client(**config.client_args())
    if app is not None:
        app.remove_tokens_for_client()


def _token_call(config: GraphConfig, call: Callable[[], Any]) -> Any:
    try:
        return call()
    except msal.exceptions.MsalServiceError as exc:
        # msal raises this for a 5xx from the token endpoint (and replays it for a while).
        raise TeamsTransientError(
            f"Microsoft Entra ID at {config.authority_host} failed to issue a token ({exc}).",
        ) from exc
    except requests.exceptions.SSLError as exc:
        raise TeamsPermanentError(
            f"TLS verification of {config.authority_host} failed: {exc}. Check REQUESTS_CA_BUNDLE."
        ) from exc
    except requests.RequestException as exc:
        raise TeamsTransientError(
            f"Microsoft Entra ID at {config.authority_host} could not be reached: "
            f"{type(exc).__name__}."
        ) from exc
    except ValueError as exc:
        # msal's OpenID discovery answers a 4xx (typically an unknown tenant) this way.
        raise TeamsAuthError(
            f"Microsoft Entra ID does not know the tenant {config.tenant_id!r} at "
            f"{config.authority_host}. Check GRAPH_TENANT_ID and GRAPH_AUTHORITY_HOST."
        ) from exc


def _token_error(config: GraphConfig, result: dict[str, Any]) -> Exception:
    code = result.get("error", "")
    # Entra's descriptions carry trace and correlation ids on later lines: keep the first.
    description = (result.get("error_description") or "").splitlines()[0:1]
    detail = f"{code}: {description[0]}" if description else code
    if code == "invalid_client":
        return TeamsAuthError(
            f"Microsoft Entra ID rejected the portal's client secret ({detail}). "
            f"{CREDENTIALS_HINT}: the secret may be wrong or expired.",
            code=code,
        )
    if code == "unauthorized_client":
        return TeamsAuthError(
            f"Microsoft Entra ID does not know the portal's application ({detail}). "
            f"{CREDENTIALS_HINT}: the app registration must exist in that tenant "
            "and have admin consent.",
            code=code,
        )
    if code == "temporarily_unavailable":
        return TeamsTransientError(
            f"Microsoft Entra ID is temporarily unavailable ({detail}).", code=code
        )
    return TeamsAuthError(
        f"Microsoft Entra ID refused a token ({detail}). {CREDENTIALS_HINT}, and that the "
        "application has admin consent.",
        code=code,
    )
