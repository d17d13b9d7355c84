"""Services an organisation is due for and does not offer online."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, Literal, get_args

from sqlalchemy import (
    Integer,
    Select,
    String,
    bindparam,
    exists,
    func,
    literal,
    select,
    true,
)
from sqlalchemy.orm import Session, aliased

from registry.errors import NotFound
from registry.logic import asking as asking_row
from registry.logic import candidates, driver, duties, headed, lookup
from registry.logic.asking import Body, Named
from registry.logic.constants import one_of
from registry.models import (
    Adoption,
    DueOffering,
    Organisation,
    OrganisationOffered,
    Service,
    ServiceLevel,
    ServiceResponsibility,
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
    organisation: Body | Named
    due: int
    services: list[duties.LocalService]
    candidates: dict[int, list[candidates.Candidate]]
    in_progress: dict[int, list[Started]] = field(default_factory=dict)
    # candidates per gap; also when `candidates` holds none (top=0)
    totals: dict[int, int] = field(default_factory=dict)

    @property
    def offered(self) -> int:
        return self.due - len(self.services)


# Whom a gap answer names for each shown candidate: who near the organisation and who
# like it runs it (the API's answer, the pages), who near it only (the spreadsheet), or
# nobody (the budget, which shows no neighbours).
Naming = Literal["nearby and similar", "nearby", "nobody"]
NAMINGS: tuple[Naming, ...] = get_args(Naming)


def not_offered(organisation_id: Any, service_id: Any = Service.id):  # type: ignore[no-untyped-def]
    """The service (by default the current `Service` row), due for the organisation (an
    id or a bound parameter), is not offered by it: no due_offering row (one index
    lookup; the materialised effective offering)."""
    D = DueOffering
    return ~exists().where(D.organisation_id == organisation_id, D.service_id == service_id)


def priced(top: int | None, sort: str) -> bool:
    """Whether a gap answer prices candidates (then it needs the organisation's Land):
    it shows some (`top` not 0), or ranks the gaps by cost."""
    return top != 0 or sort == "cost"


def gaps(
    session: Session,
    org: Body,
    *,
    years: int = 5,
    sort: str = "score",
    start: date | None = None,
    top: int | None = None,
    named: Naming = "nearby and similar",
) -> Gaps:
    """`top`: the candidates an answer shows per gap (None: all). With top=0 and no
    ranking of the gaps by cost (the bare gap list) the gaps, how many candidates each
    has, the organisation's own adoptions for them and its offered count are one
    statement. `named`: whom to name for each shown candidate (`Naming`; an answer that
    shows no neighbours asks for fewer: the largest statement saved, or a part of it)."""
    bare = not priced(top, sort)
    local, in_progress, totals, offered = _gap_rows(session, org, count=bare)
    if bare:
        return Gaps(org, offered + len(local), local, {}, in_progress, totals)
    return _with_candidates(
        session,
        org,
        offered,
        local,
        in_progress,
        years=years,
        sort=sort,
        start=start,
        top=top,
        named=named,
    )


def asked(
    session: Session,
    key: str,
    *,
    years: int = 5,
    sort: str = "score",
    start: date | None = None,
    top: int | None = None,
    named: Naming = "nearby and similar",
) -> Gaps:
    """`gaps` with candidates (`top` not 0, or `sort=cost`) for the organisation with
    this key (ARS or slug; 404 if none): the organisation as registry.logic.asking reads
    it, its offered count and its gap rows are one statement (`_asked_statement`), as
    for the bare list: a round trip less than looking it up first."""
    assert priced(top, sort), "the bare list is `bare`"
    rows = driver.rows(session, _asked_statement(bool(lookup.ARS_RE.match(key))), {"key": key})
    if not rows:
        raise NotFound("organisation", key)
    width = asking_row.WIDTH
    org, offered = asking_row.from_row(rows[0]), rows[0][width] or 0
    local, in_progress, _ = _parsed([row[width + 1 :] for row in rows[1:]])
    return _with_candidates(
        session,
        org,
        offered,
        local,
        in_progress,
        years=years,
        sort=sort,
        start=start,
        top=top,
        named=named,
    )


def _with_candidates(
    session: Session,
    org: Body,
    offered: int,
    local: list[duties.LocalService],
    in_progress: dict[int, list[Started]],
    *,
    years: int,
    sort: str,
    start: date | None,
    top: int | None,
    named: Naming,
) -> Gaps:
    """The gap answer of these gaps with their ranked, priced candidates (`top` of them
    named as `named` says)."""
    if named not in NAMINGS:  # a typo, or the boolean this took before, must not pass
        raise ValueError(f"named: one of {NAMINGS}, not {named!r}")
    due = offered + len(local)
    if not local:
        return Gaps(org, due, local, {}, in_progress, {})
    # The gap ids just found, not the gap query again inside the candidate queries.
    gap_ids = [service.id for service in local]
    found = candidates.candidates_for(
        session,
        org,
        gap_ids,
        years=years,
        sort=sort,
        start=start,
        named=0 if named == "nobody" else top,
        similar=named == "nearby and similar",
    )
    totals = {service_id: len(listed) for service_id, listed in found.items()}
    if sort == "cost":  # across all gaps: the cheapest to close first
        local.sort(key=lambda s: (_cheapest(found.get(s.id, [])), s.ozg_id))
    return Gaps(org, due, local, found, in_progress, totals)


def _gap_rows(
    session: Session, org: Body, *, count: bool
) -> tuple[list[duties.LocalService], dict[int, list[Started]], dict[int, int], int]:
    """The gaps in OZG-ID order, the organisation's own adoptions for them (a row per
    adoption, an outer join: most gaps have none), with `count` the candidates per gap,
    and the offered count (materialised in organisation_offered): one statement of plain
    columns. Organisations without gaps ask for the offered count alone."""
    rows = driver.rows(session, _gap_statement(count), {"org": org.id})
    if not rows:
        # One row, NULL for an organisation due for nothing.
        (offered,) = driver.rows(session, _offered_statement(), {"org": org.id})[0]
        return [], {}, {}, offered or 0
    return (*_parsed(rows), rows[0][6] or 0)


def _parsed(
    rows: Sequence[Any],
) -> tuple[list[duties.LocalService], dict[int, list[Started]], dict[int, int]]:
    """The gaps, the adoptions in progress and the candidate counts of gap rows."""
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
    return local, in_progress, totals


def bare(session: Session, key: str) -> Gaps:
    """The bare gap list (no candidates shown, none priced) of the organisation with
    this key (ARS or slug; 404 if none): the organisation, its offered count, its gaps
    with their candidate counts and its own adoptions for them are one statement, the
    lookup included. It is the question asked most, and Datasette's like-for-like
    answer is one query too."""
    statement = _bare_statement(bool(lookup.ARS_RE.match(key)))
    rows = driver.rows(session, statement, {"key": key})
    if not rows:
        raise NotFound("organisation", key)
    named, offered = Named(*rows[0][:6]), rows[0][6] or 0
    local, in_progress, totals = _parsed([row[7:] for row in rows[1:]])
    return Gaps(named, offered + len(local), local, {}, in_progress, totals)


@cache
def _bare_statement(by_ars: bool) -> Any:
    """The organisation's row (by its key, with its offered count), then its gap rows
    with their candidate counts."""
    key = bindparam("key", type_=String)
    org = Organisation
    me = select(org.id, org.ars, org.slug, org.name, org.kind, org.land_code, _offered(org.id))
    return _head_and_gaps(me.where(org.ars == key if by_ars else org.slug == key), count=True)


@cache
def _asked_statement(by_ars: bool) -> Any:
    """The organisation's row as registry.logic.asking reads it (asking_row.WIDTH
    columns) and its offered count, then its gap rows (no candidate counts: the answer
    counts the candidates it ranks)."""
    me = asking_row.statement(by_ars).add_columns(_offered(Organisation.id))
    return _head_and_gaps(me, count=False)


def _head_and_gaps(me_select: Select[Any], *, count: bool) -> Any:
    """The organisation's row (`me_select`, its id first), then its gap rows, in OZG-ID
    order, then by the adopted solution's slug (registry.logic.headed)."""

    def rows_of(org: Any) -> tuple[Select[Any], list[Any]]:
        listed, adopted_slug = _gap_select(org, count)
        return listed, [Service.ozg_id, adopted_slug]

    return headed.head_and_rows(me_select, rows_of)


