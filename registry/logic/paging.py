"""Offset pagination with the totals a client needs to render page links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, select
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Page:
    items: list[Any]
    page: int
    page_size: int
    total_items: int

    @property
    def total_pages(self) -> int:
        return max(1, -(-self.total_items // self.page_size))

    @property
    def pagination(self) -> dict[str, int]:
        return {
            "page": self.page,
            "page_size": self.page_size,
            "total_items": self.total_items,
            "total_pages": self.total_pages,
        }


def paginate(session: Session, stmt: Select[Any], *, page: int, page_size: int) -> Page:
    """Two statements whatever the page: the count and the page itself."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = session.scalars(stmt.limit(page_size).offset((page - 1) * page_size)).unique().all()
    return Page(list(rows), page, page_size, total or 0)


@dataclass(frozen=True)
class Paged:
    """A list's count and page statements, built once (registry.logic.organisations),
    the filters, `limit` and `offset` as bound parameters."""

    count: Select[Any]
    page: Select[Any]

    @classmethod
    def of(cls, stmt: Select[Any]) -> Paged:
        return cls(
            select(func.count()).select_from(stmt.order_by(None).subquery()),
            stmt.limit(bindparam("limit", type_=Integer)).offset(
                bindparam("offset", type_=Integer)
            ),
        )

    def run(self, session: Session, params: dict[str, Any], *, page: int, page_size: int) -> Page:
        """Two statements whatever the page, as `paginate`."""
        total = session.scalar(self.count, params)
        window = {**params, "limit": page_size, "offset": (page - 1) * page_size}
        rows = session.scalars(self.page, window).unique().all()
        return Page(list(rows), page, page_size, total or 0)
