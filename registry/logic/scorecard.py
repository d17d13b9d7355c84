"""Services offered online per organisation: rankings and an organisation's scorecard.

Organisations are ranked by the number of services they are due for and offer online
(competition ranking: equal counts share a rank, the next rank skips).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Integer, String, and_, bindparam, cast, func, select
from sqlalchemy.orm import Session, aliased, lazyload

from registry.errors import NotFound
from registry.logic import asking, driver, duties, headed
from registry.logic.among import among_param, dialect_of
from registry.logic.asking import Asking, Body
from registry.logic.lookup import ARS_RE
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


@dataclass
class Offered:
    service: Any  # duties.LocalService
    solutions: list[str]


@dataclass
class Card:
    """An organisation's standings (None where it has none) and the due services it
    offers online, with the solutions it offers them through."""

    in_land: Standing | None
    nationwide: Standing | None
    offered: list[Offered]


def card(session: Session, org: Body) -> Card:
    """The organisation's scorecard: one statement (`_card_statement`)."""
    rows = driver.rows(session, _card_statement(None), {"org": org.id})
    return _card(org, rows, 1)


def asked(session: Session, key: str) -> tuple[Asking, Card]:
    """The organisation with this key (ARS or slug; 404 if none) as registry.logic.asking
    reads it, and its scorecard: one statement, the lookup its head row."""
    rows = driver.rows(session, _card_statement(bool(ARS_RE.match(key))), {"key": key})
    if not rows:
        raise NotFound("organisation", key)
    org = asking.from_row(rows[0])
    return org, _card(org, rows, asking.WIDTH)


# The standing's columns in the head row of `_card_statement`.
STANDING = ("due", "offered", "in_land", "ahead_in_land", "nationwide", "ahead_nationwide")


def _card(org: Body, rows: Sequence[Any], width: int) -> Card:
    """The card of a `_card_statement`'s rows whose head carries `width` columns of the
    organisation before its standing."""
    in_land = nationwide = None
    standing = rows[0][width : width + len(STANDING)] if rows else None
    if standing is not None and standing[1] is not None:  # offered: it is due for some
        due, offered, peers_in_land, ahead_in_land, peers, ahead = (int(v) for v in standing)
        if org.land_code:  # the Bund has no Land to stand in
            in_land = Standing(org, due, offered, 1 + ahead_in_land, peers_in_land)
        nationwide = Standing(org, due, offered, 1 + ahead, peers)
    listed: dict[int, Offered] = {}
    for *summary, level, slug in (row[width + len(STANDING) :] for row in rows[1:]):
        item = listed.get(summary[0])
        if item is None:
            service = duties.LocalService(duties.ServiceSummary(*summary), level)
            item = listed[summary[0]] = Offered(service, [])
        if slug not in item.solutions:
            item.solutions.append(slug)
    return Card(in_land, nationwide, list(listed.values()))


@cache
def _card_statement(by_ars: bool | None) -> Any:
    """The organisation's row — by its ARS or slug (`key`) as registry.logic.asking reads
    it, or (`by_ars` None) its id alone, by `org` — with its standing, then the services
    it offers (registry.logic.headed). Built once per shape.

    The standing counts rather than ranks: those of its kind offering more (rank = 1 +
    that), over ranges of organisation_offered's (kind, Land, offered) and (kind,
    offered) indexes, so that no window sorts every Gemeinde in Germany to find one of
    them; the peers from offered_peers (counting every Gemeinde of Germany was most of
    the statement). Its kind and Land are those its organisation_offered row copies; no
    row there: due for nothing, no standing (`offered` NULL)."""
    if by_ars is None:
        me = select(Organisation.id).where(Organisation.id == bindparam("org", type_=Integer))
    else:
        me = asking.statement(by_ars)
    return headed.head_and_rows(me, _offered_rows, head_of=_with_standing)


def _with_standing(me: Any) -> Any:
    """`me`'s columns and the standing's (STANDING)."""
    OO, P = OrganisationOffered, OfferedPeers
    mine = aliased(OrganisationOffered, name="mine")

    def count(*where: Any) -> Any:  # a range of one of the (kind, ...) indexes
        return select(func.count()).where(OO.kind == mine.kind, *where).scalar_subquery()

    def peers(*where: Any) -> Any:  # materialised: offered_peers' rows of the kind
        total = func.coalesce(func.sum(P.organisations), 0)
        return select(total).where(P.kind == mine.kind, *where).scalar_subquery()

    # The Bund has no Land: `= NULL` counts nobody, and its Land standing is None anyway.
    here, ahead = OO.land_code == mine.land_code, OO.offered > mine.offered
    return (
        select(
            *me.c,
            duties.due_count(me.c[0]),
            mine.offered,
            peers(P.land_code == mine.land_code),
            count(here, ahead),
            peers(),
            count(ahead),
        )
        .select_from(me)
        .outerjoin(mine, mine.organisation_id == me.c[0])
    )


def _offered_rows(org: Any) -> tuple[Any, list[Any]]:
    """The due services the organisation `org` (an expression) offers online, each with
    a solution it offers it through (adoption, rollout or built), and the columns to
    order them by."""
    D = DueOffering  # the effective offering, cut to what the organisation is due for
    due_here = duties.due_services(org)
    # Plain columns, no Service objects: a Land offers hundreds of services.
    rows = (
        select(*duties.SUMMARY_COLUMNS, due_here.c.level, Solution.slug)
        .join(due_here, due_here.c.service_id == Service.id)
        .join(D, and_(D.service_id == Service.id, D.organisation_id == org))
        .join(Solution, Solution.id == D.solution_id)
    )
    return rows, [Service.ozg_id, Solution.slug]


def _standings(stmt: Any) -> Any:
    entity = aliased(Organisation, stmt)
    return select(
        entity,
        cast(stmt.c.offered, Integer),
        cast(stmt.c.rank, Integer),
        cast(stmt.c.peers, Integer),
    ).options(lazyload(entity.duty_rows))  # standings do not show duties
