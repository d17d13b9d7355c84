"""Bulk loading: COPY on PostgreSQL, one executemany per table on SQLite.

Both run on the session's own connection, so the load is part of its transaction: a failed
load leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from registry.progress import progress

LOADED_AT = datetime(2026, 1, 1, tzinfo=UTC)  # fixed, so that two loads are identical
SERIAL_TABLES = ("organisation", "service", "solution", "adoption")
CHUNK = 20_000


def load(
    session: Session,
    table: str,
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    length: int | None = None,
) -> int:
    """Insert rows (tuples in `columns` order) into table; returns how many."""
    connection = session.connection()
    raw = connection.connection.driver_connection
    count = 0
    rows = progress(rows, f"{table:<20}", length)
    if connection.dialect.name == "postgresql":
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    statement = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    )
    cursor = raw.cursor()  # type: ignore[union-attr]
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(tuple(_sqlite(value) for value in row))
        if len(chunk) == CHUNK:
            cursor.executemany(statement, chunk)
            count, chunk = count + len(chunk), []
    cursor.executemany(statement, chunk)
    return count + len(chunk)


def _sqlite(value: Any) -> Any:
    """Values as SQLAlchemy stores them on SQLite (its DateTime/Date string formats)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def finish(session: Session) -> None:
    """Move id sequences past the loaded ids and refresh the planner's statistics."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        for table in SERIAL_TABLES:
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"coalesce(max(id), 0) + 1, false) FROM {table}"
                )
            )
    session.execute(text("ANALYZE"))