@cache
def _gap_statement(count: bool) -> Select[Any]:
    """Built once per shape with the organisation as a bound parameter (`org`): building
    a statement of four subqueries cost more than running it."""
    listed, adopted_slug = _gap_select(bindparam("org", type_=Integer), count)
    return listed.order_by(Service.ozg_id, adopted_slug)


def _gap_select(org: Any, count: bool) -> tuple[Select[Any], Any]:
    """The gap rows of the organisation `org` (an id or an expression), unordered, and
    the adopted solution's slug column (the second sort key)."""
    # The gaps first (due, not offered), then their services, counts and adoptions: with
    # the condition on the outer statement, PostgreSQL joined every due service's rows
    # (and looked up the solution of each adoption for them) before dropping the offered.
    due_here = duties.due_services(org, not_offered(org, ServiceLevel.service_id))
    own = _started(org)
    # The adopted solution's slug and name for the gaps' rows only: joined inside `own`,
    # every adoption of the organisation (a hundred for a city) read its solution.
    adopted = aliased(Solution)
    total, joined = candidates.count_for(org) if count else (literal(0), [])
    listed = (
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
    )
    for table, service_id in joined:
        listed = listed.outerjoin(table, service_id == Service.id)
    return listed, adopted.slug


@cache
def _offered_statement() -> Any:
    """The offered count alone (an organisation without gaps), by its SQL text: by the
    ORM's path SQLAlchemy took longer than the lookup."""
    return select(_offered(bindparam("org", type_=Integer)))


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


