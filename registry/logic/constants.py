"""Constants written into a statement's SQL text instead of passed as parameters.

psycopg prepares a statement after its fifth use on a connection, and PostgreSQL then
plans it once for all parameter values (a generic plan) when that plan's estimate is no
worse than the plans it made for the values seen. A vocabulary constant passed as a
parameter hides its selectivity from that estimate (`kind = $1` is 1,756 rows, `kind =
'land'` 16), so the generic plan looked worse and the statement was planned again at
every execution: the organisation lookup with its Land joined (175 of 175 executions),
an organisation's adoptions of its candidates, its offerings. Written into the text the
constant is seen by every plan. SQLAlchemy renders these at execution (literal_execute),
so a statement built once stays built once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import literal
from sqlalchemy.sql.elements import BindParameter


def const(value: Any) -> BindParameter[Any]:
    """`value` in the SQL text (strings quoted by the dialect)."""
    return literal(value, literal_execute=True)


def one_of(column: Any, values: Iterable[Any]) -> Any:
    """`column IN ('a', 'b', …)` with the values in the SQL text."""
    return column.in_([const(value) for value in values])
