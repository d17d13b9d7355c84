"""Services offered online per organisation: rankings and an organisation's scorecard.

Organisations are ranked by the number of services they are due for and offer online
(competition ranking: equal counts share a rank, the next rank skips).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Integer, String, and_, bindparam, cast, func, select
from sqlalchemy.orm import Session, aliased, lazyload

from registry.logic import driver, duties
from registry.logic.among import among_param, dialect_of
from registry.logic.asking import Body
from registry.logic.paging import Page
from registry.models import (
    DueOffering,
    OfferedPeers,
    Organisation,
    OrganisationClosure,
    OrganisationLevel,
    OrganisationOffered,
    Service,
    ServiceLevel,
    Solution,
)


@dataclass
class Standing:
    organisation: Body
    due: int
    offered: int
    rank: int
    peers: int


def ranked(*, kind: Any = None, region_id: Any = None) -> Any:
    """(organisation, offered, rank, peers) for every due organisation in the filter,
    from the materialised figures (organisation_offered: one row per due organisation)."""
    OO = OrganisationOffered
    stmt = select(
        Organisation,
        OO.offered,
        func.rank().over(order_by=OO.offered.desc()).label("rank"),
        func.count().over().label("peers"),
    ).join(OO, OO.organisation_id == Organisation.id)
    if kind is not None:
        stmt = stmt.where(OO.kind == kind)
    if region_id is not None:
        stmt = stmt.join(
            OrganisationClosure,
            and_(
                OrganisationClosure.descendant_id == OO.organisation_id,
                OrganisationClosure.ancestor_id == region_id,
            ),
        )
    return stmt


def rankings(
    session: Session,
    *,
    page: int,
    page_size: int,
    kind: str | None = None,
    region: Organisation | None = None,
) -> Page:
    """One page of the ranking, then how many services its organisations are due for:
    two statements; a page past the end counts instead.

    Every row carries `peers`, the number of ranked organisations, which is the total.
    """
    page_stmt, due_stmt, total_stmt = _ranking_statements(
        dialect_of(session), kind is not None, region is not None
    )
    params = {
        "kind": kind,
        "region": region.id if region else None,
        "limit": page_size,
        "offset": (page - 1) * page_size,
    }
    rows = session.execute(page_stmt, params).all()
    due: dict[int, int] = {}
    if rows:
        due = dict(session.execute(due_stmt, {"ids": [row[0].id for row in rows]}).all())
    standings = [
        Standing(org, int(due.get(org.id, 0)), offered, rank, peers)
        for org, offered, rank, peers in rows
    ]
    total = standings[0].peers if standings else session.scalar(total_stmt, params) or 0
    return Page(standings, page, page_size, total)


@cache
def _ranking_statements(dialect: str, by_kind: bool, by_region: bool) -> tuple[Any, Any, Any]:
    """A page of the ranking, the due counts of its organisations (`ids`) and the number
    ranked: built once per filter shape, the kind, region, limit and offset bound."""
    stmt = ranked(
        kind=bindparam("kind", type_=String) if by_kind else None,
        region_id=bindparam("region", type_=Integer) if by_region else None,
    ).subquery("ranked")
    page = (
        _standings(stmt)
        .order_by(stmt.c.rank, stmt.c.name, stmt.c.id)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )
    L, S = OrganisationLevel, ServiceLevel
    due = (
        select(L.organisation_id, func.count())
        .select_from(S)
        .join(L, and_(L.land_code == S.land_code, L.level == S.level))
        .where(among_param(dialect, L.organisation_id, "ids"))
        .group_by(L.organisation_id)
    )
    return page, due, select(func.count()).select_from(stmt)


def standings(session: Session, org: Body) -> tuple[Standing | None, Standing | None]:
    """The organisation's place among the organisations of its kind in its Land (None
    for the Bund) and nationwide (None when it is due for nothing): one statement.

    Counts rather than ranks: those offering more (rank = 1 + that), over ranges of
    organisation_offered's (kind, Land, offered) and (kind, offered) indexes, so that no
    window sorts every Gemeinde in Germany to find one of them; the peers from
    offered_peers (counting every Gemeinde of Germany was most of the statement).
    """
    found = driver.rows(
        session, _standings_statement(), {"org": org.id, "kind": org.kind, "land": org.land_code}
    )
    row = found[0] if found else None
    if row is None:
        return None, None
    due, offered, in_land, ahead_in_land, nationwide, ahead_nationwide = (int(v) for v in row)
    land = Standing(org, due, offered, 1 + ahead_in_land, in_land) if org.land_code else None
    return land, Standing(org, due, offered, 1 + ahead_nationwide, nationwide)


@cache
def _standings_statement() -> Any:
    """Built once, with the organisation, its kind and its Land as bound parameters
    (`org`, `kind`, `land`): building it cost more than running it."""
    OO = OrganisationOffered
    org = bindparam("org", type_=Integer)
    mine = (
        select(duties.due_count(org).label("due"), OO.offered)
        .where(OO.organisation_id == org)
        .subquery("mine")
    )

    def count(*where: Any) -> Any:  # a range of one of the (kind, ...) indexes
        return (
            select(func.count())
            .where(OO.kind == bindparam("kind", type_=String), *where)
            .scalar_subquery()
        )

    def peers(*where: Any) -> Any:  # materialised: offered_peers' rows of the kind
        P = OfferedPeers
        total = func.coalesce(func.sum(P.organisations), 0)
        return select(total).where(P.kind == bindparam("kind", type_=String), *where)

    # The Bund has no Land: `= NULL` counts nobody, and its Land standing is None anyway.
    land = bindparam("land", type_=String)
    here, ahead = OO.land_code == land, OO.offered > mine.c.offered
    return select(
        mine.c.due,
        mine.c.offered,
        peers(OfferedPeers.land_code == land).scalar_subquery(),
        count(here, ahead),
        peers().scalar_subquery(),
        count(ahead),
    )


def _standings(stmt: Any) -> Any:
    entity = aliased(Organisation, stmt)
    return select(
        entity,
        cast(stmt.c.offered, Integer),
        cast(stmt.c.rank, Integer),
        cast(stmt.c.peers, Integer),
    ).options(lazyload(entity.duty_rows))  # standings do not show duties


@dataclass
class Offered:
    service: Any  # duties.LocalService
    solutions: list[str]


def offered(session: Session, org: Body) -> list[Offered]:
    """The due services the organisation offers online, with the solutions it offers
    them through (adoption, rollout or built): one statement."""
    rows = driver.rows(session, _offered_statement(), {"org": org.id})
    found: dict[int, Offered] = {}
    for *summary, level, slug in rows:
        item = found.get(summary[0])
        if item is None:
            service = duties.LocalService(duties.ServiceSummary(*summary), level)
            item = found[summary[0]] = Offered(service, [])
        if slug not in item.solutions:
            item.solutions.append(slug)
    return list(found.values())


@cache
def _offered_statement() -> Any:
    """Built once with the organisation as a bound parameter (`org`)."""
    D = DueOffering  # the effective offering, cut to what the organisation is due for
    org = bindparam("org", type_=Integer)
    due_here = duties.due_services(org)
    # Plain columns, no Service objects: a Land offers hundreds of services.
    return (
        select(*duties.SUMMARY_COLUMNS, due_here.c.level, Solution.slug)
        .join(due_here, due_here.c.service_id == Service.id)
        .join(D, and_(D.service_id == Service.id, D.organisation_id == org))
        .join(Solution, Solution.id == D.solution_id)
        .order_by(Service.ozg_id, Solution.slug)
    )
