"""`column IN (ids)` whose SQL text does not depend on how many ids there are."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, select, tuple_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.types import TupleType


def among(session: Session, column: Any, ids: Iterable[int] | Select[Any]) -> Any:
    """On PostgreSQL `column IN (SELECT unnest(:ids))`, one array parameter: the
    statement's text is the same for every list, so psycopg prepares it (after five uses
    on a connection) and PostgreSQL may plan it once, where an IN list of another length
    is a new text, planned anew on every request (about half of a bare gap answer's
    database time at Germany size). Not `= ANY(:ids)`: for that, the generic plan
    PostgreSQL switches to after five executions guesses the array's selectivity and
    chose whole-index scans (an organisation's adoptions of its candidates: 20.6 ms
    generic against 0.6 ms custom); unnest() is planned as a set of rows to join.
    Elsewhere, and for a subquery, `IN`."""
    if isinstance(ids, Select) or session.get_bind().dialect.name != "postgresql":
        return column.in_(ids)
    ids_param = bindparam(None, list(ids), type_=ARRAY(Integer))
    return column.in_(select(func.unnest(ids_param)).scalar_subquery())


def among_pairs(session: Session, columns: tuple[Any, Any], pairs: list[tuple[int, int]]) -> Any:
    """`(a, b) IN (pairs)` with one SQL text for any list: on PostgreSQL the pairs are two
    array parameters, unnested side by side (`unnest(:a, :b)` pairs the i-th elements).
    A list of 60 tuples was a new text for every answer, planned anew (11 ms)."""
    if session.get_bind().dialect.name != "postgresql":
        return tuple_(*columns).in_(pairs)
    firsts = bindparam(None, [a for a, _ in pairs], type_=ARRAY(Integer))
    seconds = bindparam(None, [b for _, b in pairs], type_=ARRAY(Integer))
    unnested = func.unnest(firsts, seconds).table_valued("a", "b").render_derived()
    return tuple_(*columns).in_(select(unnested.c.a, unnested.c.b))


# For statements built once per process (functools.cache) and run with the ids as
# parameters: building a statement of subqueries cost more than running it.


def among_param(dialect: str, column: Any, name: str) -> Any:
    """`among` with the ids left to the execution (`{name: [ids]}`): on PostgreSQL the
    unnested array, elsewhere an expanding IN."""
    if dialect != "postgresql":
        return column.in_(bindparam(name, expanding=True))
    ids_param = bindparam(name, type_=ARRAY(Integer))
    return column.in_(select(func.unnest(ids_param)).scalar_subquery())


def pairs_param(dialect: str, columns: tuple[Any, Any], names: tuple[str, str]) -> Any:
    """`among_pairs` with the pairs left to the execution: on PostgreSQL two arrays
    (`{names[0]: firsts, names[1]: seconds}`), elsewhere an expanding tuple IN of
    `names[0]` (the pairs; see `pairs_values`)."""
    if dialect != "postgresql":
        pairs = bindparam(names[0], expanding=True, type_=TupleType(Integer(), Integer()))
        return tuple_(*columns).in_(pairs)
    firsts = bindparam(names[0], type_=ARRAY(Integer))
    seconds = bindparam(names[1], type_=ARRAY(Integer))
    unnested = func.unnest(firsts, seconds).table_valued("a", "b").render_derived()
    return tuple_(*columns).in_(select(unnested.c.a, unnested.c.b))


def pairs_values(
    dialect: str, names: tuple[str, str], pairs: list[tuple[int, int]]
) -> dict[str, Any]:
    """The parameters of a `pairs_param` for these pairs."""
    if dialect != "postgresql":
        return {names[0]: pairs}
    return {names[0]: [a for a, _ in pairs], names[1]: [b for _, b in pairs]}


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name
