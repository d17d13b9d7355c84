"""Built-once read statements run by their SQL text on PostgreSQL.

`session.execute(statement)` pays, at every execution, for the statement's cache key (a
walk over its whole tree: the gap statement has four subqueries), the compiled-cache
lookup, the ORM's execution path and its result processing: 0.33 ms for a gap statement
whose driver round trip is 0.22 (Germany-size data, 50 Gemeinden). The answers' hot
statements are built once (`functools.cache`) with their values as bound parameters, so
their SQL text is fixed: it is compiled once here and run by
the connection's own cursor (`execute`), keeping what matters of SQLAlchemy's path —
the connection's events (the tests count statements by them), its error wrapping and the
pool's handling of a lost connection. Rows come as psycopg gives them (tuples), so only
statements of plain columns whose types need no SQLAlchemy result processing on
PostgreSQL belong here (no ORM entities; a UtcDateTime column is refused). Elsewhere
(SQLite: its qmark parameters and expanding INs are SQLAlchemy's to render) the session
runs the statement, with its result processing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ARRAY, Integer
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session

# SQLAlchemy's private statement path (`execute`); should a release drop it, the public
# one serves instead (tests/test_driver.py runs both).
PRIVATE_PATH = hasattr(Connection, "_cursor_execute")

# id(statement) -> (statement, its SQL text, the values it carries: a literal() in it,
# the names of its integer-array parameters)
_TEXTS: dict[int, tuple[Any, str, dict[str, Any], tuple[str, ...]]] = {}


def rows(session: Session, statement: Any, params: Mapping[str, Any]) -> Sequence[Any]:
    """All rows of a built-once statement of plain columns."""
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "postgresql":
        return session.execute(statement, params).all()
    sql, carried, arrays = sql_text(statement, dialect)
    given = {**carried, **params}
    for name in arrays:
        if name in given:
            given[name] = _array_text(given[name])
    return execute(connection, sql, given)


def execute(connection: Connection, sql: str, params: Mapping[str, Any]) -> Sequence[Any]:
    """The rows of SQL text run on the connection's DBAPI cursor. `exec_driver_sql` set
    up a result (its column metadata, a Row per row) that cost 0.14 ms of a 0.8 ms bare
    gap statement (19 columns, 90 rows); `Connection._cursor_execute`, SQLAlchemy's own
    path for statements without a result object (sequences, defaults), still fires the
    cursor events and maps the driver's errors, invalidating a lost connection. It is
    private: sqlalchemy is pinned below 2.2, every PostgreSQL test runs through it, and
    without it (PRIVATE_PATH false) `exec_driver_sql` runs the text."""
    if not PRIVATE_PATH:  # a release without it: the public path, a result object more
        return connection.exec_driver_sql(sql, dict(params)).all()
    cursor = connection.connection.cursor()
    try:
        connection._cursor_execute(cursor, sql, params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _array_text(value: Any) -> Any:
    """An id list given for an `integer[]` parameter (registry.logic.among,
    registry.logic.nearby) as PostgreSQL's array literal, `{3,1,4}`, which the
    parameter's `::INTEGER[]` cast reads: psycopg dumps a list element by element in
    Python and checks the integers' sizes first, about five times as long as forming the
    text (a gap answer sends a few hundred ids in four or five arrays). Anything but a
    list of plain integers goes as it is."""
    if type(value) is not list or not all(type(item) is int for item in value):
        return value
    return "{" + ",".join(map(str, value)) + "}"


def sql_text(statement: Any, dialect: Dialect) -> tuple[str, dict[str, Any], tuple[str, ...]]:
    """The statement's SQL as the dialect runs it (parameters as placeholders, the
    constants of registry.logic.constants written in), the values of the parameters it
    carries itself, and the names of its integer-array parameters (sent as the array's
    text: `_array_text`). Cached by the statement object, which is kept alive with its
    text (so its id is never reused)."""
    found = _TEXTS.get(id(statement))
    if found is not None and found[0] is statement:
        return found[1], found[2], found[3]
    processed = [
        str(column)
        for column in statement.selected_columns
        if column.type.dialect_impl(dialect).result_processor(dialect, None) is not None
    ]
    if processed:  # the driver's value is not the column's (UtcDateTime, say)
        raise ValueError(f"columns that need SQLAlchemy's result processing: {processed}")
    plain = statement.compile(dialect=dialect)
    binds = plain.binds
    if any(bind.expanding for bind in binds.values()):
        # An expanding IN's text depends on the list's length: SQLAlchemy renders it.
        raise ValueError("a statement with an expanding parameter has no fixed text")
    # Rendering the constants needs a value for every parameter; those given at
    # execution stay placeholders in the text all the same.
    given = {name for name, bind in binds.items() if bind.required}
    compiled = statement.params(dict.fromkeys(given)).compile(
        dialect=dialect, compile_kwargs={"render_postcompile": True}
    )
    carried = {
        name: value
        for name, value in plain.params.items()
        if name not in given and not binds[name].literal_execute
    }
    arrays = tuple(
        name
        for name, bind in binds.items()
        if isinstance(bind.type, ARRAY) and isinstance(bind.type.item_type, Integer)
    )
    _TEXTS[id(statement)] = (statement, compiled.string, carried, arrays)
    return compiled.string, carried, arrays