def one_service(session: Session, org: Body, ozg_id: str) -> tuple[duties.LocalService, bool]:
    """The service with this OZG-ID as the organisation meets it (the level executing
    it in its Land) and whether the organisation offers it online: one statement of
    plain columns (404 if there is no such service). For an organisation already read;
    the answers look theirs up with it (`asked_one_service`), and the tests hold that
    to this."""
    params = {"ozg": ozg_id, "land": org.land_code, "org": org.id}
    rows = driver.rows(session, _one_service_statement(), params)
    if not rows:
        raise NotFound("service", ozg_id)
    *summary, level, offered = rows[0]
    return duties.LocalService(duties.ServiceSummary(*summary), level), bool(offered)


def asked_one_service(
    session: Session, key: str, ozg_id: str
) -> tuple[asking_row.Asking, duties.LocalService, bool]:
    """`one_service` for the organisation with this key (ARS or slug), the organisation
    as registry.logic.asking reads it in the same statement (404 for the organisation
    first, then for the service): a round trip less than looking it up first."""
    statement = _asked_one_service_statement(bool(lookup.ARS_RE.match(key)))
    rows = driver.rows(session, statement, {"key": key, "ozg": ozg_id})
    if not rows:
        raise NotFound("organisation", key)
    width = asking_row.WIDTH
    *summary, level, offered = rows[0][width:]
    if summary[0] is None:
        raise NotFound("service", ozg_id)
    local = duties.LocalService(duties.ServiceSummary(*summary), level)
    return asking_row.from_row(rows[0]), local, bool(offered)


@cache
def _asked_one_service_statement(by_ars: bool) -> Any:
    """The organisation's row (asking_row.statement) with the service's
    (`_one_service_statement`, the organisation and its Land read from that row)
    outer-joined: no row without the organisation, NULLs without the service."""
    me = asking_row.statement(by_ars).cte("me")
    org_id = select(me.c[0]).scalar_subquery()
    land = select(me.c[asking_row.COLUMNS.index("land_code")]).scalar_subquery()
    service = _one_service_select(org_id, land).subquery("one")
    return select(*me.c, *service.c).select_from(me).outerjoin(service, true())


@cache
def _one_service_statement() -> Any:
    """Built once, the OZG-ID, the Land and the organisation as scalar parameters: with
    the service ids as an array PostgreSQL planned the offering check anew at every
    execution (0.4 ms generic against 1.1 ms planned each time)."""
    return _one_service_select(bindparam("org", type_=Integer), bindparam("land", type_=String))


def _one_service_select(org: Any, land: Any) -> Any:
    """The service with the OZG-ID `ozg` (a parameter) as the organisation `org` meets
    it in the Land `land` (ids or expressions), and whether it offers it online."""
    ozg = bindparam("ozg", type_=String)
    wanted = select(Service.id).where(Service.ozg_id == ozg).scalar_subquery()
    off = duties.offering(organisation_id=org, service_ids=lambda column: column == wanted)
    R = ServiceResponsibility
    in_land = (
        select(R.level).where(R.service_id == Service.id, R.land_code == land).scalar_subquery()
    )
    return select(
        *duties.SUMMARY_COLUMNS,
        func.coalesce(in_land, Service.executing_level),
        exists(select(off.c.service_id)),
    ).where(Service.ozg_id == ozg)
