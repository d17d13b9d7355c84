"""Finding records by their public keys."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from sqlalchemy import Select, String, bindparam, select
from sqlalchemy.orm import Session, joinedload, lazyload

from registry.errors import Conflict, Invalid, NotFound
from registry.models import Adoption, Organisation, Service, Solution

ARS_RE = re.compile(r"^[0-9]{12}$")


def organisation(
    session: Session,
    key: str,
    *,
    field: str | None = None,
    duties: bool = True,
    parent: bool = True,
) -> Organisation:
    """One statement: the parent (responses show its key) and the explicit duties come
    joined. duties=False: the duties are not needed (analysis answers read the carried
    levels from organisation_level); parent=False: nor the parent (an analysis answer
    names the organisation only; one table, one ORM object). Each loads on first use all
    the same. Analysis answers read the organisation with its Land as a row instead
    (registry.logic.asking)."""
    # An ARS is 12 digits; anything else is a slug.
    stmt = _organisation_statement(bool(ARS_RE.match(key)), duties, parent)
    found = session.execute(stmt, {"key": key}).unique().scalar_one_or_none()
    if found is None:
        if field:  # a reference inside a request body: the body is at fault
            raise Invalid({field: [f"No organisation with key '{key}'."]})
        raise NotFound("organisation", key)
    return found


def service(
    session: Session, ozg_id: str, *, field: str | None = None, leika: bool = True
) -> Service:
    """leika=False: the LeiKa keys are not needed (analysis answers)."""
    stmt = select(Service).where(Service.ozg_id == ozg_id)
    if not leika:  # the answers that skip the keys read the levels per Land: joined
        stmt = stmt.options(lazyload(Service.leika_rows), joinedload(Service.responsibilities))
    found = session.execute(stmt).unique().scalar_one_or_none()
    if found is None:
        if field:
            raise Invalid({field: [f"No service with OZG-ID '{ozg_id}'."]})
        raise NotFound("service", ozg_id)
    return found


# Built once per shape, the key a bound parameter: every answer looks one of these up, and
# building the statement with its loader options cost more than running it.


@cache
def _organisation_statement(by_ars: bool, duties: bool, parent: bool) -> Select[Any]:
    key = bindparam("key", type_=String)
    stmt = select(Organisation).where(
        Organisation.ars == key if by_ars else Organisation.slug == key
    )
    return stmt.options(
        joinedload(Organisation.parent).lazyload(Organisation.duty_rows)
        if parent
        else lazyload(Organisation.parent),
        # In the same statement (most organisations have none): one round trip, not two.
        joinedload(Organisation.duty_rows) if duties else lazyload(Organisation.duty_rows),
    )


@cache
def _solution_statement() -> Select[Any]:
    return (
        select(Solution)
        .where(Solution.slug == bindparam("slug", type_=String))
        .options(
            lazyload(Solution.builder, Organisation.duty_rows),
            lazyload(Solution.operator, Organisation.duty_rows),
        )
    )


def solution(session: Session, slug: str, *, field: str | None = None) -> Solution:
    found = session.scalar(_solution_statement(), {"slug": slug})
    if found is None:
        if field:
            raise Invalid({field: [f"No solution with slug '{slug}'."]})
        raise NotFound("solution", slug)
    return found


MAX_INTEGER_ID = 2**31 - 1  # adoption ids are INTEGER columns


def adoption(session: Session, adoption_id: int) -> Adoption:
    # a path id past the column's range names nothing (and must not reach the database)
    found = session.get(Adoption, adoption_id) if 0 < adoption_id <= MAX_INTEGER_ID else None
    if found is None:
        raise NotFound("adoption", str(adoption_id))
    return found


def ensure_unique(session: Session, column, value, own_id: int | None, entity: str, field: str):
    """409 naming the field when another record already holds this public key."""
    if value is None:
        return
    stmt = select(column.class_.id).where(column == value)
    if own_id is not None:
        stmt = stmt.where(column.class_.id != own_id)
    if session.scalar(stmt) is not None:
        message = f"A {entity} with {field} '{value}' exists already."
        raise Conflict(message, {field: [message]})


def escape_like(text: str) -> str:
    """Make user text literal inside a LIKE pattern (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
