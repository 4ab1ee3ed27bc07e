"""The LINE Messaging API, as the portal uses it: push a message, read the quota.

Every call has a timeout. A push is tried at most LINE_MAX_TRIES times here, with the
same X-Line-Retry-Key on each, waiting as core.retry's policy says (and never longer
than LINE_MAX_WAIT_SECONDS: a longer Retry-After goes back to the outbox, which waits
without holding a worker). The answer is a typed `PushResult`; nothing here raises for
an HTTP or network failure.

Why the retry key matters: LINE accepts a push, the answer is lost on the way back, we
push again. With the same key LINE answers 409 and delivers nothing; the message counts
as sent. The key lives on the outbox row, so this holds across workers and restarts too.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings

from core.retry import RetryPolicy, parse_retry_after

logger = logging.getLogger(__name__)

PUSH_PATH = "/v2/bot/message/push"
QUOTA_PATH = "/v2/bot/message/quota"
CONSUMPTION_PATH = "/v2/bot/message/quota/consumption"


class Outcome(enum.Enum):
    SENT = "sent"
    ALREADY_ACCEPTED = "already_accepted"  # 409: an earlier try with this key got through
    TRANSIENT = "transient"  # 429, 5xx, timeout, lost answer: try again later
    REJECTED = "rejected"  # 400: LINE will not deliver to this user (blocked, unknown)
    UNAUTHORIZED = "unauthorized"  # 401/403: the channel token is wrong or revoked
    PERMANENT = "permanent"  # any other 4xx


@dataclass(frozen=True)
class PushResult:
    outcome: Outcome
    status: int | None = None
    request_id: str = ""
    message_ids: tuple[str, ...] = ()
    retry_after: float | None = None
    error: str = ""
    tries: int = 1

    @property
    def delivered(self) -> bool:
        return self.outcome in (Outcome.SENT, Outcome.ALREADY_ACCEPTED)


@dataclass(frozen=True)
class Quota:
    limited: bool
    limit: int | None
    used: int

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.used)


@dataclass
class LineClient:
    token: str
    api_base: str = "https://api.line.me"
    timeout: float = 10.0
    policy: RetryPolicy = field(
        default_factory=lambda: RetryPolicy(max_attempts=2, base_seconds=1.0, max_delay_seconds=10)
    )
    sleep: Callable[[float], None] = time.sleep

    @classmethod
    def from_settings(cls) -> LineClient:
        return cls(
            token=settings.LINE_CHANNEL_ACCESS_TOKEN,
            api_base=settings.LINE_API_BASE.rstrip("/"),
            timeout=settings.LINE_TIMEOUT_SECONDS,
            policy=RetryPolicy(
                max_attempts=settings.LINE_MAX_TRIES,
                base_seconds=settings.LINE_BACKOFF_SECONDS,
                max_delay_seconds=settings.LINE_MAX_WAIT_SECONDS,
            ),
        )

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def push(self, *, to: str, messages: list[dict[str, Any]], retry_key: str) -> PushResult:
        tries = 0
        while True:
            tries += 1
            result = self._push_once(to, messages, retry_key, tries)
            if result.outcome is not Outcome.TRANSIENT or self.policy.gives_up(tries):
                return result
            if (
                result.retry_after is not None
                and result.retry_after > self.policy.max_delay_seconds
            ):
                return result  # a long wait belongs to the outbox, not to a busy worker
            self.sleep(self.policy.delay(tries, retry_after=result.retry_after))

    def _push_once(
        self, to: str, messages: list[dict[str, Any]], retry_key: str, tries: int
    ) -> PushResult:
        try:
            response = requests.post(
                self.api_base + PUSH_PATH,
                json={"to": to, "messages": messages},
                headers={**self._headers(), "X-Line-Retry-Key": retry_key},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            # Timeout or dropped connection: LINE may have accepted it. The retry key
            # makes the next try safe.
            logger.warning("LINE push: no answer (%s)", type(exc).__name__)
            return PushResult(Outcome.TRANSIENT, error=type(exc).__name__, tries=tries)
        status = response.status_code
        request_id = response.headers.get("x-line-request-id", "")
        if status == 200:
            try:
                sent = response.json().get("sentMessages") or []
            except ValueError:
                sent = []
            ids = tuple(str(m.get("id", "")) for m in sent if isinstance(m, dict))
            return PushResult(Outcome.SENT, status, request_id, ids, tries=tries)
        if status == 409:
            accepted = response.headers.get("x-line-accepted-request-id", "")
            return PushResult(Outcome.ALREADY_ACCEPTED, status, accepted or request_id, tries=tries)
        error = _error_message(response)
        if status == 429 or status >= 500:
            return PushResult(
                Outcome.TRANSIENT,
                status,
                request_id,
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
                error=error,
                tries=tries,
            )
        if status == 400:
            return PushResult(Outcome.REJECTED, status, request_id, error=error, tries=tries)
        if status in (401, 403):
            return PushResult(Outcome.UNAUTHORIZED, status, request_id, error=error, tries=tries)
        return PushResult(Outcome.PERMANENT, status, request_id, error=error, tries=tries)

    def quota(self) -> Quota:
        """Raises requests.RequestException (or HTTPError) when LINE does not answer."""
        limit = requests.get(
            self.api_base + QUOTA_PATH, headers=self._headers(), timeout=self.timeout
        )
        limit.raise_for_status()
        used = requests.get(
            self.api_base + CONSUMPTION_PATH, headers=self._headers(), timeout=self.timeout
        )
        used.raise_for_status()
        body = limit.json()
        limited = body.get("type") == "limited"
        return Quota(
            limited=limited,
            limit=int(body.get("value", 0)) if limited else None,
            used=int(used.json().get("totalUsage", 0)),
        )


def _error_message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return (response.reason or "")[:200]
    if isinstance(body, dict):
        return str(body.get("message") or "")[:200]
    return ""
