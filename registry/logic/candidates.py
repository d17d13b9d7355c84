"""Reuse candidates: which EfA solutions could close an organisation's gap, ranked.

Ranking (the default `sort=score`): a weighted sum of components in [0, 1],
    status    0.30  live 1, pilot 0.5, development 0.2
    maturity  0.20  Reifegrad / highest level of its model (0 when unknown)
    adoption  0.20  a / (a + 10) for `a` due organisations offering the service through it
    nearby    0.15  n / (n + 3) for `n` of them in the asking organisation's Land
    cost      0.15  1 / (1 + total / 10,000 €) over the requested years (0.5 when unknown)
halved when a missing Land contract blocks the reuse. Ties go to the slug. Before the
score come a solution the organisation has already adopted (in progress: its Anbindung is
not charged again) and then the unblocked ones: what it can reuse now comes first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from typing import Any, NamedTuple

import orjson
from sqlalchemy import Integer, String, Text, and_, bindparam, cast, func, or_, select
from sqlalchemy.orm import Session, aliased

from registry.logic import costs, driver, nearby
from registry.logic.among import among_param, dialect_of
from registry.logic.asking import Body
from registry.logic.constants import const, one_of
from registry.logic.nearby import Neighbour
from registry.models import (
    Adoption,
    OfferingCount,
    Organisation,
    ServiceCandidates,
    Solution,
    solution_service,
)
from registry.models.vocab import MATURITY_MODELS

WEIGHTS = {"status": 0.30, "maturity": 0.20, "adoption": 0.20, "nearby": 0.15, "cost": 0.15}
_W_STATUS, _W_MATURITY, _W_ADOPTION, _W_NEARBY, _W_COST = (
    WEIGHTS[name] for name in ("status", "maturity", "adoption", "nearby", "cost")
)
STATUS_VALUE = {"live": 1.0, "pilot": 0.5, "development": 0.2}
CONTRACTED = ("contracted", "onboarding", "live")
BLOCKED_FACTOR = 0.5
CANDIDATE_COLUMNS = (  # in CandidateSolution's order
    Solution.id,
    Solution.slug,
    Solution.name,
    Solution.builder_id,
    Solution.status,
    Solution.maturity,
    Solution.maturity_model,
    Solution.channel,
    Solution.requires_land_contract,
    Solution.prices,
    Solution.reuse_terms,
)
SORTS = ("score", "cost", "adopters", "adopters_in_land", "maturity")


@dataclass(frozen=True, slots=True)
class Builder:
    key: str  # the public key: ARS or slug
    name: str


@dataclass(frozen=True, slots=True)
class CandidateSolution:
    """What a candidate shows and prices of a solution, read as plain columns: the
    sixty-odd `Solution` objects of a gap answer (identity map, instrumented attributes,
    the joined builder) took 1.17 ms to load, the same columns as rows 0.79."""

    id: int
    slug: str
    name: str
    builder_id: int | None
    status: str
    maturity: int | None
    maturity_model: str | None
    channel: str | None
    requires_land_contract: bool
    prices: list[dict[str, Any]]
    reuse_terms: list[dict[str, Any]]
    builder: Builder | None


@dataclass(frozen=True)
class InProgress:
    """The asking organisation's own adoption of a solution that does not count as
    offered yet: contracted, onboarding (or live while the solution is not)."""

    status: str
    contracted_on: date | None


@dataclass
class Candidate:
    service_id: int
    solution: CandidateSolution
    adopters: int = 0
    adopters_in_land: int = 0
    land_contracted: bool = False
    in_progress: InProgress | None = None
    nearby: list[Neighbour] = field(default_factory=list)
    similar: list[Neighbour] = field(default_factory=list)
    blocked_reason: str | None = None
    cost: costs.Estimate | None = None
    cost_unavailable: str | None = None
    components: dict[str, float] = field(default_factory=dict)
    score: float = 0.0


# The statements of a candidate answer are built once per process and database kind,
# with the organisation and the ids as parameters: building them cost more than running
# them (a third of a candidate answer's time).


class Pair(NamedTuple):
    service_id: int
    solution_id: int
    adopters: int  # due organisations offering the service through the solution
    adopters_in_land: int  # those of them in the asking organisation's Land
    land_contracted: bool  # the organisation's Land has contracted the solution
    own: InProgress | None  # the organisation's own contracted adoption of it


def pairs_for(
    session: Session, org: Body, service_ids: list[int], land: Body | None
) -> tuple[list[Pair], dict[int, CandidateSolution]]:
    """Every candidate pair for these services with its adopters (all, and in the
    organisation's Land), whether that Land (`land`) has contracted the solution and the
    organisation's own contracted adoption of it; and each of those solutions as a
    candidate shows and prices it: one statement. A solution implementing several of
    the services comes once per service; its prices and reuse terms are read as text
    and decoded once (a gap answer's 110 pairs hold about 60 solutions). One round trip,
    not further statements for the solutions, the counts and the adoptions: in a
    request a round trip costs more than the statement."""
    params = {
        "org": org.id,
        "services": service_ids,
        "land": org.land_code,
        "land_id": land.id if land is not None else None,
    }
    rows = driver.rows(session, _pairs_statement(dialect_of(session)), params)
    pairs: list[Pair] = []
    solutions: dict[int, CandidateSolution] = {}
    for service_id, adopters, in_land, by_land, status, signed, id_, *columns in rows:
        own = InProgress(status, signed) if status is not None else None
        pairs.append(Pair(service_id, id_, adopters, in_land, bool(by_land), own))
        if id_ not in solutions:
            solutions[id_] = _solution(id_, *columns)
    return pairs, solutions


def _solution(
    id_: int,
    slug: str,
    name: str,
    builder_id: int | None,
    status: str,
    maturity: int | None,
    model: str | None,
    channel: str | None,
    contract: bool,
    prices: str,
    terms: str,
    builder_ars: str | None,
    builder_slug: str | None,
    builder_name: str | None,
) -> CandidateSolution:
    builder = Builder(builder_ars or builder_slug or "", builder_name or "") if builder_id else None
    return CandidateSolution(
        id_,
        slug,
        name,
        builder_id,
        status,
        maturity,
        model,
        channel,
        bool(contract),
        orjson.loads(prices),
        orjson.loads(terms),
        builder,
    )


@cache
def _pairs_statement(dialect: str) -> Any:
    """The candidate pairs of the services `services` for the organisation `org`, each
    with its adopters, all and in the Land `land` (none when it is NULL: the Bund), from
    the materialised counts (registry.models.stats, kept exact on every write), and the
    solution's columns (`_solution_columns`). The counts are index lookups per pair;
    as a statement of their own over all the candidates' ids they were a hash join over
    the whole table and a round trip (1.1 ms for a city with a hundred gaps)."""
    SS, OC = solution_service, OfferingCount
    org = bindparam("org", type_=Integer)
    builder, own, by_land = aliased(Organisation), aliased(Adoption), aliased(Adoption)
    pair = (OC.solution_id == Solution.id, OC.service_id == SS.c.service_id)
    adopters = select(func.coalesce(func.sum(OC.organisations), 0)).where(*pair)
    in_land = select(OC.organisations).where(*pair, OC.land_code == bindparam("land", type_=String))

    def contracted(adoption: Any, body: Any) -> Any:
        """A contracted adoption of the solution by the body: one at most (unique per
        organisation and solution), found by an index lookup."""
        return and_(
            adoption.organisation_id == body,
            adoption.solution_id == Solution.id,
            one_of(adoption.status, CONTRACTED),
        )

    return (
        select(
            SS.c.service_id,
            adopters.scalar_subquery(),
            func.coalesce(in_land.scalar_subquery(), 0),
            by_land.id.is_not(None),
            own.status,
            own.contracted_on,
            *_solution_columns(builder),
        )
        .join(Solution, Solution.id == SS.c.solution_id)
        .outerjoin(builder, builder.id == Solution.builder_id)
        .outerjoin(own, contracted(own, org))
        # The Land's (`land_id`; NULL: none, as for the Bund).
        .outerjoin(by_land, contracted(by_land, bindparam("land_id", type_=Integer)))
        .where(among_param(dialect, SS.c.service_id, "services"), *reusable_by(org))
    )


def _solution_columns(builder: Any) -> list[Any]:
    """CANDIDATE_COLUMNS (the JSON ones as text) and the builder's key and name: the
    arguments of `_solution`."""
    columns = [
        cast(column, Text) if column in (Solution.prices, Solution.reuse_terms) else column
        for column in CANDIDATE_COLUMNS
    ]
    return [*columns, builder.ars, builder.slug, builder.name]


def reusable() -> tuple[Any, ...]:
    """A solution is a candidate for anyone but its builder: an EfA solution, not retired
    (what registry.models.stats.ServiceCandidates counts)."""
    return (Solution.efa.is_(True), Solution.status != const("retired"))


def reusable_by(organisation_id: Any) -> tuple[Any, ...]:
    """A solution is a candidate for the organisation (an id or a bound parameter): an
    EfA solution, not retired, not its own."""
    return (
        *reusable(),
        or_(Solution.builder_id.is_(None), Solution.builder_id != organisation_id),
    )


def count_for(organisation_id: Any) -> tuple[Any, list[tuple[Any, Any]]]:
    """How many candidates each service has for the organisation, for a statement over
    Service: the count and what to outer-join for it (each with its `service_id` column).
    Materialised per service (service_candidates), less those the organisation built
    itself (a grouped lookup of its own solutions: none for most organisations)."""
    SS, SC = solution_service, ServiceCandidates
    built = (
        select(SS.c.service_id, func.count().label("n"))
        .join(Solution, Solution.id == SS.c.solution_id)
        .where(Solution.builder_id == organisation_id, *reusable())
        .group_by(SS.c.service_id)
        .subquery("built")
    )
    count = func.coalesce(SC.solutions, const(0)) - func.coalesce(built.c.n, const(0))
    return count, [(SC, SC.service_id), (built, built.c.service_id)]


def candidates_for(
    session: Session,
    org: Body,
    service_ids: list[int],
    *,
    years: int = 5,
    sort: str = "score",
    start: date | None = None,
    named: int | None = None,
    similar: bool = True,
) -> dict[int, list[Candidate]]:
    """Candidates per service id, ranked; a bounded number of statements for any input.

    `named`: name nearby adopters (and similar ones, if `similar`) for the first `named`
    candidates of each service only (the ones an answer shows; they are no input to the
    ranking)."""
    land = costs.land_of(session, org)
    pairs, solutions = pairs_for(session, org, service_ids, land)
    if not pairs:
        return {}
    ctx = costs.context(session, org, list(solutions.values()), start=start, land=land)
    # The solutions the Land has contracted (a Land that built one needs no contract).
    contracted = {p.solution_id for p in pairs if p.land_contracted}
    by_service: dict[int, list[Candidate]] = defaultdict(list)
    # A solution closing several gaps costs the same for each: estimated once.
    estimates: dict[tuple[int, date | None], tuple[costs.Estimate | None, str | None]] = {}
    for p in pairs:
        candidate = Candidate(
            p.service_id, solutions[p.solution_id], p.adopters, p.adopters_in_land
        )
        # A live adoption of a live solution is an offering, not work in progress.
        if p.own and not (p.own.status == "live" and candidate.solution.status == "live"):
            candidate.in_progress = p.own
        _judge(candidate, org, ctx, contracted, years, estimates)
        by_service[candidate.service_id].append(candidate)
    for listed in by_service.values():
        listed.sort(key=sort_key(sort))
    shown = [c for listed in by_service.values() for c in listed[:named]]
    _name_adopters(session, org, shown, similar)
    return dict(by_service)


def _name_adopters(session: Session, org: Body, shown: list[Candidate], similar: bool) -> None:
    wanted = sorted({(c.solution.id, c.service_id) for c in shown})
    if similar:
        named, alike = nearby.named_and_similar(session, org, wanted)
    else:  # the nearby ones only (the gap list for spreadsheets names no others)
        named, alike = nearby.adopters(session, org, wanted), {}
    for candidate in shown:
        key = (candidate.solution.id, candidate.service_id)
        candidate.nearby, candidate.similar = named.get(key, []), alike.get(key, [])


def sort_key(sort: str):  # type: ignore[no-untyped-def]
    keys = {
        # What the organisation already contracted first, then what it can reuse now.
        "score": lambda c: (
            c.in_progress is None,
            c.blocked_reason is not None,
            -c.score,
            c.solution.slug,
        ),
        "cost": lambda c: (c.cost is None, c.cost.total_cents if c.cost else 0, c.solution.slug),
        "adopters": lambda c: (-c.adopters, -c.score, c.solution.slug),
        "adopters_in_land": lambda c: (-c.adopters_in_land, -c.score, c.solution.slug),
        "maturity": lambda c: (-c.components["maturity"], -c.score, c.solution.slug),
    }
    return keys[sort]


@cache
def _maturity(maturity: int | None, model: str | None) -> float:
    """Reifegrad / the highest level of its model, to four places (0 when unknown)."""
    if maturity is None or not model:
        return 0.0
    return round(maturity / MATURITY_MODELS[model], 4)


@cache
def _ratio(count: int, plus: int) -> float:
    """count / (count + plus) to four places: the adoption and nearby components (counts
    of organisations: a bounded set of values)."""
    return round(count / (count + plus), 4)


@lru_cache(maxsize=8192)
def _cost_value(total_cents: int) -> float:
    """1 / (1 + total / 10,000 €) to four places."""
    return round(1 / (1 + total_cents / 1_000_000), 4)


def _since(progress: InProgress) -> str:
    when = f" on {progress.contracted_on.isoformat()}" if progress.contracted_on else ""
    return f"already {progress.status} (contracted{when})"


def _judge(
    c: Candidate,
    org: Body,
    ctx: costs.Context,
    contracted: set[int],
    years: int,
    estimates: dict[tuple[int, date | None], tuple[costs.Estimate | None, str | None]],
) -> None:
    solution, land = c.solution, ctx.land
    # A Land that built the solution needs no contract with itself.
    c.land_contracted = land is not None and (
        solution.id in contracted or solution.builder_id == land.id
    )
    if solution.requires_land_contract and not c.land_contracted and org is not land:
        c.blocked_reason = (
            f"{solution.name} requires a contract of the Land "
            f"({land.name if land else 'none on record'}), which has not signed it."
        )
    signed = c.in_progress.contracted_on if c.in_progress else None
    if (solution.id, signed) not in estimates:
        try:
            estimates[solution.id, signed] = (
                costs.estimate(solution, ctx, years, contracted_on=signed),
                None,
            )
        except costs.CostUnavailable as missing:
            estimates[solution.id, signed] = (None, missing.reason)
    c.cost, c.cost_unavailable = estimates[solution.id, signed]
    if c.cost is not None and c.in_progress is not None:
        c.cost = costs.without_onboarding(c.cost, _since(c.in_progress))
    # Written out in WEIGHTS' order, each component by a cached function of its integers:
    # a gap answer judges a hundred candidates and more, and round(x, 4) of a float (a
    # correctly rounded decimal conversion) was half of the judging.
    status = STATUS_VALUE.get(solution.status, 0.0)
    maturity = _maturity(solution.maturity, solution.maturity_model)
    adoption = _ratio(c.adopters, 10)
    near = _ratio(c.adopters_in_land, 3)
    cost = _cost_value(c.cost.total_cents) if c.cost else 0.5
    c.components = {
        "status": status,
        "maturity": maturity,
        "adoption": adoption,
        "nearby": near,
        "cost": cost,
    }
    score = sum(
        (
            _W_STATUS * status,
            _W_MATURITY * maturity,
            _W_ADOPTION * adoption,
            _W_NEARBY * near,
            _W_COST * cost,
        )
    )
    c.score = round(score * (BLOCKED_FACTOR if c.blocked_reason else 1.0), 4)
