"""Who near an organisation runs a solution for a service, named, nearest first; and
which municipalities like it (same kind, similar population) run it.

Distance classes, from the asking organisation's place in the hierarchy: `kreis` (in the
same Kreis — for a Kreis its own Gemeinden), `regierungsbezirk` (in the same
Regierungsbezirk), `land` (elsewhere in the same Land). Within a class, by name. An
adopter is an organisation due for the service and offering it through the solution (own
live adoption, a live rollout by an ancestor, or built it): a row of `due_offering`, the
ones `adopters_in_land` counts.

On PostgreSQL the nearby adopters are, per candidate, three ordered ranges of indexes on
`due_offering`, which carries each adopter's Kreis, Regierungsbezirk (else Kreis) and name
for this: the first SHOWN by name in the Kreis, in the rest of the Regierungsbezirk, in
the rest of the Land, each a LIMIT over an index-only scan, whoever runs the solution
(one statement; before, a city in a Regierungsbezirk of 300 organisations read all their
rows for its candidates and sorted them: 13 ms at p90 against 5). SQLite has no LATERAL: there the
Regierungsbezirk (or the Kreis) is read from the organisations' side, a few hundred
organisations' rows, and only candidates with fewer than SHOWN adopters there are looked
up in the rest of the Land (two statements, ranked by a window). Both give the rows of a
reference computed from the hierarchy (tests/test_nearby_statements.py: organisations of
every kind, every candidate pair; on PostgreSQL both statements).
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, aliased

from registry.logic import driver
from registry.logic.among import among_param, dialect_of, pairs_param, pairs_values
from registry.logic.asking import Body
from registry.logic.constants import const
from registry.models import DueOffering, Organisation, OrganisationClosure

CLASSES = ("kreis", "regierungsbezirk", "land")
DISTANCES = (*CLASSES, "similar")  # by the rank `_both_statement` gives a row
SIMILAR_RANK = DISTANCES.index("similar")
SHOWN = 5  # named per candidate; the counts say how many there are in all
SIMILAR = 3  # similar municipalities named per candidate
SPREAD = 1.5  # "similar population": within a factor of 1.5 either way
# Similar municipalities are looked for among the POOL of the same kind closest in
# population (within SPREAD): enough to name three for any solution run by more than a
# few, and a bounded question however many municipalities there are.
POOL = 50

Pairs = dict[tuple[int, int], list["Neighbour"]]


class Neighbour(NamedTuple):  # a NamedTuple: a gaps answer builds thousands of rows
    key: str
    name: str
    kind: str
    population: int | None
    distance: str


def adopters(session: Session, org: Body, wanted: list[tuple[int, int]]) -> Pairs:
    """(solution id, service id) -> up to SHOWN neighbours, for these pairs (and, from
    SQLite, other pairs of their solutions and services): one statement on PostgreSQL,
    at most two elsewhere."""
    if org.land_code is None or not wanted:
        return {}
    if dialect_of(session) == "postgresql":
        return nearest(session, org, wanted)
    return windowed(session, org, wanted)


def nearest(session: Session, org: Body, wanted: list[tuple[int, int]]) -> Pairs:
    """The PostgreSQL statement: ordered index ranges per pair (module docstring)."""
    found: Pairs = {}
    params = _nearest_params(org, wanted)
    for sol, svc, ars, slug, name, kind, population, rank in driver.rows(
        session, _nearest_statement(), params
    ):
        listed = found.setdefault((sol, svc), [])
        listed.append(Neighbour(ars or slug, name, kind, population, CLASSES[rank]))
    return found


def named_and_similar(
    session: Session, org: Body, wanted: list[tuple[int, int]]
) -> tuple[Pairs, Pairs]:
    """`adopters` and `similar` of these pairs: on PostgreSQL, where both have rows to
    look for, in one statement (`_both_statement`)."""
    if dialect_of(session) != "postgresql" or org.land_code is None or not org.population:
        return adopters(session, org, wanted), similar(session, org, wanted)
    if not wanted:
        return {}, {}
    params = {**_nearest_params(org, wanted), **_similar_params(org, wanted)}
    named: Pairs = {}
    alike: Pairs = {}
    # One object per adopter and distance: a gap answer names the same few adopters
    # again and again (a sixth of its neighbours are distinct), and the answer renders
    # each object once (registry.api.render.candidate).
    made: dict[tuple[str, int], Neighbour] = {}
    for sol, svc, ars, slug, name, kind, population, rank in driver.rows(
        session, _both_statement(), params
    ):
        key = ars or slug  # an organisation's public key: ARS, else its slug
        neighbour = made.get((key, rank))
        if neighbour is None:
            neighbour = made[key, rank] = Neighbour(key, name, kind, population, DISTANCES[rank])
        found = alike if rank == SIMILAR_RANK else named
        found.setdefault((sol, svc), []).append(neighbour)
    return named, alike


def windowed(session: Session, org: Body, wanted: list[tuple[int, int]]) -> Pairs:
    """The portable statements: a window over the Regierungsbezirk's rows, then the rest
    of the Land for the pairs short of SHOWN (module docstring)."""
    dialect = dialect_of(session)
    solution_ids, service_ids = _ids(wanted)
    params = {"org": org.id, "solutions": solution_ids, "services": service_ids}
    found = _named(session, _near_statement(dialect), params)
    short = [pair for pair in wanted if len(found.get(pair, [])) < SHOWN]
    if not short:
        return found
    params = {"org": org.id, "land": org.land_code, **pairs_values(dialect, PAIRS, short)}
    for key, more in _named(session, _rest_statement(dialect), params).items():
        found[key] = (found.get(key, []) + more)[:SHOWN]
    return found


def similar(session: Session, org: Body, wanted: list[tuple[int, int]]) -> Pairs:
    """(solution id, service id) -> up to SIMILAR due adopters of the same kind and a
    similar population (within a factor of SPREAD; among the POOL closest), closest
    population first: one statement. `distance` is `similar`."""
    if not org.population or not wanted:
        return {}
    return _named(session, _similar_statement(dialect_of(session)), _similar_params(org, wanted))


def _nearest_params(org: Body, wanted: list[tuple[int, int]]) -> dict[str, Any]:
    pairs = pairs_values("postgresql", PAIRS, sorted(set(wanted)))
    return {"org": org.id, "land": org.land_code, **pairs}


def _similar_params(org: Body, wanted: list[tuple[int, int]]) -> dict[str, Any]:
    assert org.population  # no population, no similar municipalities: not asked
    solution_ids, service_ids = _ids(wanted)
    # Integer bounds, so that the (kind, population) index serves the range.
    low, high = math.ceil(org.population / SPREAD), math.floor(org.population * SPREAD)
    return {
        "org": org.id,
        "kind": org.kind,
        "population": org.population,
        "low": low,
        "high": high,
        "solutions": solution_ids,
        "services": service_ids,
    }


# The statements are built once per process and database kind, with the organisation
# and the ids as parameters: building one (subqueries, aliases, a window) cost more than
# running it.
PAIRS = ("pair_solutions", "pair_services")


@cache
def _nearest_rows() -> tuple[Any, tuple[Any, ...]]:
    """Per wanted pair, the first SHOWN due adopters by distance class and name, named:
    ordered LIMITs over the Kreis, area and Land indexes (ix_due_offering_kreis_nearest,
    _area_nearest, _land_nearest), each class taking what the nearer ones left of SHOWN,
    in (pair, class, name) order."""
    D = DueOffering
    org = bindparam("org", type_=Integer)
    firsts = bindparam(PAIRS[0], type_=ARRAY(Integer))
    seconds = bindparam(PAIRS[1], type_=ARRAY(Integer))
    pairs = func.unnest(firsts, seconds).table_valued("solution_id", "service_id")
    pairs = pairs.render_derived(name="pairs")
    # The asking organisation's Kreis and area, once (NULL: none; then no one is in it).
    kreis = _area(org, "kreis")
    # Materialised: inlined, its two lookups were repeated as initplans in every range,
    # and the plan's cost (counted per candidate) kept PostgreSQL from a generic plan.
    here = (
        select(
            kreis.label("kreis_id"),
            func.coalesce(_area(org, "regierungsbezirk"), kreis).label("area_id"),
        )
        .cte("here")
        .prefix_with("MATERIALIZED")
    )

    def first(rank: int, limit: Any, *where: Any) -> Any:
        return (
            # Constants in the text, not parameters: a generic plan sees LIMIT 5 (the
            # Kreis's; the others are 5 less what the nearer ranges found).
            select(const(rank).label("rank"), D.organisation_id, D.name)
            .where(
                D.solution_id == pairs.c.solution_id,
                D.service_id == pairs.c.service_id,
                D.organisation_id != org,
                *where,
            )
            .order_by(D.name, D.organisation_id)
            .limit(limit)
            .correlate(pairs, here)  # the candidate's and the organisation's, outside
        )

    def taken(*ranges: Any) -> Any:
        """SHOWN less the rows the nearer ranges found."""
        left: Any = const(SHOWN)
        for found in ranges:
            left = left - select(func.count()).select_from(found).scalar_subquery()
        return left

    # Each range takes only what the nearer ones left of SHOWN, in its own order: a
    # Gemeinde whose Kreis names five reads neither its area's nor its Land's range (LIMIT
    # 0 reads nothing), where taking five of each and sorting the fifteen read all three
    # (the benchmark's 184 gap answers with gaps: the statement 2.66 -> 2.46 ms, the same
    # 75,691 rows). Every range keeps its ORDER BY: which rows a LIMIT takes never rests
    # on the order the executor runs a UNION's parts in. Nested CTEs, so that each range
    # is read once per candidate and can be counted.
    # The IS NOT NULL tests change no answer (NULL equals nothing); PostgreSQL checks
    # them once per candidate, where a kreisfreie Stadt's Kreis range read every row of
    # its Regierungsbezirk to find none.
    in_area = and_(here.c.area_id.is_not(None), D.area_id == here.c.area_id)
    # The Kreis lies in the area: its own index (ix_due_offering_kreis_nearest), not the
    # area's, where a Verbandsgemeinde's Kreis range read 80 entries of its
    # Regierungsbezirk per candidate to find three.
    in_kreis = first(0, const(SHOWN), here.c.kreis_id.is_not(None), D.kreis_id == here.c.kreis_id)
    in_kreis = in_kreis.cte("in_kreis", nesting=True)
    not_kreis = or_(here.c.kreis_id.is_(None), D.kreis_id.is_distinct_from(here.c.kreis_id))
    in_rest = first(1, taken(in_kreis), in_area, not_kreis).cte("in_area", nesting=True)
    in_land = first(
        2,
        taken(in_kreis, in_rest),
        D.land_code == bindparam("land", type_=String),
        or_(here.c.area_id.is_(None), D.area_id.is_distinct_from(here.c.area_id)),
    ).cte("in_land", nesting=True)
    ranges = union_all(select(in_kreis), select(in_rest), select(in_land)).lateral("ranges")
    rows = (
        select(
            pairs.c.solution_id,
            pairs.c.service_id,
            Organisation.ars,
            Organisation.slug,
            Organisation.name,
            Organisation.kind,
            Organisation.population,
            ranges.c.rank,
        )
        .select_from(pairs)
        .join(here, true())
        .join(ranges, true())
        .join(Organisation, Organisation.id == ranges.c.organisation_id)
    )
    return rows, (ranges.c.rank, ranges.c.name, ranges.c.organisation_id)


@cache
def _nearest_statement() -> Any:
    rows, order = _nearest_rows()
    return rows.order_by(rows.selected_columns[0], rows.selected_columns[1], *order)


@cache
def _both_statement() -> Any:
    """The nearest adopters and the similar ones in one statement (PostgreSQL): the
    second was a round trip of its own after the first, 0.1-0.3 ms amid an answer's
    Python. Rows of `_nearest_statement`, then of `_similar_statement` with rank 3
    (`similar`); each part in its own order (the order keys as columns of the union)."""
    near, order = _nearest_rows()
    near = near.add_columns(
        const(0).label("part"),
        order[0].label("k1"),
        order[1].label("k2"),
        order[2].label("k3"),
    )
    a = _similar_rows("postgresql").c
    alike = select(
        *a[:7],
        const(SIMILAR_RANK).label("rank"),
        const(1).label("part"),
        a.n.label("k1"),
        null().cast(String).label("k2"),
        null().cast(Integer).label("k3"),
    ).where(a.n <= const(SIMILAR))
    both = union_all(near, alike).subquery("both")
    c = both.c
    return select(*list(c)[:8]).order_by(c.part, c[0], c[1], c.k1, c.k2, c.k3)


@cache
def _near_statement(dialect: str) -> Any:
    """Due adopters in the organisation's Regierungsbezirk (else its Kreis), those in its
    Kreis first."""
    D, C, K = DueOffering, OrganisationClosure, aliased(OrganisationClosure)
    org = bindparam("org", type_=Integer)
    kreis = _area(org, "kreis")
    # The Regierungsbezirk where there is one, else the Kreis: its organisations first.
    area = func.coalesce(_area(org, "regierungsbezirk"), kreis)
    near = (
        select(
            D.solution_id,
            D.service_id,
            D.organisation_id,
            case((K.ancestor_id.is_not(None), literal("kreis")), else_=literal(CLASSES[1])),
        )
        .select_from(D)
        .join(C, and_(C.descendant_id == D.organisation_id, C.ancestor_id == area))
        .outerjoin(K, and_(K.descendant_id == D.organisation_id, K.ancestor_id == kreis))
        .where(
            among_param(dialect, D.solution_id, "solutions"),
            among_param(dialect, D.service_id, "services"),
            D.organisation_id != org,
        )
    )
    return _ranked(near, SHOWN, lambda distance: case((distance == "kreis", 0), else_=1))


@cache
def _rest_statement(dialect: str) -> Any:
    """Due adopters elsewhere in the organisation's Land, for the pairs short of SHOWN."""
    D, A = DueOffering, aliased(OrganisationClosure)
    org = bindparam("org", type_=Integer)
    area = func.coalesce(_area(org, "regierungsbezirk"), _area(org, "kreis"))
    rest = select(D.solution_id, D.service_id, D.organisation_id, literal("land")).where(
        pairs_param(dialect, (D.solution_id, D.service_id), PAIRS),
        D.land_code == bindparam("land", type_=String),
        D.organisation_id != org,
        ~exists().where(A.descendant_id == D.organisation_id, A.ancestor_id == area),
    )
    return _ranked(rest, SHOWN, lambda _: literal(0))


