"""A fake Microsoft Entra ID token endpoint and Microsoft Graph calendar API over real HTTPS.

The `fake_graph` fixture (registered for the whole suite in tests/conftest.py) starts, once
per test session, a threaded HTTPS server on 127.0.0.1 with a certificate from a trustme test
CA, and gives each test a fresh `FakeGraph`: empty state, empty request log, no scripted
faults. For the duration of the test it also

- points Django's settings at it: TEAMS_BACKEND="graph", GRAPH_TENANT_ID, GRAPH_CLIENT_ID,
  GRAPH_CLIENT_SECRET, GRAPH_ORGANIZER, GRAPH_AUTHORITY_HOST, GRAPH_API_BASE,
  GRAPH_TIMEOUT_SECONDS (5 s), GRAPH_BACKOFF_SECONDS (0.05 s); override any of them with
  pytest-django's `settings` fixture after requesting `fake_graph`;
- exports the same values and REQUESTS_CA_BUNDLE (the test CA) as environment variables, so
  msal and requests verify the fake's certificate, and a Celery worker process started
  afterwards (request `fake_graph` before `celery_worker_process`) talks to it too;
- forgets the per-process msal apps (microsoft.graph_auth.reset_msal_apps) before and after,
  so no token or msal throttling state leaks between tests.

The real msal and requests code paths run: OpenID discovery, the client-credentials token
request, then the Graph calls.

What the fake implements, like the real services:
- GET  /{tenant}/v2.0/.well-known/openid-configuration
- POST /{tenant}/oauth2/v2.0/token: client credentials; a wrong client id gets 400
  `unauthorized_client` (AADSTS700016), a wrong secret 401 `invalid_client` (AADSTS7000215),
  a scope other than `<api origin>/.default` 400 `invalid_resource`; tokens last an hour.
- /v1.0/users/{mailbox}/events: POST creates (with `onlineMeeting.joinUrl` when
  `isOnlineMeeting` and `onlineMeetingProvider: "teamsForBusiness"`), and a POST repeating
  the `transactionId` of an event returns that event instead of a second one (even a
  cancelled one, with `isCancelled: true`: a re-create needs a new transaction id);
  GET/PATCH /events/{id} (a PATCH carrying `body` replaces the join link, as Graph is known
  to do); POST /events/{id}/cancel answers 202 and removes the event (later calls: 404
  ErrorItemNotFound). A bearer token the fake did not issue (or revoked: `revoke_tokens()`)
  gets 401; a token issued while Calendars.ReadWrite was not granted (`revoke_consent()`,
  then `grant_consent()`) gets 403 ErrorAccessDenied, as does a mailbox outside
  `access_policy_mailboxes`; a mailbox in `missing_mailboxes` gets 404 ErrorInvalidUser and
  one in `unlicensed_mailboxes` 404 MailboxNotEnabledForRESTAPI; an unknown time zone 400.
  Times are stored and answered in UTC, as Graph does without a `Prefer` header.

Usage::

    def test_create(fake_graph):
        ref = get_backend().create_meeting(spec)
        (call,) = fake_graph.graph_calls("POST")
        assert call.json["transactionId"] == spec.transaction_id
        assert fake_graph.events[ref.event_id]["subject"] == spec.subject
        assert len(fake_graph.token_requests) == 1

Scripting failures (each applies to the next `times` matching requests, in order; `target` is
"graph" (default) or "token"; `method` and `path` (a substring) narrow the match):

    fake_graph.fail_next(429, retry_after=1)             # throttled, then normal service
    fake_graph.fail_next(503, times=5)                   # failing for a while
    fake_graph.fail_next(401, code="InvalidAuthenticationToken")
    fake_graph.fail_next(500, target="token")            # token endpoint 5xx
    fake_graph.fail_next(502, raw_body="<html>Bad gateway</html>")  # a proxy's page, any status
    fake_graph.delay_next(1.5)                           # processed, answered too late
    fake_graph.drop_next(method="POST")                  # processed, connection dropped
                                                         # without an answer (lost response)

A failed (`fail_next`) request changes nothing; a delayed or dropped one has taken effect,
as when Graph created the event but the answer never arrived.

Inspecting: `fake_graph.requests` (every request, in order, as `RecordedRequest`: method, path,
query, headers, body, json, form, at (time.monotonic()), kind "discovery" | "token" |
"graph"), `graph_calls(method=None, path=None)`, `token_requests`, `events` (live events by
id), `cancelled` (cancelled events by id, with their "cancelComment"), and the
configuration: `tenant_id`, `client_id`, `client_secret`, `organizer`, `authority_host`,
`api_base`, `scope`, `ca_path`.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import socket
import ssl
import threading
import time
import uuid
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from pytest_httpserver.httpserver import HTTPServerBase
from werkzeug import Request, Response

from .tls import point_at_fake, server_tls

TOKEN_LIFETIME_SECONDS = 3600
ATTENDANCE_PAGE = 2
UPDATABLE_FIELDS = ("subject", "start", "end", "attendees", "body", "location")


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    json: Any
    form: dict[str, str]
    kind: str
    at: float

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)


@dataclass
class Fault:
    action: str  # "respond", "delay" or "drop"
    target: str
    times: int
    method: str | None = None
    path: str | None = None
    status: int = 500
    code: str | None = None
    message: str | None = None
    retry_after: float | None = None
    raw_body: str | None = None
    seconds: float = 0.0

    def matches(self, rec: RecordedRequest) -> bool:
        kind = "token" if rec.kind in ("token", "discovery") else "graph"
        if self.target == "token" and rec.kind != "token":
            # Discovery is part of building the app, not a token request: never fail it.
            return False
        return (
            kind == self.target
            and (self.method is None or self.method == rec.method)
            and (self.path is None or self.path in rec.path)
        )


@dataclass
class FakeGraph:
    base_url: str
    ca_path: Path
    tenant_id: str = "11111111-2222-3333-4444-555555555555"
    client_id: str = "66666666-7777-8888-9999-000000000000"
    client_secret: str = field(default="fake-secret-value", repr=False)
    organizer: str = "bb.sessions@bangkok.example.org"
    teams_licensed: bool = True
    requests: list[RecordedRequest] = field(default_factory=list)
    events: dict[str, dict] = field(default_factory=dict)
    cancelled: dict[str, dict] = field(default_factory=dict)
    # Each token carries the application permissions granted when it was issued, as Entra's
    # `roles` claim does: a consent granted later reaches only tokens issued after it.
    issued_tokens: dict[str, frozenset[str]] = field(default_factory=dict)
    granted_roles: set[str] = field(
        default_factory=lambda: {"Calendars.ReadWrite", "OnlineMeetingArtifact.Read.All"}
    )
    access_policy_mailboxes: set[str] = field(default_factory=set)
    # Graph's two 404s for a mailbox, which are not an event's ErrorItemNotFound.
    missing_mailboxes: set[str] = field(default_factory=set)  # ErrorInvalidUser
    unlicensed_mailboxes: set[str] = field(default_factory=set)  # MailboxNotEnabledForRESTAPI
    faults: list[Fault] = field(default_factory=list)
    # Attendance: the organiser's object id (the onlineMeetings endpoints refuse a UPN), the
    # Teams application access policy, and per join URL the reports (each a list of
    # attendanceRecords), served ATTENDANCE_PAGE records per page.
    organizer_id: str = "0b9a3c2e-1111-4d2b-9f3e-7a1c2b3d4e5f"
    teams_access_policy: bool = True
    attendance: dict[str, list[list[dict]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        if not self.access_policy_mailboxes:
            self.access_policy_mailboxes = {self.organizer.lower()}

    # --- configuration ---

    @property
    def authority_host(self) -> str:
        return self.base_url

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/v1.0"

    @property
    def scope(self) -> str:
        return f"{self.base_url}/.default"

    def settings_overrides(self) -> dict[str, Any]:
        return {
            "TEAMS_BACKEND": "graph",
            "GRAPH_TENANT_ID": self.tenant_id,
            "GRAPH_CLIENT_ID": self.client_id,
            "GRAPH_CLIENT_SECRET": self.client_secret,
            "GRAPH_ORGANIZER": self.organizer,
            "GRAPH_AUTHORITY_HOST": self.authority_host,
            "GRAPH_API_BASE": self.api_base,
            "GRAPH_TIMEOUT_SECONDS": 5.0,
            "GRAPH_BACKOFF_SECONDS": 0.05,
        }

    # --- scripting ---

    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: float | None = None,
        code: str | None = None,
        message: str | None = None,
        raw_body: str | None = None,
        method: str | None = None,
        path: str | None = None,
        target: str = "graph",
    ) -> None:
        self._add(
            Fault(
                "respond",
                target,
                times,
                method,
                path,
                status=status,
                code=code,
                message=message,
                retry_after=retry_after,
                raw_body=raw_body,
            )
        )

    def delay_next(
        self,
        seconds: float,
        *,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
        target: str = "graph",
    ) -> None:
        self._add(Fault("delay", target, times, method, path, seconds=seconds))

    def drop_next(
        self,
        *,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
        target: str = "graph",
    ) -> None:
        self._add(Fault("drop", target, times, method, path))

    def revoke_tokens(self) -> None:
        """Every token issued so far is refused with 401 from now on (revoked, or the
        tenant's signing keys rolled), although the client's cache still holds it."""
        with self._lock:
            self.issued_tokens.clear()

    def revoke_consent(self, role: str = "Calendars.ReadWrite") -> None:
        with self._lock:
            self.granted_roles.discard(role)

    def grant_consent(self, role: str = "Calendars.ReadWrite") -> None:
        """An administrator grants the permission: only tokens issued afterwards carry it."""
        with self._lock:
            self.granted_roles.add(role)

    def _add(self, fault: Fault) -> None:
        if fault.target not in ("graph", "token"):
            raise ValueError("target is 'graph' or 'token'")
        with self._lock:
            self.faults.append(fault)

    # --- inspecting ---

    def graph_calls(self, method: str | None = None, path: str | None = None):
        return [
            r
            for r in list(self.requests)
            if r.kind == "graph"
            and (method is None or r.method == method)
            and (path is None or path in r.path)
        ]

    @property
    def token_requests(self) -> list[RecordedRequest]:
        return [r for r in list(self.requests) if r.kind == "token"]

    # --- serving ---

    def handle(self, request: Request) -> Response:
        rec = _record(request)
        with self._lock:
            self.requests.append(rec)
            fault = next((f for f in self.faults if f.matches(rec)), None)
            if fault is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
        if fault is not None and fault.action == "respond":
            return self._scripted_failure(fault, rec)
        # Delayed and dropped requests take effect first, like a server that did the work
        # but whose answer never reached the client.
        response = self._route(rec)
        if fault is not None and fault.action == "delay":
            time.sleep(fault.seconds)
        if fault is not None and fault.action == "drop":
            connection = request.environ.get("werkzeug.socket")
            if connection is not None:
                connection.shutdown(socket.SHUT_RDWR)
        return response

    def _scripted_failure(self, fault: Fault, rec: RecordedRequest) -> Response:
        headers = {}
        if fault.retry_after is not None:
            headers["Retry-After"] = f"{fault.retry_after:g}"
        if fault.raw_body is not None:
            # What a proxy or gateway in between answers: not Graph's JSON.
            return Response(
                fault.raw_body, status=fault.status, headers=headers, mimetype="text/html"
            )
        if fault.target == "token":
            body = {
                "error": fault.code or "server_error",
                "error_description": fault.message or f"AADSTS90000: scripted {fault.status}.",
            }
            return _json(fault.status, body, headers)
        default_codes = {
            401: "InvalidAuthenticationToken",
            403: "ErrorAccessDenied",
            404: "ErrorItemNotFound",
            429: "ApplicationThrottled",
            500: "UnknownError",
            503: "ServiceNotAvailable",
        }
        code = fault.code or default_codes.get(fault.status, "ErrorInvalidRequest")
        message = fault.message or f"Scripted {fault.status}."
        return _graph_error(fault.status, code, message, rec, headers)

    def _route(self, rec: RecordedRequest) -> Response:
        parts = [unquote(p) for p in rec.path.strip("/").split("/")]
        if rec.kind == "discovery":
            return self._discovery(parts[0])
        if rec.kind == "token":
            return self._token(parts[0], rec)
        if parts[:2] == ["v1.0", "users"] and len(parts) == 3 and rec.method == "GET":
            return self._user(rec, parts[2])
        if parts[:2] == ["v1.0", "users"] and len(parts) >= 4 and parts[3] == "onlineMeetings":
            return self._online_meetings(rec, parts[2], parts[4:])
        if parts[:2] == ["v1.0", "users"] and len(parts) >= 4 and parts[3] == "events":
            auth = self._check_auth(rec, parts[2])
            if auth is not None:
                return auth
            rest = parts[4:]
            if not rest and rec.method == "POST":
                return self._create(rec)
            if len(rest) == 1 and rec.method in ("GET", "PATCH"):
                return self._get_or_update(rec, rest[0])
            if len(rest) == 2 and rest[1] == "cancel" and rec.method == "POST":
                return self._cancel(rec, rest[0])
        return _graph_error(404, "UnknownResource", f"No fake route for {rec.path}.", rec)

    def _user(self, rec: RecordedRequest, user: str) -> Response:
        header = (rec.header("Authorization") or "").removeprefix("Bearer ")
        if header not in self.issued_tokens:
            return _graph_error(401, "InvalidAuthenticationToken", "Access token invalid.", rec)
        if user.lower() not in (self.organizer.lower(), self.organizer_id):
            return _graph_error(404, "Request_ResourceNotFound", f"'{user}' not found.", rec)
        return _json(200, {"id": self.organizer_id}, _graph_headers(rec))

    def _online_meetings(self, rec: RecordedRequest, user: str, rest: list[str]) -> Response:
        token = (rec.header("Authorization") or "").removeprefix("Bearer ")
        if token not in self.issued_tokens:
            return _graph_error(401, "InvalidAuthenticationToken", "Access token invalid.", rec)
        if "OnlineMeetingArtifact.Read.All" not in self.issued_tokens[token]:
            return _graph_error(403, "Forbidden", "Forbidden", rec)
        if user != self.organizer_id:
            return _graph_error(
                400, "BadRequest", "The onlineMeetings API wants the user's object id.", rec
            )
        if not self.teams_access_policy:
            return _graph_error(
                403, "General", "No application access policy found for this app.", rec
            )
        meetings = {_meeting_id(url): url for url in self._join_urls()}
        if not rest:
            wanted = rec.query.get("$filter", "")
            found = [
                {"id": mid, "joinWebUrl": url}
                for mid, url in meetings.items()
                if wanted == f"JoinWebUrl eq '{url}'"
            ]
            return _json(200, {"value": found}, _graph_headers(rec))
        url = meetings.get(rest[0])
        if url is None:
            return _not_found(rec)
        reports = self.attendance.get(url, [])
        if rest[1:] == ["attendanceReports"]:
            value = [
                {"id": f"report-{n}", "totalParticipantCount": len(records)}
                for n, records in enumerate(reports)
            ]
            return _json(200, {"value": value}, _graph_headers(rec))
        if len(rest) == 4 and rest[1] == "attendanceReports" and rest[3] == "attendanceRecords":
            records = reports[int(rest[2].removeprefix("report-"))]
            skip = int(rec.query.get("$skiptoken", "0"))
            body: dict = {"value": records[skip : skip + ATTENDANCE_PAGE]}
            if skip + ATTENDANCE_PAGE < len(records):
                body["@odata.nextLink"] = (
                    f"{self.api_base}{rec.path.removeprefix('/v1.0')}"
                    f"?$skiptoken={skip + ATTENDANCE_PAGE}"
                )
            return _json(200, body, _graph_headers(rec))
        return _graph_error(404, "UnknownResource", f"No fake route for {rec.path}.", rec)

    def _join_urls(self) -> list[str]:
        events = [*self.events.values(), *self.cancelled.values()]
        urls = [(e.get("onlineMeeting") or {}).get("joinUrl") for e in events]
        return [u for u in urls if u] + [u for u in self.attendance if u not in urls]

    def _discovery(self, tenant: str) -> Response:
        if tenant != self.tenant_id:
            return _json(
                400,
                {
                    "error": "invalid_tenant",
                    "error_description": f"AADSTS90002: Tenant '{tenant}' not found.",
                },
            )
        base = f"{self.base_url}/{tenant}"
        return _json(
            200,
            {
                "issuer": f"{base}/v2.0",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
                "response_types_supported": ["code", "token"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
            },
        )

    def _token(self, tenant: str, rec: RecordedRequest) -> Response:
        form = rec.form
        if rec.method != "POST" or form.get("grant_type") != "client_credentials":
            return _token_error(400, "unsupported_grant_type", "AADSTS70003: unsupported.")
        if tenant != self.tenant_id:
            return _token_error(400, "invalid_tenant", f"AADSTS90002: Tenant '{tenant}'.")
        if form.get("client_id") != self.client_id:
            return _token_error(
                400,
                "unauthorized_client",
                f"AADSTS700016: Application with identifier '{form.get('client_id')}' was not "
                f"found in the directory '{tenant}'.\r\nTrace ID: {uuid.uuid4()}",
            )
        if form.get("client_secret") != self.client_secret:
            return _token_error(
                401,
                "invalid_client",
                "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent "
                f"in the request is the client secret value.\r\nTrace ID: {uuid.uuid4()}",
            )
        if form.get("scope") != self.scope:
            return _token_error(
                400,
                "invalid_resource",
                f"AADSTS500011: The resource principal named {form.get('scope')} was not found.",
            )
        token = "fake-token-" + secrets.token_urlsafe(16)
        with self._lock:
            self.issued_tokens[token] = frozenset(self.granted_roles)
        return _json(
            200,
            {
                "token_type": "Bearer",
                "expires_in": TOKEN_LIFETIME_SECONDS,
                "ext_expires_in": TOKEN_LIFETIME_SECONDS,
                "access_token": token,
            },
        )

    def _check_auth(self, rec: RecordedRequest, mailbox: str) -> Response | None:
        header = rec.header("Authorization") or ""
        token = header.removeprefix("Bearer ")
        if not header.startswith("Bearer ") or token not in self.issued_tokens:
            return _graph_error(
                401, "InvalidAuthenticationToken", "Access token validation failure.", rec
            )
        if mailbox.lower() in self.missing_mailboxes:
            return _graph_error(
                404, "ErrorInvalidUser", f"The requested user '{mailbox}' is invalid.", rec
            )
        if mailbox.lower() in self.unlicensed_mailboxes:
            return _graph_error(
                404,
                "MailboxNotEnabledForRESTAPI",
                "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
                rec,
            )
        if "Calendars.ReadWrite" not in self.issued_tokens[token]:
            return _graph_error(
                403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.", rec
            )
        if mailbox.lower() not in self.access_policy_mailboxes:
            return _graph_error(
                403,
                "ErrorAccessDenied",
                "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly "
                "AccessPolicy settings.",
                rec,
            )
        return None

    def _create(self, rec: RecordedRequest) -> Response:
        payload = rec.json
        if not isinstance(payload, dict):
            return _graph_error(400, "UnableToDeserializePostBody", "Invalid JSON.", rec)
        with self._lock:
            transaction_id = payload.get("transactionId")
            if transaction_id:
                # Cancelled events count too: a deliberate re-create needs a new id.
                for event in [*self.events.values(), *self.cancelled.values()]:
                    if event.get("transactionId") == transaction_id:
                        return _json(201, event, _graph_headers(rec))
            problem = _schedule_problem(payload)
            if problem:
                return _graph_error(400, *problem, rec)
            event_id = "AAMkAD" + base64.urlsafe_b64encode(secrets.token_bytes(33)).decode()
            event = {
                "id": event_id,
                "createdDateTime": _now(),
                "lastModifiedDateTime": _now(),
                "changeKey": _change_key(),
                "iCalUId": "040000008200E00074C5B7101A82E008" + secrets.token_hex(24).upper(),
                "subject": payload.get("subject", ""),
                "body": payload.get("body") or {"contentType": "text", "content": ""},
                "isCancelled": False,
                "isOnlineMeeting": bool(payload.get("isOnlineMeeting")),
                "onlineMeetingProvider": payload.get("onlineMeetingProvider", "unknown"),
                "onlineMeeting": None,
                "organizer": {"emailAddress": {"name": "BB Sessions", "address": self.organizer}},
                "transactionId": transaction_id,
            }
            event.update(_stored_schedule(payload))
            if self._wants_teams(event):
                event["onlineMeeting"] = {"joinUrl": _join_url()}
            self.events[event_id] = event
            return _json(201, event, _graph_headers(rec))

    def _wants_teams(self, event: dict) -> bool:
        return (
            self.teams_licensed
            and event["isOnlineMeeting"]
            and event["onlineMeetingProvider"] == "teamsForBusiness"
        )

    def _get_or_update(self, rec: RecordedRequest, event_id: str) -> Response:
        with self._lock:
            event = self.events.get(event_id)
            if event is None:
                return _not_found(rec)
            if rec.method == "GET":
                return _json(200, event, _graph_headers(rec))
            payload = rec.json
            if not isinstance(payload, dict):
                return _graph_error(400, "UnableToDeserializePostBody", "Invalid JSON.", rec)
            problem = _schedule_problem({**event, **payload}, stored=event)
            if problem:
                return _graph_error(400, *problem, rec)
            event.update({k: payload[k] for k in UPDATABLE_FIELDS if k in payload})
            event.update(_stored_schedule(payload))
            if "body" in payload and self._wants_teams(event):
                # graph-docs #16336: an update carrying `body` loses or replaces the link.
                event["onlineMeeting"] = {"joinUrl": _join_url()}
            event["changeKey"] = _change_key()
            event["lastModifiedDateTime"] = _now()
            return _json(200, event, _graph_headers(rec))

    def _cancel(self, rec: RecordedRequest, event_id: str) -> Response:
        with self._lock:
            event = self.events.pop(event_id, None)
            if event is None:
                return _not_found(rec)
            # Graph's reference names the parameter `Comment`.
            comment = (rec.json or {}).get("Comment", "") if isinstance(rec.json, dict) else ""
            self.cancelled[event_id] = {**event, "isCancelled": True, "cancelComment": comment}
            return Response(status=202, headers=_graph_headers(rec))


class FakeGraphServer(HTTPServerBase):
    """Threaded, so a deliberately slow answer does not hold up the client's next call."""

    def __init__(self, ssl_context: ssl.SSLContext):
        super().__init__("127.0.0.1", 0, ssl_context, threaded=True)
        self.fake: FakeGraph | None = None

    def dispatch(self, request: Request) -> Response:
        fake = self.fake
        if fake is None:
            return _json(503, {"error": {"code": "NoTest", "message": "No test is running."}})
        return fake.handle(request)


@pytest.fixture(scope="session")
def _fake_graph_server(tmp_path_factory) -> Iterator[tuple[FakeGraphServer, Path]]:
    context, ca_path = server_tls(tmp_path_factory.mktemp("fake-graph"), "fake-graph")
    server = FakeGraphServer(context)
    server.start()
    try:
        yield server, ca_path
    finally:
        server.stop()


@pytest.fixture
def fake_graph(_fake_graph_server, settings, monkeypatch) -> Iterator[FakeGraph]:
    """A fresh fake Entra ID + Graph, with the `graph` Teams backend pointed at it."""
    from microsoft.teams.graph import reset_msal_apps

    server, ca_path = _fake_graph_server
    fake = FakeGraph(base_url=server.url_for("").rstrip("/"), ca_path=ca_path)
    point_at_fake(fake.settings_overrides(), ca_path, settings, monkeypatch)
    reset_msal_apps()
    server.fake = fake
    try:
        yield fake
    finally:
        server.fake = None
        reset_msal_apps()


# --- helpers ----------------------------------------------------------------------------------


def _record(request: Request) -> RecordedRequest:
    body = request.get_data()
    parsed: Any = None
    if request.mimetype == "application/json" and body:
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
    path = request.path
    if path.endswith("/.well-known/openid-configuration"):
        kind = "discovery"
    elif path.endswith("/oauth2/v2.0/token"):
        kind = "token"
    else:
        kind = "graph"
    return RecordedRequest(
        method=request.method,
        path=path,
        query=dict(request.args),
        headers=dict(request.headers),
        body=body,
        json=parsed,
        form=dict(request.form) if kind == "token" else {},
        kind=kind,
        at=time.monotonic(),
    )


def _json(status: int, body: Any, headers: dict | None = None) -> Response:
    return Response(
        json.dumps(body), status=status, headers=headers or {}, mimetype="application/json"
    )


def _token_error(status: int, code: str, description: str) -> Response:
    return _json(
        status,
        {
            "error": code,
            "error_description": description,
            "error_codes": [int(description.split(":")[0].removeprefix("AADSTS") or 0)],
        },
    )


def _graph_headers(rec: RecordedRequest) -> dict[str, str]:
    return {
        "request-id": str(uuid.uuid4()),
        "client-request-id": rec.header("client-request-id") or str(uuid.uuid4()),
    }


def _graph_error(
    status: int, code: str, message: str, rec: RecordedRequest, extra: dict | None = None
) -> Response:
    headers = {**_graph_headers(rec), **(extra or {})}
    body = {
        "error": {
            "code": code,
            "message": message,
            "innerError": {"request-id": headers["request-id"], "date": _now()},
        }
    }
    return _json(status, body, headers)


def _not_found(rec: RecordedRequest) -> Response:
    return _graph_error(
        404, "ErrorItemNotFound", "The specified object was not found in the store.", rec
    )


def _schedule_problem(payload: dict, stored: dict | None = None) -> tuple[str, str] | None:
    for key in ("start", "end"):
        value = payload.get(key)
        if value is None or (stored is not None and value is stored.get(key)):
            continue
        if not isinstance(value, dict) or "dateTime" not in value or "timeZone" not in value:
            return "ErrorInvalidRequest", f"'{key}' needs dateTime and timeZone."
        try:
            zoneinfo.ZoneInfo(value["timeZone"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return (
                "TimeZoneNotSupportedException",
                "A valid TimeZone value must be specified. The following TimeZone value is "
                f"not supported: '{value['timeZone']}'.",
            )
        try:
            dt.datetime.fromisoformat(value["dateTime"])
        except (TypeError, ValueError):
            return "UnableToDeserializePostBody", f"Cannot read {key}.dateTime."
    for attendee in payload.get("attendees") or []:
        if attendee.get("type") not in ("required", "optional", "resource"):
            return "ErrorInvalidRequest", "Attendee type must be required, optional or resource."
        if not (attendee.get("emailAddress") or {}).get("address"):
            return "ErrorInvalidRequest", "Attendee needs emailAddress.address."
    return None


def _stored_schedule(payload: dict) -> dict:
    stored = {}
    for key in ("start", "end"):
        if key in payload:
            stored[key] = _to_utc(payload[key])
    if "attendees" in payload:
        stored["attendees"] = [
            {**a, "status": {"response": "none", "time": "0001-01-01T00:00:00Z"}}
            for a in payload["attendees"]
        ]
    return stored


def _to_utc(value: dict) -> dict:
    moment = dt.datetime.fromisoformat(value["dateTime"])
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(value["timeZone"]))
    utc = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return {"dateTime": utc.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": "UTC"}


def _meeting_id(join_url: str) -> str:
    return "MSo" + base64.urlsafe_b64encode(join_url.encode()[-24:]).decode().rstrip("=")


def attendance_record(
    name: str, email: str, joined: str, left: str, role: str = "Attendee"
) -> dict:
    """One attendanceRecord as Graph gives it (times ISO 8601 in UTC, "...Z")."""
    start = dt.datetime.fromisoformat(joined.replace("Z", "+00:00"))
    end = dt.datetime.fromisoformat(left.replace("Z", "+00:00"))
    seconds = int((end - start).total_seconds())
    return {
        "emailAddress": email,
        "role": role,
        "identity": {"id": secrets.token_hex(8), "displayName": name},
        "totalAttendanceInSeconds": seconds,
        "attendanceIntervals": [
            {"joinDateTime": joined, "leaveDateTime": left, "durationInSeconds": seconds}
        ],
    }


def _change_key() -> str:
    return base64.b64encode(secrets.token_bytes(24)).decode()


def _join_url() -> str:
    return (
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_"
        f"{secrets.token_urlsafe(24)}%40thread.v2/0"
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f0Z")
