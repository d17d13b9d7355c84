"""`column IN (ids)` whose SQL text does not depend on how many ids there are."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Integer, Select, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session


def among(session: Session, column: Any, ids: Iterable[int] | Select[Any]) -> Any:
    """On PostgreSQL `column = ANY(:ids)`, one array parameter: the statement's text is
    the same for every list, so psycopg prepares it (after five uses on a connection) and
    PostgreSQL plans it once, where an IN list of another length is a new text, planned
    anew on every request (about half of a bare gap answer's database time at Germany
    size). Elsewhere, and for a subquery, `IN`."""
    if isinstance(ids, Select) or session.get_bind().dialect.name != "postgresql":
        return column.in_(ids)
    return column == any_(bindparam(None, list(ids), type_=ARRAY(Integer)))
