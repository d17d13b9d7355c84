"""An organisation's row and the rows listed under it, as one statement.

An answer about one organisation finds it by its key, then lists something of it: its
gaps (registry.logic.gaps), the services it offers (registry.logic.scorecard). Asked one
after the other, that is a round trip each; here the organisation's row heads the list
in a UNION ALL, so that each part keeps its own plan (as the subquery of an outer join,
a list was computed for more than the one organisation). No row: no such organisation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Select, null, select, type_coerce, union_all

from registry.logic.constants import const


def head_and_rows(
    me_select: Select[Any],
    rows_of: Callable[[Any], tuple[Select[Any], Sequence[Any]]],
    *,
    head_of: Callable[[Any], Select[Any]] | None = None,
) -> Select[Any]:
    """`me_select` (the organisation's row, its id first) as the CTE `me`; the head row
    is `head_of(me)` (default: `me`'s columns), then the rows of `rows_of(its id)`: a
    statement and the columns of it to order them by. A row of the statement is the
    head's columns then the rows' (NULLs where the other part's are)."""
    me = me_select.cte("me")
    head = head_of(me) if head_of is not None else select(*me.c)
    rows, order = rows_of(select(me.c[0]).scalar_subquery())
    head_columns, row_columns = list(head.selected_columns), list(rows.selected_columns)
    positions = [_position(row_columns, column) for column in order]
    # Typed NULLs: a UNION's columns take the first part's types (SQLite returns a date
    # as text unless the column says Date).
    nothing = [type_coerce(null(), column.type) for column in row_columns]
    first = head.with_only_columns(*_numbered([const(0), *head_columns, *nothing]))
    rest = rows.with_only_columns(
        *_numbered([const(1), *[null()] * len(head_columns), *row_columns])
    )
    both = union_all(first, rest).subquery("rows")
    offset = 1 + len(head_columns)  # the rows' first column
    return select(*both.c[1:]).order_by(both.c.c0, *(both.c[f"c{offset + i}"] for i in positions))


def _position(columns: list[Any], wanted: Any) -> int:
    """Where `wanted` (a column, or an ORM attribute such as `Service.ozg_id`) is among a
    statement's selected columns: by structure (`==` of two columns is SQL, and the
    selected ones are annotated copies, not the same objects)."""
    target = wanted.__clause_element__() if hasattr(wanted, "__clause_element__") else wanted
    found = next((i for i, column in enumerate(columns) if column.compare(target)), None)
    if found is None:  # a label or another alias's column: order by what is selected
        raise ValueError(f"{wanted} is not among the selected columns")
    return found


def _numbered(columns: list[Any]) -> list[Any]:
    """Columns labelled c0, c1, …: the parts of a UNION line up by position, and
    repeated NULLs stay separate columns."""
    return [column.label(f"c{i}") for i, column in enumerate(columns)]
