"""What every benchmark shares: timing, the SQL-replay baseline, the table and the JSON."""

from __future__ import annotations

import json
import os
import re
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"


def median_seconds(function: Callable[[], object], runs: int) -> float:
    """Median wall time of `runs` calls after one warm-up call."""
    function()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def paired_seconds(
    function: Callable[[], object], floor: Callable[[], object], runs: int
) -> tuple[float, float, float]:
    """The medians of `function` and of its `floor`, each run of one paired with a run of
    the other right after it, and the median of those pairs' ratios: on a busy machine a
    slow moment then hits both sides of a pair, where two medians measured one after the
    other can catch a calm moment on one side and a busy one on the other."""
    function()
    floor()
    pages, floors = [], []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        pages.append(time.perf_counter() - started)
        started = time.perf_counter()
        floor()
        floors.append(time.perf_counter() - started)
    ratio = statistics.median(p / f for p, f in zip(pages, floors, strict=True) if f)
    return statistics.median(pages), statistics.median(floors), ratio


def captured_sql(function: Callable[[], object]) -> list[str]:
    """The SQL one call runs, as PostgreSQL received it (client-side binding)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return [query["sql"] for query in captured.captured_queries]


def replay(queries: Sequence[str]) -> Callable[[], None]:
    """A function that runs the given SQL again, raw, fetching every row: the floor a page
    cannot go under. Only reads are replayed (a session save or a savepoint is not part of
    what the page computes). A read may open with a parenthesis: the ORM writes an ordered
    UNION as `(SELECT ...) UNION ALL (SELECT ...) ORDER BY ...` (the audit trail's page of
    keys, its costliest query, was left out of its floor)."""
    from django.db import connection

    reads = [
        sql
        for sql in map(_without_cursor, queries)
        if sql.lstrip().lstrip("(").lstrip().upper().startswith(("SELECT", "WITH"))
    ]

    def run() -> None:
        with connection.cursor() as cursor:
            for sql in reads:
                cursor.execute(sql)
                cursor.fetchall()

    return run


_DECLARE = re.compile(
    r'^\s*DECLARE\s+"[^"]*"\s+.*?CURSOR\s+(?:WITH(?:OUT)?\s+HOLD\s+)?FOR\s+', re.S
)


def _without_cursor(sql: str) -> str:
    """A read made through a server-side cursor (`QuerySet.iterator()` on PostgreSQL:
    DECLARE "..." NO SCROLL CURSOR WITH HOLD FOR SELECT ...) replayed as its SELECT: it is
    part of what the page reads (the floor left such reads out until #19's last pass)."""
    return _DECLARE.sub("", sql, count=1)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print(
            "  ".join(
                c.rjust(w) if n and i else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if n == 0:
            print("  ".join("-" * w for w in widths))


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def write_json(name: str, data: dict[str, Any]) -> Path:
    """var/bench/<name>.json (var/ is not in git): the figures a closing note quotes."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    data = {
        "benchmark": name,
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cpus": os.cpu_count(),
        **data,
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"wrote {path.relative_to(ROOT)}")
    return path
