"""An open-loop load generator: requests start on a fixed schedule, whatever the server's
speed, and each latency counts from its scheduled start (a request that waits for a free
user is late, and that wait is part of what a user sees). A closed loop (wrk) lets a slow
server slow the load down, and hides the slowness it causes.

Standard library only (asyncio, raw HTTP/1.1 with keep-alive): locust would bring gevent,
Flask and a dozen more packages into the dev lock for the part of it we need, a fixed
arrival rate over a pool of users.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class StepResult:
    rate: float
    seconds: float
    sent: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    non_2xx: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)

    def percentile(self, p: float) -> float | None:
        if not self.latencies_ms:
            return None
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    def as_dict(self) -> dict[str, object]:
        return {
            "rate": self.rate,
            "seconds": self.seconds,
            "sent": self.sent,
            "done": len(self.latencies_ms),
            "errors": self.errors,
            "non_2xx": self.non_2xx,
            "error_kinds": self.error_kinds,
            "p50_ms": self.percentile(50),
            "p95_ms": self.percentile(95),
            "p99_ms": self.percentile(99),
            "mean_ms": statistics.fmean(self.latencies_ms) if self.latencies_ms else None,
        }


class _User:
    """One user: one keep-alive connection, one request at a time."""

    def __init__(self, host: str, port: int, cookie: str):
        self.host, self.port, self.cookie = host, port, cookie
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, timeout: float) -> int:
        return await asyncio.wait_for(self._get_once_more(path), timeout)

    async def _get_once_more(self, path: str) -> int:
        # gunicorn closes a kept-alive connection after its keepalive (2 s), as a browser
        # finds: a request on a connection the server has closed is sent again on a new one.
        reused = self.writer is not None and not self.writer.is_closing()
        try:
            return await self._get(path)
        except (OSError, asyncio.IncompleteReadError):
            if not reused:
                raise
            self.close()
            return await self._get(path)

    async def _get(self, path: str) -> int:
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\nCookie: {self.cookie}\r\n"
            "Accept-Language: th\r\n\r\n".encode()
        )
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:] if x)
        }
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            await self.reader.read()
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def _step(
    base: str, cookie: str, paths: list[str], rate: float, seconds: float, users: int
) -> StepResult:
    url = urlsplit(base)
    pool: asyncio.Queue[_User] = asyncio.Queue()
    for _ in range(users):
        pool.put_nowait(_User(url.hostname or "127.0.0.1", url.port or 80, cookie))
    result = StepResult(rate=rate, seconds=seconds)
    tasks = []

    async def one(path: str, scheduled: float) -> None:
        user = await pool.get()
        try:
            status = await user.get(path, timeout=10)
            result.latencies_ms.append((time.perf_counter() - scheduled) * 1000)
            if not 200 <= status < 300:
                result.non_2xx += 1
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
            result.errors += 1
            kind = type(error).__name__
            result.error_kinds[kind] = result.error_kinds.get(kind, 0) + 1
            user.close()
        finally:
            pool.put_nowait(user)

    start = time.perf_counter()
    total = int(rate * seconds)
    for n in range(total):
        scheduled = start + n / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(paths[n % len(paths)], scheduled)))
        result.sent += 1
    await asyncio.gather(*tasks)
    while not pool.empty():
        pool.get_nowait().close()
    return result


def run_step(
    base: str, cookie: str, paths: list[str], *, rate: float, seconds: float, users: int = 50
) -> StepResult:
    """`rate` requests a second for `seconds`, spread over `paths` in turn, by `users`
    users (at most that many requests in flight; 50 users at 20 req/s is each user
    thinking 2.5 s between pages)."""
    return asyncio.run(_step(base, cookie, paths, rate, seconds, users))
