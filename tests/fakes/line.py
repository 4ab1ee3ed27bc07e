"""A fake LINE Messaging API over real HTTPS, and a webhook sender that signs like LINE.

The `fake_line` fixture (registered for the whole suite in tests/conftest.py) starts,
once per test session, a threaded HTTPS server on 127.0.0.1 with a certificate from a
trustme CA, and gives each test a fresh `FakeLine`. For the test it points Django's
settings at it (LINE_BACKEND="line", LINE_CHANNEL_ACCESS_TOKEN, LINE_CHANNEL_SECRET,
LINE_API_BASE, LINE_TIMEOUT_SECONDS 3 s, LINE_BACKOFF_SECONDS 0.05 s) and exports them
and REQUESTS_CA_BUNDLE to the environment, so a Celery worker started afterwards (request
`fake_line` before `celery_worker_process`) talks to it too. (It does not combine with
`fake_graph`, which sets REQUESTS_CA_BUNDLE to its own CA.)

What it implements, as LINE documents it:
- POST /v2/bot/message/push: a bearer token other than the channel's gets 401; `to` must
  be a userId that followed the account (`followers`), else 400 "Failed to send
  messages" (what a user who blocked the account gets: `block(user_id)`).
  X-Line-Retry-Key: a key LINE already accepted gets 409 with
  `x-line-accepted-request-id` and delivers nothing; a key that is not a UUID gets 400.
  Accepted: 200 {"sentMessages": [{"id", "quoteToken"}]} and `x-line-request-id`.
- GET /v2/bot/message/quota and /v2/bot/message/quota/consumption.

Scripting failures (each applies to the next `times` matching requests):

    fake_line.fail_next(429, retry_after=1)     # throttled (nothing delivered)
    fake_line.fail_next(503, times=3)
    fake_line.drop_next()                       # delivered, connection dropped unanswered
    fake_line.delay_next(20)                    # delivered at once, answered 20 s later

Inspecting: `requests` (RecordedRequest list), `pushes()` (push requests), `delivered`
(user_id -> list of texts actually delivered: what the vendor's phone shows).

The webhook sender: `fake_line.webhook(url_or_client, events, signature=None)` posts a
body signed with the channel secret (or the given, wrong, signature) to the portal;
`message_event(user_id, text)`, `unfollow_event(user_id)` build events with fresh
webhookEventIds; `redelivery(event)` is the same event as LINE sends it again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import socket
import ssl
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver.httpserver import HTTPServerBase
from werkzeug import Request, Response

from .tls import point_at_fake, server_tls


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    json: Any
    at: float

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)


@dataclass
class Fault:
    action: str  # "respond", "delay" or "drop"
    times: int
    status: int = 500
    retry_after: float | None = None
    path: str | None = None
    seconds: float = 0.0

    def matches(self, rec: RecordedRequest) -> bool:
        return self.path is None or self.path in rec.path


@dataclass
class FakeLine:
    base_url: str
    ca_path: Path
    token: str = field(default="fake-line-channel-token", repr=False)
    secret: str = field(default="fake-line-channel-secret", repr=False)
    quota_limit: int = 500
    followers: set[str] = field(default_factory=set)
    requests: list[RecordedRequest] = field(default_factory=list)
    delivered: dict[str, list[str]] = field(default_factory=dict)
    accepted_keys: dict[str, str] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def settings_overrides(self) -> dict[str, Any]:
        return {
            "LINE_BACKEND": "line",
            "LINE_CHANNEL_ACCESS_TOKEN": self.token,
            "LINE_CHANNEL_SECRET": self.secret,
            "LINE_API_BASE": self.base_url,
            "LINE_TIMEOUT_SECONDS": 3.0,
            "LINE_BACKOFF_SECONDS": 0.05,
        }

    # --- users ---

    def new_user(self) -> str:
        """A LINE user who added the account as a friend."""
        user_id = "U" + secrets.token_hex(16)
        self.followers.add(user_id)
        return user_id

    def block(self, user_id: str) -> None:
        self.followers.discard(user_id)

    # --- scripting ---

    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: float | None = None,
        path: str | None = None,
    ) -> None:
        with self._lock:
            self.faults.append(Fault("respond", times, status, retry_after, path))

    def delay_next(self, seconds: float, *, times: int = 1, path: str | None = None) -> None:
        """Processed (delivered) at once, answered `seconds` later."""
        with self._lock:
            self.faults.append(Fault("delay", times, path=path, seconds=seconds))

    def drop_next(self, *, times: int = 1, path: str | None = None) -> None:
        with self._lock:
            self.faults.append(Fault("drop", times, path=path))

    # --- inspecting ---

    def pushes(self) -> list[RecordedRequest]:
        return [r for r in list(self.requests) if r.path == "/v2/bot/message/push"]

    # --- webhook sender ---

    def sign(self, body: bytes, secret: str | None = None) -> str:
        key = (secret or self.secret).encode()
        return base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode()

    def webhook(self, target, events: list[dict], *, signature: str | None = None, path=None):
        """POST events to the portal: `target` is a Django test Client (with `path`) or
        a base URL (a live server)."""
        body = json.dumps({"destination": "U" + "0" * 32, "events": events}).encode()
        sig = self.sign(body) if signature is None else signature
        if isinstance(target, str):
            import requests

            return requests.post(
                target,
                data=body,
                headers={"Content-Type": "application/json", "X-Line-Signature": sig},
                timeout=10,
            )
        return target.post(
            path, data=body, content_type="application/json", headers={"X-Line-Signature": sig}
        )

    @staticmethod
    def _event(kind: str, user_id: str, **extra) -> dict:
        return {
            "type": kind,
            "mode": "active",
            "timestamp": int(time.time() * 1000),
            "source": {"type": "user", "userId": user_id},
            "webhookEventId": "01" + secrets.token_hex(12).upper(),
            "deliveryContext": {"isRedelivery": False},
            **extra,
        }

    def message_event(self, user_id: str, text: str) -> dict:
        return self._event(
            "message",
            user_id,
            replyToken=secrets.token_hex(16),
            message={"type": "text", "id": str(secrets.randbelow(10**15)), "text": text},
        )

    def follow_event(self, user_id: str) -> dict:
        self.followers.add(user_id)
        return self._event("follow", user_id, replyToken=secrets.token_hex(16))

    def unfollow_event(self, user_id: str) -> dict:
        self.followers.discard(user_id)
        return self._event("unfollow", user_id)

    @staticmethod
    def redelivery(event: dict) -> dict:
        return {**event, "deliveryContext": {"isRedelivery": True}}

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
            headers = {"x-line-request-id": str(uuid.uuid4())}
            if fault.retry_after is not None:
                headers["Retry-After"] = f"{fault.retry_after:g}"
            messages = {429: "The API rate limit has been exceeded.", 401: "Authentication failed."}
            return _json(
                fault.status, {"message": messages.get(fault.status, "Internal error")}, headers
            )
        response = self._route(rec)
        if fault is not None and fault.action == "delay":
            time.sleep(fault.seconds)
        if fault is not None and fault.action == "drop":
            # LINE did the work; the answer never arrives.
            connection = request.environ.get("werkzeug.socket")
            if connection is not None:
                connection.shutdown(socket.SHUT_RDWR)
        return response

    def _route(self, rec: RecordedRequest) -> Response:
        request_id = str(uuid.uuid4())
        headers = {"x-line-request-id": request_id}
        if rec.header("Authorization") != f"Bearer {self.token}":
            return _json(
                401,
                {
                    "message": "Authentication failed. Confirm that the access token in "
                    "the authorization header is valid."
                },
                headers,
            )
        if rec.method == "GET" and rec.path == "/v2/bot/message/quota":
            return _json(200, {"type": "limited", "value": self.quota_limit}, headers)
        if rec.method == "GET" and rec.path == "/v2/bot/message/quota/consumption":
            used = sum(len(v) for v in self.delivered.values())
            return _json(200, {"totalUsage": used}, headers)
        if rec.method == "POST" and rec.path == "/v2/bot/message/push":
            return self._push(rec, headers)
        return _json(404, {"message": "Not found"}, headers)

    def _push(self, rec: RecordedRequest, headers: dict) -> Response:
        key = rec.header("X-Line-Retry-Key")
        payload = rec.json if isinstance(rec.json, dict) else {}
        with self._lock:
            if key is not None:
                try:
                    uuid.UUID(key)
                except ValueError:
                    return _json(
                        400,
                        {"message": "The value of the X-Line-Retry-Key header is invalid"},
                        headers,
                    )
                if key in self.accepted_keys:
                    accepted = self.accepted_keys[key]
                    return _json(
                        409,
                        {"message": "The retry key is already accepted", "sentMessages": []},
                        {**headers, "x-line-accepted-request-id": accepted},
                    )
            to = payload.get("to", "")
            messages = payload.get("messages") or []
            if not messages or len(messages) > 5:
                return _json(400, {"message": "The request body has 1 error(s)"}, headers)
            if to not in self.followers:
                return _json(400, {"message": "Failed to send messages"}, headers)
            if key is not None:
                self.accepted_keys[key] = headers["x-line-request-id"]
            self.delivered.setdefault(to, []).extend(m.get("text", "") for m in messages)
        sent = [
            {"id": str(secrets.randbelow(10**18)), "quoteToken": secrets.token_urlsafe(16)}
            for _ in messages
        ]
        return _json(200, {"sentMessages": sent}, headers)


class FakeLineServer(HTTPServerBase):
    def __init__(self, ssl_context: ssl.SSLContext):
        super().__init__("127.0.0.1", 0, ssl_context, threaded=True)
        self.fake: FakeLine | None = None

    def dispatch(self, request: Request) -> Response:
        fake = self.fake
        if fake is None:
            return _json(503, {"message": "No test is running."})
        return fake.handle(request)


@pytest.fixture(scope="session")
def _fake_line_server(tmp_path_factory) -> Iterator[tuple[FakeLineServer, Path]]:
    context, ca_path = server_tls(tmp_path_factory.mktemp("fake-line"), "fake-line")
    server = FakeLineServer(context)
    server.start()
    try:
        yield server, ca_path
    finally:
        server.stop()


@pytest.fixture
def fake_line(_fake_line_server, settings, monkeypatch) -> Iterator[FakeLine]:
    server, ca_path = _fake_line_server
    fake = FakeLine(base_url=server.url_for("").rstrip("/"), ca_path=ca_path)
    point_at_fake(fake.settings_overrides(), ca_path, settings, monkeypatch)
    server.fake = fake
    try:
        yield fake
    finally:
        server.fake = None


def _record(request: Request) -> RecordedRequest:
    body = request.get_data()
    parsed: Any = None
    if body:
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
    return RecordedRequest(
        method=request.method,
        path=request.path,
        headers=dict(request.headers),
        body=body,
        json=parsed,
        at=time.monotonic(),
    )


def _json(status: int, body: Any, headers: dict | None = None) -> Response:
    return Response(
        json.dumps(body), status=status, headers=headers or {}, mimetype="application/json"
    )
