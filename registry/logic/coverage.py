"""How many of the organisations due for a service offer it online, per Land."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, String, and_, bindparam, distinct, func, select
from sqlalchemy.orm import Session, aliased

from registry.logic import driver, duties
from registry.logic.constants import const
from registry.models import (
    DueOffering,
    Organisation,
    OrganisationClosure,
    Service,
    Solution,
)
from registry.models.stats import NO_LAND


@dataclass
class LandCoverage:
    land_code: str | None
    land_name: str | None
    level: str | None
    due: int
    offering: int


@dataclass
class Coverage:
    service: Service
    region: Organisation | None
    kind: str | None
    per_land: list[LandCoverage]
    solutions: list[dict[str, Any]]

    @property
    def due(self) -> int:
        return sum(land.due for land in self.per_land)

    @property
    def offering(self) -> int:
        return sum(land.offering for land in self.per_land)


def percent(part: int, whole: int) -> float | None:
    """One decimal, half up; None when nobody is due."""
    if whole == 0:
        return None
    return int(part * 1000 / whole + 0.5) / 10


def due_organisations(service_id: Any, region_id: Any, kind: Any):  # type: ignore[no-untyped-def]
    """Ids of the organisations due for the service, within the region and kind (None:
    anywhere, any kind; ids and the kind may be bound parameters)."""
    due = duties.due_pairs(service_ids=[service_id])
    stmt = select(due.c.organisation_id, due.c.land_code)
    if region_id is not None:
        stmt = stmt.join(
            OrganisationClosure,
            and_(
                OrganisationClosure.descendant_id == due.c.organisation_id,
                OrganisationClosure.ancestor_id == region_id,
            ),
        )
    if kind is not None:
        stmt = stmt.join(Organisation, Organisation.id == due.c.organisation_id).where(
            Organisation.kind == kind
        )
    return stmt


def coverage(
    session: Session, service: Service, *, region: Organisation | None, kind: str | None
) -> Coverage:
    due_stmt, offering_stmt, used_stmt = _statements(region is not None, kind is not None)
    params = {"service": service.id, "region": region.id if region else None, "kind": kind}
    due_rows = [
        (code or None, count, name)  # NO_LAND: the Bund, which has no Land (nor a name)
        for code, count, name in driver.rows(session, due_stmt, params)
    ]
    offering_by_land: dict[str, int] = dict(driver.rows(session, offering_stmt, params))
    per_land = [
        LandCoverage(
            code,
            name,
            service.level_in(code) if code else None,
            due_count,
            offering_by_land.get(code or NO_LAND, 0),
        )
        for code, due_count, name in due_rows
    ]
    used = driver.rows(session, used_stmt, params)
    solutions = [{"slug": s, "name": n, "organisations": c} for s, n, c in used]
    return Coverage(service, region, kind, per_land, solutions)


@cache
def _statements(by_region: bool, by_kind: bool) -> tuple[Any, Any, Any]:
    """The due organisations per Land, those offering the service per Land and the
    solutions they use: built once per filter shape, with the service, region and kind
    as bound parameters (building them cost more than running the smaller ones)."""
    service = bindparam("service", type_=Integer)
    region = bindparam("region", type_=Integer) if by_region else None
    kind = bindparam("kind", type_=String) if by_kind else None
    due = due_organisations(service, region, kind).subquery("due")
    land = aliased(Organisation)
    land_name = (  # in the same statement: one round trip less than asking for the names
        select(land.name)
        .where(land.kind == const("land"), land.land_code == due.c.land_code)
        .limit(const(1))
        .scalar_subquery()
    )
    due_stmt = (
        select(due.c.land_code, func.count(), land_name)
        .group_by(due.c.land_code)
        .order_by(due.c.land_code)
    )
    # Who offers it: the materialised due offering (only due organisations are in it).
    D = DueOffering
    offering = _within(
        select(D.land_code, func.count(distinct(D.organisation_id))), service, region, kind
    ).group_by(D.land_code)
    # For one service an organisation has one row per solution: count() counts them.
    per_solution = (
        _within(select(D.solution_id, func.count().label("n")), service, region, kind)
        .group_by(D.solution_id)
        .subquery("per_solution")
    )
    used = (
        select(Solution.slug, Solution.name, per_solution.c.n)
        .join(per_solution, per_solution.c.solution_id == Solution.id)
        .order_by(per_solution.c.n.desc(), Solution.slug)
    )
    return due_stmt, offering, used


def _within(stmt: Any, service_id: Any, region_id: Any, kind: Any) -> Select[Any]:
    """`stmt` over due_offering rows of the service, narrowed to the region and kind."""
    D = DueOffering
    stmt = stmt.select_from(D).where(D.service_id == service_id)
    if region_id is not None:
        stmt = stmt.join(
            OrganisationClosure,
            and_(
                OrganisationClosure.descendant_id == D.organisation_id,
                OrganisationClosure.ancestor_id == region_id,
            ),
        )
    if kind is not None:
        stmt = stmt.join(Organisation, Organisation.id == D.organisation_id).where(
            Organisation.kind == kind
        )
    return stmt
