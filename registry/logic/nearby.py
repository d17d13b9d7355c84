"""Who near an organisation runs a solution for a service, named, nearest first; and
which municipalities like it (same kind, similar population) run it anywhere.

Distance classes, from the asking organisation's place in the hierarchy: `kreis` (in the
same Kreis — for a Kreis its own Gemeinden), `regierungsbezirk` (in the same
Regierungsbezirk), `land` (elsewhere in the same Land). Within a class, by name. An
adopter is an organisation due for the service and offering it through the solution (own
live adoption, a live rollout by an ancestor, or built it): the ones `adopters_in_land`
counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, select
from sqlalchemy.orm import Session, aliased

from registry.logic import duties
from registry.models import Organisation, OrganisationClosure

CLASSES = ("kreis", "regierungsbezirk", "land")
SHOWN = 5  # named per candidate; the counts say how many there are in all
SIMILAR = 3  # similar municipalities named per candidate
SPREAD = 1.5  # "similar population": within a factor of 1.5 either way


@dataclass(frozen=True)
class Neighbour:
    key: str
    name: str
    kind: str
    population: int | None
    distance: str


def adopters(
    session: Session, org: Organisation, service_ids: list[int], solution_ids: list[int]
) -> dict[tuple[int, int], list[Neighbour]]:
    """(solution id, service id) -> up to SHOWN neighbours: one statement."""
    if org.land_code is None or not service_ids or not solution_ids:
        return {}
    kreis_id, bezirk_id = _area(org, "kreis"), _area(org, "regierungsbezirk")
    in_land = select(Organisation.id).where(
        Organisation.land_code == org.land_code, Organisation.id != org.id
    )
    pairs = _due_adopters(in_land, service_ids, solution_ids)
    K, R = aliased(OrganisationClosure), aliased(OrganisationClosure)
    rank = case(
        (K.ancestor_id.is_not(None), literal(0)),
        (R.ancestor_id.is_not(None), literal(1)),
        else_=literal(2),
    )
    distance = case(*((rank == n, literal(name)) for n, name in enumerate(CLASSES)))
    return _named(
        session,
        pairs,
        rank=rank,
        distance=distance,
        limit=SHOWN,
        joined=lambda stmt: stmt.outerjoin(
            K, and_(K.descendant_id == pairs.c.organisation_id, K.ancestor_id == kreis_id)
        ).outerjoin(
            R, and_(R.descendant_id == pairs.c.organisation_id, R.ancestor_id == bezirk_id)
        ),
    )


def similar(
    session: Session, org: Organisation, service_ids: list[int], solution_ids: list[int]
) -> dict[tuple[int, int], list[Neighbour]]:
    """(solution id, service id) -> up to SIMILAR due adopters anywhere of the same kind
    and a similar population (within a factor of SPREAD), closest population first:
    one statement. `distance` is `similar`."""
    if not org.population or not service_ids or not solution_ids:
        return {}
    low, high = org.population / SPREAD, org.population * SPREAD
    alike = select(Organisation.id).where(
        Organisation.kind == org.kind,
        Organisation.population.between(low, high),
        Organisation.id != org.id,
    )
    return _named(
        session,
        _due_adopters(alike, service_ids, solution_ids),
        rank=func.abs(Organisation.population - org.population),
        distance=literal("similar"),
        limit=SIMILAR,
    )


def _named(
    session: Session,
    pairs: Any,
    *,
    rank: Any,
    distance: Any,
    limit: int,
    joined: Callable[[Select[Any]], Select[Any]] = lambda stmt: stmt,
) -> dict[tuple[int, int], list[Neighbour]]:
    """The first `limit` adopters per (solution, service) by `rank`, then name."""
    ranked = joined(
        select(
            pairs.c.solution_id,
            pairs.c.service_id,
            Organisation.ars,
            Organisation.slug,
            Organisation.name,
            Organisation.kind,
            Organisation.population,
            distance.label("distance"),
            func.row_number()
            .over(
                partition_by=(pairs.c.solution_id, pairs.c.service_id),
                order_by=(rank, Organisation.name, Organisation.id),
            )
            .label("n"),
        ).join(Organisation, Organisation.id == pairs.c.organisation_id)
    ).subquery("ranked")
    rows = session.execute(
        select(ranked)
        .where(ranked.c.n <= limit)
        .order_by(ranked.c.solution_id, ranked.c.service_id, ranked.c.n)
    )
    found: dict[tuple[int, int], list[Neighbour]] = {}
    for solution_id, service_id, ars, slug, name, kind, population, where, _ in rows:
        found.setdefault((solution_id, service_id), []).append(
            Neighbour(ars or slug, name, kind, population, where)
        )
    return found


def _due_adopters(organisations: Select[Any], service_ids: list[int], solution_ids: list[int]):
    """(organisation_id, service_id, solution_id): these organisations, due for the
    service and offering it through the solution."""
    off = duties.offering(service_ids=service_ids, solution_ids=solution_ids)
    due = duties.due_pairs(organisations, service_ids)
    return (
        select(off.c.organisation_id, off.c.service_id, off.c.solution_id)
        .join(
            due,
            and_(
                due.c.organisation_id == off.c.organisation_id,
                due.c.service_id == off.c.service_id,
            ),
        )
        .distinct()
        .subquery("pairs")
    )


def _area(org: Organisation, kind: str) -> Any:
    """The Kreis (or Regierungsbezirk) the organisation lies in or is, as a scalar
    subquery (NULL when there is none: nobody is then in the same one)."""
    C, A = OrganisationClosure, aliased(Organisation)
    return (
        select(A.id)
        .join(C, C.ancestor_id == A.id)
        .where(C.descendant_id == org.id, A.kind == kind)
        .limit(1)
        .scalar_subquery()
    )
