"""registry.logic.headed: the organisation's row heading the rows listed under it."""

import pytest
from sqlalchemy import Integer, bindparam, select

from registry.logic import headed
from registry.models import Organisation, Service


def _me():
    return select(Organisation.id, Organisation.name).where(
        Organisation.id == bindparam("org", type_=Integer)
    )


def test_the_rows_are_ordered_by_the_columns_named():
    statement = headed.head_and_rows(
        _me(), lambda org: (select(Service.id, Service.ozg_id), [Service.ozg_id])
    )
    # The head's two columns and the part's number come first: ozg_id is c4.
    assert str(statement).rstrip().endswith("ORDER BY rows.c0, rows.c4")


def test_an_order_column_not_selected_is_refused():
    with pytest.raises(ValueError, match="not among the selected columns"):
        headed.head_and_rows(_me(), lambda org: (select(Service.id), [Service.ozg_id]))
