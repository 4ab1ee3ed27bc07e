"""One retry policy for work that talks to the outside world (issue #14, item 2).

A task records each attempt on its row and asks the policy two things: whether to try
again, and when. The delay grows exponentially with full jitter (so a hundred messages
that failed together do not all come back in the same second), is capped, and never
comes before a server's own Retry-After. Whether a failure is worth retrying at all is
the caller's judgement (a 400 is permanent, a 503 is not); the policy only counts.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_seconds: float = 60.0
    factor: float = 2.0
    max_delay_seconds: float = 6 * 3600.0
    # 0: no jitter; 1: anywhere between half the delay and the delay (bounded below, so
    # a retry never comes back at once by bad luck).
    jitter: float = 1.0

    def gives_up(self, attempts: int) -> bool:
        """After `attempts` failed tries, is it time to stop?"""
        return attempts >= self.max_attempts

    def delay(
        self,
        attempts: int,
        *,
        retry_after: float | None = None,
        rng: Callable[[], float] = random.random,
    ) -> float:
        """Seconds to wait after the `attempts`-th failed try (1 for the first)."""
        raw = min(self.max_delay_seconds, self.base_seconds * self.factor ** max(0, attempts - 1))
        wait = raw * (1 - self.jitter / 2 * rng())
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.max_delay_seconds))
        return wait


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: a number of seconds or an HTTP date."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
