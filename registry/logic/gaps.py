"""Services an organisation is due for and does not offer online."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, lazyload, load_only

from registry.logic import candidates, duties
from registry.logic.among import among
from registry.models import (
    Adoption,
    DueOffering,
    Organisation,
    OrganisationOffered,
    Service,
    Solution,
    solution_service,
)

SUMMARY_COLUMNS = (Service.ozg_id, Service.name, Service.themenfeld, Service.executing_level)


@dataclass(frozen=True)
class Started:
    """A solution the organisation has adopted for a gap, not yet counting as offered."""

    solution: str
    solution_name: str
    status: str
    contracted_on: date | None


@dataclass
class Gaps:
    organisation: Organisation
    due: int
    services: list[duties.LocalService]
    candidates: dict[int, list[candidates.Candidate]]
    in_progress: dict[int, list[Started]] = field(default_factory=dict)
    # candidates per gap; also when `candidates` holds none (top=0)
    totals: dict[int, int] = field(default_factory=dict)

    @property
    def offered(self) -> int:
        return self.due - len(self.services)


def not_offered(org: Organisation):  # type: ignore[no-untyped-def]
    """The current `Service` row, due for the organisation, is not offered by it: no
    due_offering row (one index lookup; the materialised effective offering)."""
    D = DueOffering
    return ~exists().where(D.organisation_id == org.id, D.service_id == Service.id)


def gaps(
    session: Session,
    org: Organisation,
    *,
    years: int = 5,
    sort: str = "score",
    start: date | None = None,
    top: int | None = None,
) -> Gaps:
    """`top`: the candidates an answer shows per gap (None: all). With top=0 and no
    ranking of the gaps by cost, only the number of candidates per gap is counted."""
    due_here = duties.due_services(org.id)
    missing = session.execute(
        select(Service, due_here.c.level)
        .join(due_here, due_here.c.service_id == Service.id)
        .where(not_offered(org))
        .order_by(Service.ozg_id)
        # A gap shows the service's summary only: no texts, no LeiKa keys.
        .options(
            load_only(*SUMMARY_COLUMNS),
            lazyload(Service.leika_rows),
            lazyload(Service.responsibilities),
        )
    ).all()
    local = [duties.LocalService(service, level) for service, level in missing]
    # The gap ids just found, not the gap query again inside the candidate queries.
    gap_ids = [service.id for service in local]
    # due = offered + gaps: the offered count is materialised (organisation_offered).
    offered = session.scalar(
        select(OrganisationOffered.offered).where(OrganisationOffered.organisation_id == org.id)
    )
    due = (offered or 0) + len(local)
    if not local:
        return Gaps(org, due, local, {})
    found: dict[int, list[candidates.Candidate]] = {}
    if top == 0 and sort != "cost":
        totals = Counter(
            service_id for service_id, _ in candidates.pairs_for(session, org, gap_ids)
        )
    else:
        found = candidates.candidates_for(
            session, org, gap_ids, years=years, sort=sort, start=start, named=top
        )
        totals = Counter({service_id: len(listed) for service_id, listed in found.items()})
    if sort == "cost":  # across all gaps: the cheapest to close first
        local.sort(key=lambda s: (_cheapest(found.get(s.id, [])), s.ozg_id))
    return Gaps(org, due, local, found, started(session, org, gap_ids), dict(totals))


def _cheapest(listed: list[candidates.Candidate]) -> tuple[int, int]:
    """(0, cents) for the cheapest unblocked priced candidate; (1, cents) when only a
    blocked one is priced; (2, 0) when none is."""
    priced = [(c.blocked_reason is not None, c.cost.total_cents) for c in listed if c.cost]
    if not priced:
        return (2, 0)
    blocked, cents = min(priced)
    return (int(blocked), cents)


def started(session: Session, org: Organisation, service_ids: list[int]):
    """The organisation's own adoptions (contracted, onboarding, or live while the
    solution is not) of solutions implementing these services: one statement."""
    SS = solution_service
    rows = session.execute(
        select(SS.c.service_id, Solution.slug, Solution.name, Adoption.status)
        .add_columns(Adoption.contracted_on)
        .join(Solution, Solution.id == Adoption.solution_id)
        .join(SS, SS.c.solution_id == Solution.id)
        .where(
            Adoption.organisation_id == org.id,
            Adoption.status.in_(candidates.CONTRACTED),
            among(session, SS.c.service_id, service_ids),
        )
        .order_by(SS.c.service_id, Solution.slug)
    )
    found: dict[int, list[Started]] = {}
    for service_id, slug, name, status, contracted_on in rows:
        found.setdefault(service_id, []).append(Started(slug, name, status, contracted_on))
    return found


def offered_ids(session: Session, org: Organisation, service_ids: list[int]) -> set[int]:
    """Which of these services the organisation offers online."""
    off = duties.offering(organisation_id=org.id, service_ids=service_ids)
    return set(session.scalars(select(off.c.service_id).distinct()))
