"""Services an organisation is due for and does not offer online."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, exists, literal, select
from sqlalchemy.orm import Session, aliased

from registry.logic import candidates, driver, duties
from registry.logic.constants import one_of
from registry.models import (
    Adoption,
    DueOffering,
    Organisation,
    OrganisationOffered,
    Service,
    Solution,
    solution_service,
)


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


def not_offered(organisation_id: Any):  # type: ignore[no-untyped-def]
    """The current `Service` row, due for the organisation (an id or a bound parameter),
    is not offered by it: no due_offering row (one index lookup; the materialised
    effective offering)."""
    D = DueOffering
    return ~exists().where(D.organisation_id == organisation_id, D.service_id == Service.id)


def priced(top: int | None, sort: str) -> bool:
    """Whether a gap answer prices candidates (then it needs the organisation's Land):
    it shows some (`top` not 0), or ranks the gaps by cost."""
    return top != 0 or sort == "cost"


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
    ranking of the gaps by cost (the bare gap list) the gaps, how many candidates each
    has, the organisation's own adoptions for them and its offered count are one
    statement."""
    bare = not priced(top, sort)
    local, in_progress, totals, offered = _gap_rows(session, org, count=bare)
    due = offered + len(local)
    if not local or bare:
        return Gaps(org, due, local, {}, in_progress, totals)
    # The gap ids just found, not the gap query again inside the candidate queries.
    gap_ids = [service.id for service in local]
    found = candidates.candidates_for(
        session, org, gap_ids, years=years, sort=sort, start=start, named=top
    )
    totals = {service_id: len(listed) for service_id, listed in found.items()}
    if sort == "cost":  # across all gaps: the cheapest to close first
        local.sort(key=lambda s: (_cheapest(found.get(s.id, [])), s.ozg_id))
    return Gaps(org, due, local, found, in_progress, totals)


def _gap_rows(
    session: Session, org: Organisation, *, count: bool
) -> tuple[list[duties.LocalService], dict[int, list[Started]], dict[int, int], int]:
    """The gaps in OZG-ID order, the organisation's own adoptions for them (a row per
    adoption, an outer join: most gaps have none), with `count` the candidates per gap,
    and the offered count (materialised in organisation_offered): one statement of plain
    columns. Organisations without gaps ask for the offered count alone."""
    rows = driver.rows(session, _gap_statement(count), {"org": org.id})
    if not rows:
        return [], {}, {}, session.scalar(select(_offered(org.id))) or 0
    local: list[duties.LocalService] = []
    in_progress: dict[int, list[Started]] = {}
    totals: dict[int, int] = {}
    for *summary, level, n, _, slug, title, status, since in rows:
        id_ = summary[0]
        if id_ not in totals:
            local.append(duties.LocalService(duties.ServiceSummary(*summary), level))
            totals[id_] = n
        if slug is not None:
            in_progress.setdefault(id_, []).append(Started(slug, title, status, since))
    return local, in_progress, totals, rows[0][6] or 0


@cache
def _gap_statement(count: bool) -> Select[Any]:
    """Built once per shape with the organisation as a bound parameter (`org`): building
    a statement of four subqueries cost more than running it."""
    org = bindparam("org", type_=Integer)
    due_here = duties.due_services(org)
    own = _started(org)
    # The adopted solution's slug and name for the gaps' rows only: joined inside `own`,
    # every adoption of the organisation (a hundred for a city) read its solution.
    adopted = aliased(Solution)
    total = candidates.count_for(org, Service.id) if count else literal(0)
    return (
        select(
            *duties.SUMMARY_COLUMNS,
            due_here.c.level,
            total,
            _offered(org),
            adopted.slug,
            adopted.name,
            own.c.status,
            own.c.contracted_on,
        )
        .join(due_here, due_here.c.service_id == Service.id)
        .outerjoin(own, own.c.service_id == Service.id)
        .outerjoin(adopted, adopted.id == own.c.solution_id)
        .where(not_offered(org))
        .order_by(Service.ozg_id, adopted.slug)
    )


def _offered(organisation_id: Any) -> Any:
    return (
        select(OrganisationOffered.offered)
        .where(OrganisationOffered.organisation_id == organisation_id)
        .scalar_subquery()
    )


def _started(organisation_id: Any):  # type: ignore[no-untyped-def]
    """(service_id, solution_id, status, contracted_on) of the organisation's own
    adoptions (contracted, onboarding, or live while the solution is not) of the
    solutions implementing a service."""
    SS = solution_service
    return (
        select(SS.c.service_id, SS.c.solution_id, Adoption.status, Adoption.contracted_on)
        .join(SS, SS.c.solution_id == Adoption.solution_id)
        .where(
            Adoption.organisation_id == organisation_id,
            one_of(Adoption.status, candidates.CONTRACTED),
        )
        .subquery("own")
    )


def _cheapest(listed: list[candidates.Candidate]) -> tuple[int, int]:
    """(0, cents) for the cheapest unblocked priced candidate; (1, cents) when only a
    blocked one is priced; (2, 0) when none is."""
    priced = [(c.blocked_reason is not None, c.cost.total_cents) for c in listed if c.cost]
    if not priced:
        return (2, 0)
    blocked, cents = min(priced)
    return (int(blocked), cents)


def offers(session: Session, org: Organisation, service_id: int) -> bool:
    """Whether the organisation offers the service online."""
    params = {"org": org.id, "service": service_id}
    return session.scalar(_offers_statement(), params) is not None


@cache
def _offers_statement() -> Any:
    """Built once, the organisation and the service scalar parameters: with the service
    ids as an array PostgreSQL planned it anew at every execution (0.4 ms generic
    against 1.1 ms planned each time)."""
    off = duties.offering(
        organisation_id=bindparam("org", type_=Integer),
        service_ids=lambda column: column == bindparam("service", type_=Integer),
    )
    return select(off.c.service_id).limit(1)
