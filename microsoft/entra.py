"""Sign in with Microsoft: the OpenID Connect authorization-code flow with PKCE (msal).

msal builds the authorization request (state, nonce, PKCE code verifier) and redeems the
code. Since msal 1.38 no longer validates the ID token, this module does: signature
against the tenant's published keys, issuer, audience, expiry, tenant and nonce.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import ssl
import warnings
from dataclasses import dataclass
from typing import Any

import jwt
import msal
import requests
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.roles import Role

from . import http, identity

logger = logging.getLogger(__name__)
FLOW_SESSION_KEY = "entra_auth_flow"


class EntraSignInError(Exception):
    """Sign-in failed; the message is safe to show the user."""


class NoPortalRole(EntraSignInError):
    pass


@dataclass(frozen=True)
class EntraIdentity:
    object_id: str
    tenant_id: str
    username: str
    name: str
    email: str
    group_ids: tuple[str, ...]


def is_enabled() -> bool:
    return bool(
        settings.ENTRA_TENANT_ID and settings.ENTRA_CLIENT_ID and settings.ENTRA_CLIENT_SECRET
    )


def group_roles() -> dict[str, Role]:
    """Parse ENTRA_GROUP_ROLES ("<group-id>:<role>,...")."""
    mapping: dict[str, Role] = {}
    for item in filter(None, (part.strip() for part in settings.ENTRA_GROUP_ROLES.split(","))):
        group_id, _, role = item.partition(":")
        mapping[group_id.strip().lower()] = Role(role.strip())
    return mapping


def roles_for_groups(group_ids: tuple[str, ...]) -> frozenset[Role]:
    mapping = group_roles()
    return frozenset(mapping[g.lower()] for g in group_ids if g.lower() in mapping)


def _authority() -> str:
    return f"{settings.ENTRA_AUTHORITY_HOST.rstrip('/')}/{settings.ENTRA_TENANT_ID}"


def application() -> msal.ConfidentialClientApplication:
    # The process's one application for this authority and client (identity.py):
    # a timeout on every call keeps a slow identity provider from holding a web worker.
    return identity.confidential_client(
        authority=_authority(),
        client_id=settings.ENTRA_CLIENT_ID,
        secret=settings.ENTRA_CLIENT_SECRET,
        timeout=float(settings.ENTRA_TIMEOUT_SECONDS),
    )


def begin(session: dict[str, Any], redirect_uri: str) -> str:
    """Start a sign-in: keep the flow (state, nonce, PKCE verifier) in the user's session
    and return the Microsoft sign-in URL."""
    try:
        with warnings.catch_warnings():
            # msal recommends form_post, but a cross-site POST back would arrive without
            # the SameSite=Lax session cookie that holds this flow: query mode it is.
            warnings.filterwarnings("ignore", message="response_mode='form_post'")
            flow = application().initiate_auth_code_flow(
                scopes=[], redirect_uri=redirect_uri, response_mode="query"
            )
    except (requests.RequestException, ValueError) as exc:
        logger.warning("Entra ID discovery failed: %s", exc)
        raise EntraSignInError(_("Microsoft sign-in is not reachable. Try again later.")) from exc
    session[FLOW_SESSION_KEY] = flow
    uri: str = flow["auth_uri"]
    return uri


def complete(session: dict[str, Any], query: dict[str, str]) -> EntraIdentity:
    """Finish a sign-in from the redirect's query string, validating everything."""
    flow = session.pop(FLOW_SESSION_KEY, None)
    if not flow:
        raise EntraSignInError(_("This sign-in link has expired. Start again."))
    if query.get("error"):
        logger.info("Entra ID refused the sign-in: %s", query.get("error_description", ""))
        raise EntraSignInError(
            _("Microsoft refused the sign-in. Try again or use a portal account.")
        )
    if query.get("state") != flow.get("state"):
        raise EntraSignInError(_("This sign-in link has expired. Start again."))
    try:
        result = application().acquire_token_by_auth_code_flow(flow, dict(query))
    except (ValueError, RuntimeError) as exc:  # msal's state (ValueError) or nonce check
        logger.warning("Entra ID flow rejected: %s", exc)
        raise EntraSignInError(_("This sign-in link has expired. Start again.")) from exc
    except requests.RequestException as exc:
        raise EntraSignInError(_("Microsoft sign-in is not reachable. Try again later.")) from exc
    if "error" in result or "id_token" not in result:
        logger.warning(
            "Entra ID token error: %s %s", result.get("error"), result.get("error_description")
        )
        raise EntraSignInError(
            _("Microsoft refused the sign-in. Try again or use a portal account.")
        )
    claims = validate_id_token(result["id_token"], expected_nonce_hash=_nonce_hash(flow["nonce"]))
    return EntraIdentity(
        object_id=claims["oid"],
        tenant_id=claims["tid"],
        username=(claims.get("preferred_username") or claims["oid"]).lower(),
        name=claims.get("name", ""),
        email=claims.get("email") or claims.get("preferred_username", ""),
        group_ids=tuple(claims.get("groups", ())),
    )


def _nonce_hash(nonce: str) -> str:
    # msal sends the SHA-256 of its nonce in the request; the token carries that value.
    return hashlib.sha256(nonce.encode("ascii")).hexdigest()


@functools.cache
def _jwks_client(jwks_uri: str) -> jwt.PyJWKClient:
    context = ssl.create_default_context()
    import os

    bundle = os.environ.get("REQUESTS_CA_BUNDLE")
    if bundle:
        context.load_verify_locations(bundle)
    return jwt.PyJWKClient(jwks_uri, cache_keys=True, ssl_context=context, timeout=10)


def _openid_configuration() -> dict[str, Any]:
    url = f"{_authority()}/v2.0/.well-known/openid-configuration"
    response = http.session(float(settings.ENTRA_TIMEOUT_SECONDS)).get(url)
    response.raise_for_status()
    config: dict[str, Any] = response.json()
    return config


def validate_id_token(id_token: str, *, expected_nonce_hash: str) -> dict[str, Any]:
    try:
        config = _openid_configuration()
        signing_key = _jwks_client(config["jwks_uri"]).get_signing_key_from_jwt(id_token)
        claims = jwt.decode(
            id_token,
            signing_key.key,
            algorithms=["RS256"],
            audience=settings.ENTRA_CLIENT_ID,
            issuer=config["issuer"].replace("{tenantid}", settings.ENTRA_TENANT_ID),
            options={"require": ["exp", "iat", "aud", "iss", "oid", "tid"]},
            leeway=120,
        )
    except (jwt.PyJWTError, requests.RequestException, KeyError) as exc:
        logger.warning("Entra ID token rejected: %s", exc)
        raise EntraSignInError(_("Microsoft's answer could not be verified. Start again.")) from exc
    if claims.get("nonce") != expected_nonce_hash:
        raise EntraSignInError(_("This sign-in link has expired. Start again."))
    if claims["tid"] != settings.ENTRA_TENANT_ID:
        raise EntraSignInError(_("This Microsoft account belongs to another organisation."))
    return claims
