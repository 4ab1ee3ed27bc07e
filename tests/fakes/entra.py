"""A fake Microsoft Entra ID for the sign-in (authorization code + PKCE) flow, over HTTPS.

`fake_entra` serves, from 127.0.0.1 with a certificate of a trustme test CA:
- GET  /{tenant}/v2.0/.well-known/openid-configuration
- GET  /{tenant}/oauth2/v2.0/authorize: "signs in" the user in `fake_entra.next_user`
  and redirects to the redirect_uri with a code and the state (or with `error` when
  `fake_entra.refuse_next` is set), remembering the nonce and the PKCE challenge;
- POST /{tenant}/oauth2/v2.0/token: redeems the code once, checks the client secret
  and the PKCE verifier, and answers an RS256 ID token signed by its own key;
- GET  /{tenant}/discovery/v2.0/keys: that key as a JWKS.
It points Django's ENTRA_* settings and REQUESTS_CA_BUNDLE at itself for the test.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from .tls import server_tls

TENANT = "7f0c4a1e-2b3d-4c5e-8f90-a1b2c3d4e5f6"
CLIENT_ID = "3c9d5f6a-1111-2222-3333-444455556666"
CLIENT_SECRET = "fake-entra-secret"


@dataclass
class FakeUser:
    oid: str = field(default_factory=lambda: str(uuid.uuid4()))
    username: str = "somchai.j@bangkok.go.th"
    name: str = "Somchai Jaidee"
    groups: tuple[str, ...] = ()


@dataclass
class FakeEntra:
    base_url: str
    ca_path: str
    key: rsa.RSAPrivateKey
    next_user: FakeUser = field(default_factory=FakeUser)
    refuse_next: bool = False
    token_nonce_override: str | None = None
    token_tenant_override: str | None = None
    sign_with_other_key: bool = False
    codes: dict = field(default_factory=dict)
    token_requests: list = field(default_factory=list)

    @property
    def authority_host(self) -> str:
        return self.base_url

    def issuer(self, tenant: str = TENANT) -> str:
        return f"{self.base_url}/{tenant}/v2.0"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _install_handlers(server: HTTPServer, fake: FakeEntra) -> None:
    base = f"/{TENANT}"
    kid = "fake-key-1"

    def configuration(request: Request) -> Response:
        body = {
            "issuer": f"{fake.base_url}/{{tenantid}}/v2.0",
            "authorization_endpoint": f"{fake.base_url}{base}/oauth2/v2.0/authorize",
            "token_endpoint": f"{fake.base_url}{base}/oauth2/v2.0/token",
            "jwks_uri": f"{fake.base_url}{base}/discovery/v2.0/keys",
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }
        return Response(json.dumps(body), content_type="application/json")

    def authorize(request: Request) -> Response:
        args = request.args
        redirect_uri = args["redirect_uri"]
        if fake.refuse_next:
            fake.refuse_next = False
            query = {
                "error": "access_denied",
                "error_description": "AADSTS65004: declined",
                "state": args.get("state", ""),
            }
            return Response(status=302, headers={"Location": f"{redirect_uri}?{urlencode(query)}"})
        code = secrets.token_urlsafe(16)
        fake.codes[code] = {
            "nonce": args.get("nonce"),
            "challenge": args.get("code_challenge"),
            "method": args.get("code_challenge_method"),
            "redirect_uri": redirect_uri,
            "user": fake.next_user,
        }
        query = {"code": code, "state": args["state"], "session_state": "s"}
        return Response(status=302, headers={"Location": f"{redirect_uri}?{urlencode(query)}"})

    def token(request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs(request.get_data(as_text=True)).items()}
        fake.token_requests.append(form)

        def error(status: int, code: str, text: str) -> Response:
            return Response(
                json.dumps({"error": code, "error_description": text}),
                status=status,
                content_type="application/json",
            )

        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return error(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
        grant = fake.codes.pop(form.get("code", ""), None)
        if grant is None:
            return error(400, "invalid_grant", "AADSTS70008: The code has expired or was used.")
        verifier = form.get("code_verifier", "")
        if _b64url(hashlib.sha256(verifier.encode()).digest()) != grant["challenge"]:
            return error(400, "invalid_grant", "AADSTS501481: The code verifier does not match.")
        user: FakeUser = grant["user"]
        tenant = fake.token_tenant_override or TENANT
        now = int(time.time())
        claims = {
            "iss": fake.issuer(tenant),
            "aud": CLIENT_ID,
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "oid": user.oid,
            "sub": user.oid,
            "tid": tenant,
            "preferred_username": user.username,
            "name": user.name,
            "nonce": fake.token_nonce_override or grant["nonce"],
            "groups": list(user.groups),
        }
        key = fake.key
        if fake.sign_with_other_key:  # a forged token: right kid, wrong key
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})
        body = {
            "token_type": "Bearer",
            "scope": "openid profile",
            "expires_in": 3600,
            "access_token": "fake-access-" + secrets.token_hex(8),
            "id_token": id_token,
            "client_info": _b64url(json.dumps({"uid": user.oid, "utid": tenant}).encode()),
        }
        return Response(json.dumps(body), content_type="application/json")

    def keys(request: Request) -> Response:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(fake.key.public_key()))
        jwk.update({"kid": kid, "use": "sig", "alg": "RS256"})
        return Response(json.dumps({"keys": [jwk]}), content_type="application/json")

    server.expect_request(f"{base}/v2.0/.well-known/openid-configuration").respond_with_handler(
        configuration
    )
    server.expect_request(f"{base}/oauth2/v2.0/authorize").respond_with_handler(authorize)
    server.expect_request(f"{base}/oauth2/v2.0/token", method="POST").respond_with_handler(token)
    server.expect_request(f"{base}/discovery/v2.0/keys").respond_with_handler(keys)


@pytest.fixture
def fake_entra(settings, monkeypatch, tmp_path):
    from microsoft import entra, identity

    context, ca_path = server_tls(tmp_path, "entra")
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    base_url = f"https://127.0.0.1:{server.port}"
    fake = FakeEntra(
        base_url=base_url,
        ca_path=str(ca_path),
        key=rsa.generate_private_key(public_exponent=65537, key_size=2048),
    )
    _install_handlers(server, fake)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_path))
    settings.ENTRA_TENANT_ID = TENANT
    settings.ENTRA_CLIENT_ID = CLIENT_ID
    settings.ENTRA_CLIENT_SECRET = CLIENT_SECRET
    settings.ENTRA_AUTHORITY_HOST = base_url
    identity.reset_clients()
    entra._jwks_client.cache_clear()
    try:
        yield fake
    finally:
        identity.reset_clients()
        entra._jwks_client.cache_clear()
        server.clear()
        if server.is_running():
            server.stop()
