"""What one organisation offers online that another lacks, and the reverse."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from registry.logic import duties
from registry.logic.gaps import not_offered
from registry.models import Organisation, Service, Solution


@dataclass
class Difference:
    """Services `has` offers, `lacks` is due for and does not offer; with `has`'s solutions."""

    has: Organisation
    lacks: Organisation
    services: list[tuple[duties.LocalService, list[tuple[Solution, str]]]]


def difference(session: Session, has: Organisation, lacks: Organisation) -> Difference:
    off = duties.offering(organisation_id=has.id)
    due_there = duties.due_services(lacks.id)
    rows = session.execute(
        select(Service, Solution, off.c.via, due_there.c.level)
        .join(due_there, due_there.c.service_id == Service.id)
        .join(off, off.c.service_id == Service.id)
        .join(Solution, Solution.id == off.c.solution_id)
        .where(not_offered(lacks.id))
        .order_by(Service.ozg_id, Solution.slug)
        .options(
            lazyload(Service.leika_rows),
            lazyload(Service.responsibilities),
            lazyload(Solution.services),
        )
    ).all()
    grouped: dict[int, tuple[duties.LocalService, list[tuple[Solution, str]]]] = {}
    seen: dict[int, set[int]] = defaultdict(set)
    for service, solution, via, level in rows:
        entry = grouped.setdefault(service.id, (duties.LocalService(service, level), []))
        if solution.id not in seen[service.id]:  # own adoption and rollout of one solution
            seen[service.id].add(solution.id)
            entry[1].append((solution, via))
    return Difference(has, lacks, list(grouped.values()))
