"""Create, change, delete and list organisations, keeping the hierarchy sane."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    DateTime,
    Integer,
    Select,
    String,
    Subquery,
    bindparam,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased, joinedload

from registry.errors import Invalid, NotFound, Referenced
from registry.logic import driver, hierarchy, lookup
from registry.logic.among import dialect_of
from registry.logic.paging import Page, Paged
from registry.models import Adoption, ApiToken, Organisation, OrganisationDuty, Solution
from registry.models.types import UtcDateTime, utc

# Higher levels have smaller ranks; a territorial parent must rank strictly above its child.
KIND_RANK = {
    "bund": 0,
    "land": 1,
    "regierungsbezirk": 2,
    "kreis": 3,
    "kreisfreie_stadt": 3,
    "gemeindeverband": 4,
    "gemeinde": 5,
}
SIMPLE_FIELDS = (
    "ars",
    "slug",
    "name",
    "kind",
    "land_code",
    "population",
    "population_date",
    "source",
)


def list_organisations(
    session: Session,
    *,
    page: int,
    page_size: int,
    kind: str | None = None,
    land: str | None = None,
    ags: str | None = None,
    parent: str | None = None,
    name: str | None = None,
    rows: bool = False,
) -> Page:
    """A page of Organisation objects (the pages for people walk their parents); `rows`:
    the same page as rows, each organisation's columns, its parent's key and name and its
    explicit duties (comma-joined) in one statement. Loading fifty Organisation objects
    with their parents and duty rows took longer than the database took to find them
    (registry.api.render.organisation_row renders these rows)."""
    shape, params = _filters(session, kind, land, ags, parent, name)
    if not rows:
        return _listing(*shape).run(session, params, page=page, page_size=page_size)
    paged = _record_listing(dialect_of(session), *shape)
    window = {**params, "limit": page_size, "offset": (page - 1) * page_size}
    # By its SQL text, as `record`: SQLAlchemy's execution path and result processing
    # cost a fifty-row page about as much as its rendering.
    found = driver.rows(session, paged.page, window)
    # Each row carries the number of all matches (a window over them before the limit):
    # the count is a statement of its own only for a page past the end.
    total = found[0][TOTAL] if found else session.scalar(paged.count, params)
    listed = [_record_row((*row[:TOTAL], *row[TOTAL + 1 :])) for row in found]
    return Page(listed, page, page_size, total or 0)


def _filters(
    session: Session,
    kind: str | None,
    land: str | None,
    ags: str | None,
    parent: str | None,
    name: str | None,
) -> tuple[tuple[bool, ...], dict[str, Any]]:
    params: dict[str, Any] = {"kind": kind, "land": land, "parent": None, "name": None}
    if ags:  # the AGS is the ARS without its Gemeindeverband digits 6-9
        params |= {"ags_head": ags[:5], "ags_tail": ags[5:]}
    if parent:
        params["parent"] = lookup.organisation(session, parent).id
    if name:
        params["name"] = f"%{lookup.escape_like(name)}%"
    return tuple(bool(v) for v in (kind, land, ags, parent, name)), params


def _filtered(
    stmt: Select[Any], kind: bool, land: bool, ags: bool, parent: bool, name: bool
) -> Select[Any]:
    if kind:
        stmt = stmt.where(Organisation.kind == bindparam("kind", type_=String))
    if land:
        stmt = stmt.where(Organisation.land_code == bindparam("land", type_=String))
    if ags:
        stmt = stmt.where(
            func.substr(Organisation.ars, 1, 5) == bindparam("ags_head", type_=String),
            func.substr(Organisation.ars, 10, 3) == bindparam("ags_tail", type_=String),
        )
    if parent:
        stmt = stmt.where(Organisation.parent_id == bindparam("parent", type_=Integer))
    if name:
        stmt = stmt.where(Organisation.name.ilike(bindparam("name", type_=String), escape="\\"))
    return stmt.order_by(Organisation.ars.is_(None), Organisation.ars, Organisation.slug)


@cache
def _listing(kind: bool, land: bool, ags: bool, parent: bool, name: bool) -> Paged:
    """Built once per combination of filters, their values bound: building the
    statement with its loader options cost more than running it."""
    stmt = _filtered(select(Organisation), kind, land, ags, parent, name)
    # Each item shows its parent's key and name and its explicit duties: joined to the
    # page in the same statement (SQLAlchemy limits the organisations in a subquery and
    # joins the parents and duty rows to those only), one round trip instead of three.
    stmt = stmt.options(
        joinedload(Organisation.parent).lazyload(Organisation.duty_rows),
        joinedload(Organisation.duty_rows),
    )
    return Paged.of(stmt)


class RecordRow(NamedTuple):
    """An organisation record as `record` reads it: RECORD_COLUMNS, its parent's key and
    name, its explicit duties comma-joined (the columns of list_organisations' rows)."""

    id: int
    ars: str | None
    slug: str | None
    name: str
    kind: str
    land_code: str | None
    parent_id: int | None
    population: int | None
    population_date: date | None
    source: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    parent_ars: str | None
    parent_slug: str | None
    parent_name: str | None
    duties: str | None


# The organisation's own columns, as RecordRow orders them; the record and list statements
# add its parent's key and name and its duties.
RECORD_COLUMNS = RecordRow._fields[: RecordRow._fields.index("parent_ars")]
TOTAL = len(RECORD_COLUMNS)  # a list row's count of all matches, between the two
STAMPS = (RecordRow._fields.index("created_at"), RecordRow._fields.index("updated_at"))


def _record_row(values: Sequence[Any]) -> RecordRow:
    """A record from the driver's values: its timestamps made UTC, as UtcDateTime does
    for the ORM."""
    fields = list(values)
    for i in STAMPS:
        fields[i] = utc(fields[i])
    return RecordRow(*fields)


def _plain_columns() -> list[Any]:
    """RECORD_COLUMNS with plain timestamps for the driver (UtcDateTime's result
    processing is `_record_row`'s)."""
    columns = [getattr(Organisation, c) for c in RECORD_COLUMNS]
    return [
        type_coerce(c, DateTime(timezone=True)).label(c.key)
        if isinstance(c.type, UtcDateTime)
        else c
        for c in columns
    ]


@cache
def _record_listing(
    dialect: str, kind: bool, land: bool, ags: bool, parent: bool, name: bool
) -> Paged:
    shape = (kind, land, ags, parent, name)
    # The page's organisations first (filter, order, limit), then their parents and duties
    # for those fifty only: joined before the limit, the parents of every match were read.
    window = (
        _filtered(select(*_plain_columns(), func.count().over().label("total")), *shape)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
        .subquery("page")
    )
    page = _with_parent_and_duties(dialect, window).order_by(
        window.c.ars.is_(None), window.c.ars, window.c.slug
    )
    counted = _filtered(select(Organisation.id), *shape).order_by(None).subquery()
    return Paged(select(func.count()).select_from(counted), page)


def record(session: Session, key: str) -> RecordRow:
    """One organisation by key (ARS or slug); 404 if none. A statement of plain columns
    run by registry.logic.driver: SQLAlchemy's compiled-cache lookup and result
    processing took as long as the statement's round trip (0.07 ms each in one process).
    The timestamps come as the driver gives them and are made UTC here, as
    UtcDateTime does for the ORM."""
    by_ars = bool(lookup.ARS_RE.match(key))
    rows = driver.rows(session, _record(dialect_of(session), by_ars), {"key": key})
    if not rows:
        raise NotFound("organisation", key)
    return _record_row(rows[0])


@cache
def _record(dialect: str, by_ars: bool) -> Select[Any]:
    key = bindparam("key", type_=String)
    one = (
        select(*_plain_columns())
        .where(Organisation.ars == key if by_ars else Organisation.slug == key)
        .subquery("one")
    )
    return _with_parent_and_duties(dialect, one)


def _with_parent_and_duties(dialect: str, rows: Subquery) -> Select[Any]:
    """The organisations of `rows` (RECORD_COLUMNS) with their parent's key and name and
    their explicit duties, comma-joined (the renderer sorts them: SQLite's group_concat
    keeps no order)."""
    up = aliased(Organisation)
    levels = OrganisationDuty.level
    joined = func.string_agg(levels, ",") if dialect == "postgresql" else func.group_concat(levels)
    duties = (
        select(joined)
        .where(OrganisationDuty.organisation_id == rows.c.id)
        .scalar_subquery()
        .label("duties")
    )
    return select(
        rows,
        up.ars.label("parent_ars"),
        up.slug.label("parent_slug"),
        up.name.label("parent_name"),
        duties,
    ).outerjoin(up, up.id == rows.c.parent_id)


def lands(session: Session) -> list[tuple[str | None, str]]:
    """(ARS, name) of the 16 Länder, in the order of their codes."""
    rows = session.execute(
        select(Organisation.ars, Organisation.name)
        .where(Organisation.kind == "land")
        .order_by(Organisation.land_code)
    )
    return [(ars, name) for ars, name in rows]


def create(session: Session, data: dict[str, Any]) -> Organisation:
    org = Organisation()
    _apply(session, org, data)
    session.add(org)
    session.flush()
    hierarchy.place(session, org)
    return org


def update(session: Session, org: Organisation, changes: dict[str, Any]) -> Organisation:
    old_parent = org.parent_id
    _apply(session, org, changes)
    session.flush()
    if org.parent_id != old_parent:
        hierarchy.place(session, org)
    return org


def delete(session: Session, org: Organisation) -> None:
    refs = referenced_by(session, org)
    if refs:
        raise Referenced("organisation", org.key, refs)
    session.delete(org)
    session.flush()


def referenced_by(session: Session, org: Organisation) -> list[dict[str, str]]:
    children = session.scalars(select(Organisation).where(Organisation.parent_id == org.id))
    solutions = session.scalars(
        select(Solution).where(or_(Solution.builder_id == org.id, Solution.operator_id == org.id))
    )
    adoptions = session.scalars(select(Adoption.id).where(Adoption.organisation_id == org.id))
    tokens = session.scalars(select(ApiToken.name).where(ApiToken.organisation_id == org.id))
    return (
        [{"entity": "organisation", "key": c.key} for c in children]
        + [{"entity": "solution", "key": s.slug} for s in solutions]
        + [{"entity": "adoption", "key": str(a)} for a in adoptions]
        + [{"entity": "api_token", "key": t} for t in tokens]
    )


def _apply(session: Session, org: Organisation, data: dict[str, Any]) -> None:
    # Checks below query the database; the half-changed record must not be flushed first.
    with session.no_autoflush:
        _assign(session, org, data)
        _check(session, org)


def _assign(session: Session, org: Organisation, data: dict[str, Any]) -> None:
    for field in SIMPLE_FIELDS:
        if field in data:
            setattr(org, field, data[field])
    if "parent" in data:
        org.parent = (
            lookup.organisation(session, data["parent"], field="parent") if data["parent"] else None
        )
    if "duties" in data:
        org.duty_rows = [
            OrganisationDuty(level=level) for level in sorted(set(data["duties"] or []))
        ]
    if org.ars and "land_code" not in data:
        org.land_code = org.ars[:2]


def _check(session: Session, org: Organisation) -> None:
    errors: dict[str, list[str]] = {}
    territorial = org.kind not in ("bund", "non_territorial")
    if territorial and not org.ars:
        errors["ars"] = [f"A {org.kind} needs its ARS."]
    if org.kind == "non_territorial" and org.ars:
        errors["ars"] = ["A non-territorial body has no ARS; give it a slug."]
    if not org.ars and not org.slug:
        errors["slug"] = ["An organisation without ARS needs a slug."]
    if org.ars and org.land_code != org.ars[:2]:
        errors["land_code"] = [f"The ARS {org.ars} lies in Land {org.ars[:2]}."]
    if org.kind == "bund" and org.parent is not None:
        errors["parent"] = ["The Bund has no parent."]
    elif org.parent is not None:
        errors.update(_parent_errors(org))
    if errors:
        raise Invalid(errors)
    _check_unique(session, org)


def _parent_errors(org: Organisation) -> dict[str, list[str]]:
    parent = org.parent
    assert parent is not None
    if org.kind in KIND_RANK:
        if parent.kind not in KIND_RANK or KIND_RANK[parent.kind] >= KIND_RANK[org.kind]:
            return {"parent": [f"A {parent.kind} cannot be the parent of a {org.kind}."]}
        if parent.land_code and parent.land_code != org.land_code:
            return {"parent": [f"The parent lies in Land {parent.land_code}, not {org.land_code}."]}
        return {}
    # Non-territorial bodies may hang below anyone, but never below themselves.
    seen = {id(org)}
    node: Organisation | None = parent
    while node is not None:
        if id(node) in seen:
            return {"parent": ["The parent chain would form a cycle."]}
        seen.add(id(node))
        node = node.parent
    return {}


def _check_unique(session: Session, org: Organisation) -> None:
    for field in ("ars", "slug"):
        column = getattr(Organisation, field)
        lookup.ensure_unique(session, column, getattr(org, field), org.id, "organisation", field)
