"""Services offered online per organisation: rankings and an organisation's scorecard.

Organisations are ranked by the number of services they are due for and offer online
(competition ranking: equal counts share a rank, the next rank skips).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, Select, and_, cast, func, literal, select
from sqlalchemy.orm import Session, aliased, lazyload

from registry.logic import duties
from registry.logic.paging import Page
from registry.models import (
    Organisation,
    OrganisationClosure,
    OrganisationOffered,
    Service,
    Solution,
)


@dataclass
class Standing:
    organisation: Organisation
    due: int
    offered: int
    rank: int
    peers: int


def _scope(
    *, kind: str | None = None, land_code: str | None = None, region_id: int | None = None
) -> Select[Any]:
    scope = select(Organisation.id)
    if kind:
        scope = scope.where(Organisation.kind == kind)
    if land_code:
        scope = scope.where(Organisation.land_code == land_code)
    if region_id is not None:
        scope = scope.join(
            OrganisationClosure,
            and_(
                OrganisationClosure.descendant_id == Organisation.id,
                OrganisationClosure.ancestor_id == region_id,
            ),
        )
    return scope


def _due_offered(scope: Select[Any]) -> Any:
    """(organisation_id, due, offered) for every organisation in scope that is due."""
    levels = duties.service_levels()
    per_level = (
        select(levels.c.land_code, levels.c.level, func.count().label("n"))
        .group_by(levels.c.land_code, levels.c.level)
        .subquery("per_level")
    )
    duty = duties.duty_table(scope)
    due = (
        select(duty.c.organisation_id, func.sum(per_level.c.n).label("due"))
        .join(
            per_level,
            and_(per_level.c.level == duty.c.level, per_level.c.land_code == duty.c.land_code),
        )
        .group_by(duty.c.organisation_id)
        .subquery("due")
    )
    # Materialised per organisation (registry.models.stats): counting the offering of
    # every organisation in a Land or nationwide on each request costs seconds at scale.
    offered = OrganisationOffered
    return (
        select(due.c.organisation_id, due.c.due, func.coalesce(offered.offered, 0).label("offered"))
        .outerjoin(offered, offered.organisation_id == due.c.organisation_id)
        .subquery("due_offered")
    )


def ranked(
    *, kind: str | None = None, land_code: str | None = None, region_id: int | None = None
) -> Select[Any]:
    """(organisation, due, offered, rank, peers) for every due organisation in the filter."""
    figures = _due_offered(_scope(kind=kind, land_code=land_code, region_id=region_id))
    return select(
        Organisation,
        figures.c.due,
        figures.c.offered,
        func.rank().over(order_by=figures.c.offered.desc()).label("rank"),
        func.count().over().label("peers"),
    ).join(figures, figures.c.organisation_id == Organisation.id)


def rankings(
    session: Session,
    *,
    page: int,
    page_size: int,
    kind: str | None = None,
    region: Organisation | None = None,
) -> Page:
    """One page of the ranking: one statement; a page past the end also counts.

    Every row carries `peers`, the number of ranked organisations, which is the total.
    """
    stmt = ranked(kind=kind, region_id=region.id if region else None).subquery("ranked")
    rows = session.execute(
        _standings(stmt)
        .order_by(stmt.c.rank, stmt.c.name, stmt.c.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    standings = [Standing(*row) for row in rows]
    if standings:
        total = standings[0].peers
    else:
        total = session.scalar(select(func.count()).select_from(stmt)) or 0
    return Page(standings, page, page_size, total)


def standing(session: Session, org: Organisation, *, land_code: str | None) -> Standing | None:
    """The organisation's place among the organisations of its kind (in a Land, or all).

    Counts rather than ranks: the peers, and those offering more (rank = 1 + that), so
    that no window sorts every Gemeinde in Germany to find one of them.
    """
    figures = _due_offered(_scope(kind=org.kind, land_code=land_code))
    mine = select(figures.c.due, figures.c.offered).where(figures.c.organisation_id == org.id)
    mine_row = mine.subquery("mine")
    row = session.execute(
        select(
            cast(mine_row.c.due, Integer),
            cast(mine_row.c.offered, Integer),
            cast(1 + func.count().filter(figures.c.offered > mine_row.c.offered), Integer),
            cast(func.count(), Integer),
        )
        .select_from(figures)
        .join(mine_row, literal(True))
        .group_by(mine_row.c.due, mine_row.c.offered)
    ).first()
    return Standing(org, *row) if row else None


def _standings(stmt: Any) -> Any:
    entity = aliased(Organisation, stmt)
    return select(
        entity,
        cast(stmt.c.due, Integer),
        cast(stmt.c.offered, Integer),
        cast(stmt.c.rank, Integer),
        cast(stmt.c.peers, Integer),
    ).options(lazyload(entity.duty_rows))  # standings do not show duties


@dataclass
class Offered:
    service: Any  # duties.LocalService
    solutions: list[str]


def offered(session: Session, org: Organisation) -> list[Offered]:
    """The due services the organisation offers online, with the solutions it offers
    them through (adoption, rollout or built): one statement."""
    off = duties.offering(organisation_id=org.id)
    rows = session.execute(
        select(Service, duties.service_level(org.land_code), Solution.slug)
        .join(off, off.c.service_id == Service.id)
        .join(Solution, Solution.id == off.c.solution_id)
        .where(duties.is_due(org))
        .order_by(Service.ozg_id, Solution.slug)
        .options(lazyload(Service.leika_rows), lazyload(Service.responsibilities))
    )
    found: dict[int, Offered] = {}
    for service, level, slug in rows:
        item = found.setdefault(service.id, Offered(duties.LocalService(service, level), []))
        if slug not in item.solutions:
            item.solutions.append(slug)
    return list(found.values())
