"""How many of the organisations due for a service offer it online, per Land."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, distinct, func, select
from sqlalchemy.orm import Session

from registry.logic import duties
from registry.models import Organisation, OrganisationClosure, Service, Solution


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


def due_organisations(service: Service, region: Organisation | None, kind: str | None):  # type: ignore[no-untyped-def]
    """Ids of the organisations due for the service, within the region and kind."""
    due = duties.due_pairs(service_ids=[service.id])
    stmt = select(due.c.organisation_id)
    if region is not None:
        stmt = stmt.join(
            OrganisationClosure,
            and_(
                OrganisationClosure.descendant_id == due.c.organisation_id,
                OrganisationClosure.ancestor_id == region.id,
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
    due = due_organisations(service, region, kind).subquery("due")
    off = duties.offering(service_ids=[service.id])
    offering_orgs = select(off.c.organisation_id).distinct().subquery("offering_orgs")
    per_land_rows = session.execute(
        select(
            Organisation.land_code,
            func.count(Organisation.id),
            func.count(offering_orgs.c.organisation_id),
        )
        .join(due, due.c.organisation_id == Organisation.id)
        .outerjoin(offering_orgs, offering_orgs.c.organisation_id == Organisation.id)
        .group_by(Organisation.land_code)
        .order_by(Organisation.land_code)
    ).all()
    land_names = dict(
        session.execute(
            select(Organisation.land_code, Organisation.name).where(Organisation.kind == "land")
        ).all()
    )
    per_land = [
        LandCoverage(
            code,
            land_names.get(code),
            service.level_in(code) if code else None,
            due_count,
            offering_count,
        )
        for code, due_count, offering_count in per_land_rows
    ]
    used = session.execute(
        select(Solution.slug, Solution.name, func.count(distinct(off.c.organisation_id)))
        .join(off, off.c.solution_id == Solution.id)
        .join(due, due.c.organisation_id == off.c.organisation_id)
        .group_by(Solution.slug, Solution.name)
        .order_by(func.count(distinct(off.c.organisation_id)).desc(), Solution.slug)
    ).all()
    solutions = [{"slug": s, "name": n, "organisations": c} for s, n, c in used]
    return Coverage(service, region, kind, per_land, solutions)
