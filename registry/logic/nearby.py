"""Who near an organisation runs a solution for a service, named, nearest first.

Distance classes, from the asking organisation's place in the hierarchy: `kreis` (in the
same Kreis — for a Kreis its own Gemeinden), `regierungsbezirk` (in the same
Regierungsbezirk), `land` (elsewhere in the same Land). Within a class, by name. An
adopter is an organisation due for the service and offering it through the solution (own
live adoption, a live rollout by an ancestor, or built it): the ones `adopters_in_land`
counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session, aliased

from registry.logic import duties
from registry.models import Organisation, OrganisationClosure

CLASSES = ("kreis", "regierungsbezirk", "land")
SHOWN = 5  # named per candidate; the counts say how many there are in all


@dataclass(frozen=True)
class Neighbour:
    key: str
    name: str
    kind: str
    distance: str


def adopters(
    session: Session, org: Organisation, service_ids: list[int], solution_ids: list[int]
) -> dict[tuple[int, int], list[Neighbour]]:
    """(solution id, service id) -> up to SHOWN neighbours: one or two statements."""
    if org.land_code is None or not service_ids or not solution_ids:
        return {}
    kreis_id, bezirk_id = _areas(session, org)
    off = duties.offering(service_ids=service_ids, solution_ids=solution_ids)
    in_land = select(Organisation.id).where(Organisation.land_code == org.land_code)
    due = duties.due_pairs(in_land, service_ids)
    pairs = (
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
    K, R = aliased(OrganisationClosure), aliased(OrganisationClosure)
    distance = case(
        (K.ancestor_id.is_not(None), literal(0)),
        (R.ancestor_id.is_not(None), literal(1)),
        else_=literal(2),
    )
    ranked = (
        select(
            pairs.c.solution_id,
            pairs.c.service_id,
            Organisation.ars,
            Organisation.slug,
            Organisation.name,
            Organisation.kind,
            distance.label("distance"),
            func.row_number()
            .over(
                partition_by=(pairs.c.solution_id, pairs.c.service_id),
                order_by=(distance, Organisation.name, Organisation.id),
            )
            .label("n"),
        )
        .join(Organisation, Organisation.id == pairs.c.organisation_id)
        .outerjoin(
            K,
            and_(K.descendant_id == pairs.c.organisation_id, K.ancestor_id == (kreis_id or -1)),
        )
        .outerjoin(
            R,
            and_(R.descendant_id == pairs.c.organisation_id, R.ancestor_id == (bezirk_id or -1)),
        )
        .where(Organisation.land_code == org.land_code, Organisation.id != org.id)
        .subquery("ranked")
    )
    rows = session.execute(
        select(ranked)
        .where(ranked.c.n <= SHOWN)
        .order_by(ranked.c.solution_id, ranked.c.service_id, ranked.c.n)
    )
    found: dict[tuple[int, int], list[Neighbour]] = {}
    for solution_id, service_id, ars, slug, name, kind, rank, _ in rows:
        found.setdefault((solution_id, service_id), []).append(
            Neighbour(ars or slug, name, kind, CLASSES[rank])
        )
    return found


def _areas(session: Session, org: Organisation) -> tuple[int | None, int | None]:
    """The Kreis and the Regierungsbezirk the organisation lies in (or is)."""
    C = OrganisationClosure
    rows = session.execute(
        select(Organisation.id, Organisation.kind)
        .join(C, C.ancestor_id == Organisation.id)
        .where(C.descendant_id == org.id, Organisation.kind.in_(("kreis", "regierungsbezirk")))
    )
    areas = {kind: ancestor for ancestor, kind in rows}
    return areas.get("kreis"), areas.get("regierungsbezirk")