@cache
def _similar_rows(dialect: str) -> Any:
    """The similar municipalities' rows of every wanted pair, numbered (`_numbered`)."""
    population = bindparam("population", type_=Integer)
    Org = Organisation
    peers = (Org.kind == bindparam("kind", type_=String), Org.id != bindparam("org", type_=Integer))
    # The POOL closest above and the POOL closest below, each an ordered range of the
    # (kind, population) index, then the POOL closest of those: the same organisations
    # as sorting every one in the range by distance (a small Gemeinde has 3,000 of its
    # kind within a factor of 1.5), read as 100 index entries.
    above = (
        select(Org.id, Org.population)
        .where(
            *peers, Org.population >= population, Org.population <= bindparam("high", type_=Integer)
        )
        .order_by(Org.population, Org.id)
        .limit(POOL)
        .subquery("above")
    )
    below = (
        select(Org.id, Org.population)
        .where(
            *peers, Org.population < population, Org.population >= bindparam("low", type_=Integer)
        )
        .order_by(Org.population.desc(), Org.id)
        .limit(POOL)
        .subquery("below")
    )
    near = union_all(select(above), select(below)).subquery("near")
    pool = (
        select(near.c.id).order_by(func.abs(near.c.population - population), near.c.id).limit(POOL)
    )
    D = DueOffering
    wanted = (
        among_param(dialect, D.solution_id, "solutions"),
        among_param(dialect, D.service_id, "services"),
    )
    columns = (D.solution_id, D.service_id, D.organisation_id, literal("similar"))
    if dialect == "postgresql":
        # Each of the POOL looked up in its own rows (the primary key's organisation_id
        # first), as a LATERAL so that no plan can turn it round: misjudging how many
        # adopters the candidates have (57 guessed, 7,790 there for a Gemeinde's three),
        # PostgreSQL read all of them nationwide to keep the pool's (3.5 of 4.5 ms).
        pooled = pool.subquery("pool")
        own = select(*columns).where(D.organisation_id == pooled.c.id, *wanted).lateral("own")
        alike = select(own).select_from(pooled).join(own, true())
    else:
        alike = select(*columns).where(D.organisation_id.in_(pool), *wanted)
    return _numbered(alike, lambda _: func.abs(Organisation.population - population))


