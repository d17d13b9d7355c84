"""Check-constraint expressions that differ between SQLite and PostgreSQL."""

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.types import Boolean


class DigitsOnly(ColumnElement[bool]):
    """`column` consists of exactly `length` ASCII digits (an ARS, a LeiKa key...)."""

    type = Boolean()
    inherit_cache = True

    def __init__(self, column: str, length: int) -> None:
        self.column = column
        self.length = length


@compiles(DigitsOnly, "postgresql")
def _digits_pg(element: DigitsOnly, _compiler: Any, **_kw: Any) -> str:
    return f"{element.column} ~ '^[0-9]{{{element.length}}}$'"


@compiles(DigitsOnly)
def _digits_default(element: DigitsOnly, _compiler: Any, **_kw: Any) -> str:
    return f"length({element.column}) = {element.length} AND {element.column} NOT GLOB '*[^0-9]*'"
