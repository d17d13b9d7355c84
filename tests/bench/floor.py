"""The floor's database half: an endpoint's own SQL, captured once and replayed via psycopg."""

from __future__ import annotations

import statistics
import time
from typing import Any

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import Engine


def capture(app: Any, path: str) -> list[tuple[str, Any]]:
    """The statements (with parameters) the registry runs to answer GET path."""
    seen: list[tuple[str, Any]] = []

    def note(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", note)
    try:
        answer = app.test_client().get(path)
    finally:
        event.remove(Engine, "before_cursor_execute", note)
    if answer.status_code != 200:
        raise RuntimeError(f"GET {path}: {answer.status_code} {answer.get_data(as_text=True)}")
    # The pool's probe of a connection idle for seconds (registry.db) is not the endpoint's.
    return [(s, p) for s, p in seen if s.strip().upper() != "SELECT 1"]


def connect(url: str) -> psycopg.Connection[Any]:
    """A connection as the registry reads on PostgreSQL: outside a transaction (registry.db's
    read sessions are in autocommit), no JIT (registry.db sets it)."""
    connection = psycopg.connect(url, autocommit=True)
    connection.execute("SET jit = off")
    return connection


def replay(
    connection: psycopg.Connection[Any], per_path: list[list[tuple[str, Any]]], rounds: int
) -> dict[str, float]:
    """Run one path's statements per round (the paths in turn, as the load generator asks
    them), fetching every row; latency per round.

    On a connection from `connect`, which keeps what psycopg prepared, and shared by the
    endpoints in the order the load generator asks them, as a registry worker's pooled
    connections are: PostgreSQL settles a prepared statement's plan in its first five
    executions on a connection, and the one-service candidate answer's statements keep
    the generic plan the gap answers (asked first) settled, where on a connection of their
    own they were planned at every execution. Until run X this replayed each round in a
    transaction and rolled it back, and psycopg forgets every prepared statement at a
    ROLLBACK: each round parsed and planned every statement anew, plus BEGIN and ROLLBACK,
    and the floor was 1.2-3.9 x the SQL's real cost (the bare gap list's 2.60 ms against
    1.04), so every floor ratio until then was flattering."""
    timings = []
    for n in range(rounds + 3):
        statements = per_path[n % len(per_path)]
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for statement, parameters in statements:
                cursor.execute(statement, parameters or None)
                if cursor.description is not None:
                    cursor.fetchall()
        if n >= 3:  # the first rounds warm the plan cache, as the registry's warm-up does
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    counts = sorted(len(statements) for statements in per_path)
    return {
        "statements": counts[len(counts) // 2],  # the median path's
        "median_ms": statistics.median(timings),
        "p95_ms": timings[min(len(timings) - 1, int(len(timings) * 0.95))],
    }