@cache
def _similar_statement(dialect: str) -> Any:
    return _first(_similar_rows(dialect), SIMILAR)


def _ranked(pairs: Any, limit: int, order: Any) -> Any:
    """The first `limit` of (solution_id, service_id, organisation_id, distance) rows per
    (solution, service) by `order(distance)`, then name, with the adopters' names."""
    return _first(_numbered(pairs, order), limit)


def _first(ranked: Any, limit: int) -> Any:
    return select(ranked).where(ranked.c.n <= limit).order_by(ranked.c[0], ranked.c[1], ranked.c.n)


def _numbered(pairs: Any, order: Any) -> Any:
    """The rows of `_ranked`, all of them, each with its number `n` in its pair's order."""
    rows = pairs.subquery("pairs")
    solution_id, service_id, organisation_id, distance = rows.c
    return (
        select(
            solution_id,
            service_id,
            Organisation.ars,
            Organisation.slug,
            Organisation.name,
            Organisation.kind,
            Organisation.population,
            distance.label("distance"),
            func.row_number()
            .over(
                partition_by=(solution_id, service_id),
                order_by=(order(distance), Organisation.name, Organisation.id),
            )
            .label("n"),
        )
        .select_from(rows)
        .join(Organisation, Organisation.id == organisation_id)
    ).subquery("ranked")


def _named(session: Session, statement: Any, params: dict[str, Any]) -> Pairs:
    found: Pairs = {}
    for sol, svc, ars, slug, name, kind, population, where, _ in driver.rows(
        session, statement, params
    ):
        named = Neighbour(ars or slug, name, kind, population, where)
        found.setdefault((sol, svc), []).append(named)
    return found


def _ids(pairs: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The solution and service ids of the pairs: every solution-service pair among
    them is a candidate pair (a solution is a candidate for each gap it implements)."""
    return sorted({sol for sol, _ in pairs}), sorted({svc for _, svc in pairs})


def _area(organisation_id: Any, kind: str) -> Any:
    """The Kreis (or Regierungsbezirk) the organisation lies in or is, as a scalar
    subquery (NULL when there is none: nobody is then in the same one)."""
    C, A = OrganisationClosure, aliased(Organisation)
    return (
        select(A.id)
        .join(C, C.ancestor_id == A.id)
        .where(C.descendant_id == organisation_id, A.kind == const(kind))
        .limit(const(1))
        .scalar_subquery()
    )
