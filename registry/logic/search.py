"""Full-text search over services, solutions and organisations, in German.

Text is folded (case, umlauts: "Mülheim" = "muelheim") and query words lose common
inflection endings ("hunde" -> "hund"), then every query word must occur in a record's
folded text, as a word or inside a compound ("hund" finds "Hundesteuer"). Ranking per
word: 3 when a word of the name starts with it, 2 when the name contains it, 1 when only
other fields do; ties go to the type (service, solution, organisation) and the name.
Plain LIKE on folded columns: the same results on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, and_, case, cast, func, literal, select, union_all
from sqlalchemy.orm import Session

from registry.logic.lookup import escape_like
from registry.models import Organisation, Service, Solution
from registry.text import query_terms

TYPES = ("service", "solution", "organisation")


@dataclass(frozen=True)
class Hit:
    type: str
    key: str
    name: str
    detail: str | None
    score: int


def _scored(model: Any, type_: str, key: Any, detail: Any, terms: list[str]) -> Any:
    score: ColumnElement[int] = literal(0)
    conditions = []
    for term in terms:
        pattern = escape_like(term)
        conditions.append(model.search_text.like(f"%{pattern}%", escape="\\"))
        score = score + case(
            (model.search_name.like(f"% {pattern}%", escape="\\"), 3),
            (model.search_name.like(f"%{pattern}%", escape="\\"), 2),
            else_=1,
        )
    return select(
        literal(type_).label("type"),
        cast(key, String).label("key"),
        model.name.label("name"),
        cast(detail, String).label("detail"),
        score.label("score"),
        literal(TYPES.index(type_)).label("type_order"),
    ).where(and_(*conditions))


def search(
    session: Session, query: str, *, types: list[str] | None, page: int, page_size: int
) -> tuple[list[Hit], int]:
    terms = query_terms(query)
    if not terms:
        return [], 0
    parts = {
        "service": lambda: _scored(Service, "service", Service.ozg_id, Service.themenfeld, terms),
        "solution": lambda: _scored(Solution, "solution", Solution.slug, Solution.status, terms),
        "organisation": lambda: _scored(
            Organisation,
            "organisation",
            func.coalesce(Organisation.ars, Organisation.slug),
            Organisation.kind,
            terms,
        ),
    }
    hits = union_all(*(parts[t]() for t in (types or TYPES))).subquery("hits")
    total = session.scalar(select(func.count()).select_from(hits)) or 0
    rows = session.execute(
        select(hits.c.type, hits.c.key, hits.c.name, hits.c.detail, hits.c.score)
        .order_by(hits.c.score.desc(), hits.c.type_order, hits.c.name, hits.c.key)
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    return [Hit(*row) for row in rows], total
