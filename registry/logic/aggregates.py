"""Recount the materialised offering figures (registry.models.stats) for what went stale."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Select,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    union,
    update,
)
from sqlalchemy.orm import Session, aliased

from registry.logic import candidates, duties
from registry.models import (
    Adoption,
    Organisation,
    OrganisationClosure,
    Solution,
    solution_service,
)
from registry.models.stats import (
    NO_LAND,
    DueOffering,
    OfferedPeers,
    OfferingCount,
    OrganisationLevel,
    OrganisationOffered,
    ServiceCandidates,
    ServiceLevel,
    Stale,
)

# Beyond this many organisations one pass over all is cheaper than a long IN list.
WHOLESALE = 3_000
# Beyond this many solutions with changed adoptions, recount them whole (bulk writes).
NARROW_SOLUTIONS = 20


def recount(session: Session, mark: Stale) -> None:
    if mark.everything:
        for table in (
            OfferingCount,
            OfferedPeers,
            OrganisationOffered,
            DueOffering,
            OrganisationLevel,
            ServiceLevel,
            ServiceCandidates,
        ):
            session.execute(delete(table))
        _insert_service_levels(session, None)
        _insert_levels(session, None)
        _insert_due(session, None)
        _insert_counts(session, None)
        _insert_offered(session, None)
        _recount_peers(session, None)
        _insert_candidates(session)
        return
    if mark.candidates:
        session.execute(delete(ServiceCandidates))
        _insert_candidates(session)
    everyone_due = bool(mark.services)
    if mark.services:
        changed = sorted(mark.services)
        session.execute(delete(ServiceLevel).where(ServiceLevel.service_id.in_(changed)))
        _insert_service_levels(session, changed)
        implementing = set(
            session.scalars(
                select(solution_service.c.solution_id).where(
                    solution_service.c.service_id.in_(sorted(mark.services))
                )
            )
        )
        # a service no solution implements is offered by nobody: nothing to recount
        mark.solutions |= implementing
        mark.reached_by |= implementing
    if mark.touched:
        touched = sorted(mark.touched)
        if len(touched) > WHOLESALE:  # a Land's or Germany's import: all, no long IN lists
            session.execute(delete(OrganisationLevel))
            _insert_levels(session, None)
        else:
            session.execute(
                delete(OrganisationLevel).where(OrganisationLevel.organisation_id.in_(touched))
            )
            _insert_levels(session, touched)
        mark.solutions |= set(session.scalars(_reaching(sorted(mark.touched))))
        mark.organisations |= mark.touched
    # Every change reaches due_offering through the solutions it concerns (a touched
    # organisation through the solutions reaching it, a service through those implementing
    # it) and is recounted by solution; a changed adoption only moves the rows of its
    # organisation (its subtree, rolled out). The two counts are then sums of it.
    narrow = _adopted(session, mark)
    if mark.solutions:
        ids = sorted(mark.solutions)
        session.execute(delete(DueOffering).where(DueOffering.solution_id.in_(ids)))
        session.execute(delete(OfferingCount).where(OfferingCount.solution_id.in_(ids)))
        _insert_due(session, ids)
        _insert_counts(session, ids)
    for solution_id, reached in sorted(narrow.items()):
        session.execute(
            delete(DueOffering).where(
                DueOffering.solution_id == solution_id, DueOffering.organisation_id.in_(reached)
            )
        )
        _insert_due(session, [solution_id], reached)
        session.execute(delete(OfferingCount).where(OfferingCount.solution_id == solution_id))
        _insert_counts(session, [solution_id])
    if mark.renamed:  # rows inserted above already carry the new name; this is the rest
        _rename(session, sorted(mark.renamed))
    scope = _organisations(mark)
    if everyone_due:  # who is due for a service changed: every organisation's due count
        _recount_due(session)
    if scope is not None:
        # Materialised once: the DELETE and the INSERT must see the same set.
        ids = sorted(set(session.scalars(scope)))
        if len(ids) > WHOLESALE:
            session.execute(delete(OrganisationOffered))
            _insert_offered(session, None)
            _recount_peers(session, None)
        elif ids:
            # Only a touched organisation (new, or its kind, Land or duties changed) can
            # change its row's group or whether it has one (being due for anything is its
            # levels against the services', and services go through _recount_due): an
            # adoption's write reads no peers at all.
            moved = sorted(mark.touched)
            before = _peer_groups(session, moved) if moved else {}
            session.execute(
                delete(OrganisationOffered).where(OrganisationOffered.organisation_id.in_(ids))
            )
            _insert_offered(session, ids)
            after = _peer_groups(session, moved) if moved else {}
            if after != before:
                _recount_peers(session, set(before) | set(after))


def _adopted(session: Session, mark: Stale) -> dict[int, list[int]]:
    """Per solution whose adoptions alone changed, the organisations whose rows may have
    moved; a solution recounted whole anyway, or reaching too many, joins mark.solutions."""
    narrow = {s: orgs for s, orgs in mark.adopted.items() if s not in mark.solutions}
    if len(narrow) > NARROW_SOLUTIONS:  # a bulk change: whole solutions are cheaper
        mark.solutions |= set(narrow)
        return {}
    C = OrganisationClosure
    found: dict[int, list[int]] = {}
    for solution_id, (own, subtrees) in narrow.items():
        reached = select(Organisation.id).where(Organisation.id.in_(sorted(own)))
        if subtrees:
            below = select(C.descendant_id).where(C.ancestor_id.in_(sorted(subtrees)))
            reached = select(union(reached, below).subquery().c[0])
        ids = sorted(set(session.scalars(reached)))
        if len(ids) > WHOLESALE:
            mark.solutions.add(solution_id)
        else:
            found[solution_id] = ids
    return found


def equals_full_recount(session: Session) -> bool:
    """Whether the stored figures are what a full recount gives (nothing is changed)."""
    savepoint = session.begin_nested()
    kept = _figures(session)
    recount(session, Stale(everything=True))
    exact = kept == _figures(session)
    savepoint.rollback()
    return exact


def _figures(session: Session) -> tuple[set[Any], set[Any], set[Any]]:
    counts = session.execute(
        select(
            OfferingCount.solution_id,
            OfferingCount.service_id,
            OfferingCount.land_code,
            OfferingCount.organisations,
        )
    ).all()
    OO = OrganisationOffered
    offered = session.execute(select(OO.organisation_id, OO.kind, OO.land_code, OO.offered)).all()
    peers = session.execute(
        select(OfferedPeers.kind, OfferedPeers.land_code, OfferedPeers.organisations)
    ).all()
    due = session.execute(
        select(
            DueOffering.organisation_id,
            DueOffering.service_id,
            DueOffering.solution_id,
            DueOffering.land_code,
            DueOffering.kreis_id,
            DueOffering.area_id,
            DueOffering.name,
        )
    ).all()
    levels = session.execute(
        select(
            OrganisationLevel.organisation_id, OrganisationLevel.level, OrganisationLevel.land_code
        )
    ).all()
    services = session.execute(
        select(ServiceLevel.service_id, ServiceLevel.land_code, ServiceLevel.level)
    ).all()
    reusable = session.execute(
        select(ServiceCandidates.service_id, ServiceCandidates.solutions)
    ).all()
    return (
        set(counts) | {("candidates", *row) for row in reusable},
        set(offered) | {("peers", *row) for row in peers},
        set(due) | {("level", *row) for row in levels} | {("service", *row) for row in services},
    )


def _reaching(organisation_ids: list[int]) -> Select[Any]:
    """Solutions that may offer a service to these organisations: adopted by them or
    rolled out over them by an ancestor, or built by them."""
    C = OrganisationClosure
    adopted = (
        select(Adoption.solution_id)
        .join(
            C,
            and_(
                C.ancestor_id == Adoption.organisation_id,
                or_(C.depth == 0, Adoption.scope == "subordinates"),
            ),
        )
        .where(C.descendant_id.in_(organisation_ids))
    )
    built = select(Solution.id).where(Solution.builder_id.in_(organisation_ids))
    return select(union(adopted, built).subquery().c[0])


def _organisations(mark: Stale) -> Select[Any] | None:
    """Ids of the organisations whose offered count may have changed."""
    C = OrganisationClosure
    parts: list[Select[Any]] = []
    if mark.organisations:
        parts.append(select(Organisation.id).where(Organisation.id.in_(sorted(mark.organisations))))
    if mark.subtrees:
        parts.append(select(C.descendant_id).where(C.ancestor_id.in_(sorted(mark.subtrees))))
    if mark.reached_by:
        reached = sorted(mark.reached_by)
        parts.append(
            select(C.descendant_id)
            .join(
                Adoption,
                and_(
                    Adoption.organisation_id == C.ancestor_id,
                    or_(C.depth == 0, Adoption.scope == "subordinates"),
                ),
            )
            .where(Adoption.solution_id.in_(reached))
        )
        parts.append(select(Solution.builder_id).where(Solution.id.in_(reached)))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else select(union(*parts).subquery().c[0])


def _insert_service_levels(session: Session, service_ids: list[int] | None) -> None:
    levels = duties.computed_service_levels(service_ids)
    session.execute(
        insert(ServiceLevel).from_select(
            ["service_id", "land_code", "level"],
            select(levels.c.service_id, levels.c.land_code, levels.c.level),
        )
    )


def _insert_levels(session: Session, organisation_ids: list[int] | None) -> None:
    narrow = None
    if organisation_ids is not None:
        narrow = select(Organisation.id).where(Organisation.id.in_(organisation_ids))
    duty = duties.duty_table(narrow)
    rows = select(duty.c.organisation_id, duty.c.level, duty.c.land_code).distinct()
    session.execute(
        insert(OrganisationLevel).from_select(["organisation_id", "level", "land_code"], rows)
    )


def _insert_due(
    session: Session, solution_ids: list[int] | None, organisation_ids: list[int] | None = None
) -> None:
    """The effective offering (registry.logic.duties.offering), only where the
    organisation is due for the service at the level the service has in its Land."""
    if organisation_ids is not None and not organisation_ids:
        return
    off = duties.offering(solution_ids=solution_ids, organisation_id=organisation_ids)
    duty = duties.duty_table(
        None
        if organisation_ids is None
        else select(Organisation.id).where(Organisation.id.in_(organisation_ids))
    )
    levels = duties.service_levels()
    place = places(organisation_ids)
    rows = (
        select(
            off.c.organisation_id,
            off.c.service_id,
            off.c.solution_id,
            duty.c.land_code,
            place.c.kreis_id,
            func.coalesce(place.c.bezirk_id, place.c.kreis_id),
            Organisation.name,
        )
        .join(duty, duty.c.organisation_id == off.c.organisation_id)
        .join(Organisation, Organisation.id == off.c.organisation_id)
        .outerjoin(place, place.c.organisation_id == off.c.organisation_id)
        .join(
            levels,
            and_(
                levels.c.service_id == off.c.service_id,
                levels.c.land_code == duty.c.land_code,
                levels.c.level == duty.c.level,
            ),
        )
        # adopted and built, or adopted and rolled out over it: one row
        .distinct()
    )
    session.execute(
        insert(DueOffering).from_select(
            [
                "organisation_id",
                "service_id",
                "solution_id",
                "land_code",
                "kreis_id",
                "area_id",
                "name",
            ],
            rows,
        )
    )


def places(organisation_ids: list[int] | None) -> Any:
    """(organisation_id, kreis_id, bezirk_id): the Kreis and the Regierungsbezirk each
    organisation lies in or is, for those lying in one (None: all); one pass over the
    closure, not a lookup per row (a full recount writes 600,000 rows)."""
    C, A = OrganisationClosure, aliased(Organisation)
    rows = (
        select(
            C.descendant_id.label("organisation_id"),
            func.max(case((A.kind == "kreis", A.id))).label("kreis_id"),
            func.max(case((A.kind == "regierungsbezirk", A.id))).label("bezirk_id"),
        )
        .join(A, A.id == C.ancestor_id)
        .where(A.kind.in_(("kreis", "regierungsbezirk")))
        .group_by(C.descendant_id)
    )
    if organisation_ids is not None:
        rows = rows.where(C.descendant_id.in_(organisation_ids))
    return rows.subquery("place")


def _rename(session: Session, organisation_ids: list[int]) -> None:
    """Copy the organisations' new names into their due_offering rows."""
    name = select(Organisation.name).where(Organisation.id == DueOffering.organisation_id)
    session.execute(
        update(DueOffering)
        .where(DueOffering.organisation_id.in_(organisation_ids))
        .values(name=name.scalar_subquery())
    )


def _insert_counts(session: Session, solution_ids: list[int] | None) -> None:
    D = DueOffering
    rows = select(D.solution_id, D.service_id, D.land_code, func.count()).group_by(
        D.solution_id, D.service_id, D.land_code
    )
    if solution_ids is not None:
        rows = rows.where(D.solution_id.in_(solution_ids))
    session.execute(
        insert(OfferingCount).from_select(
            ["solution_id", "service_id", "land_code", "organisations"], rows
        )
    )


def _recount_due(session: Session) -> None:
    """Who is due for anything may have changed: delete the rows of organisations due for
    nothing any more, insert those newly due (the others' rows stay: their offered count
    moves only with due_offering, which the solutions' recount handles)."""
    OO = OrganisationOffered
    due = duties.due_counts()
    session.execute(delete(OO).where(OO.organisation_id.not_in(select(due.c.organisation_id))))
    new = sorted(
        session.scalars(
            select(due.c.organisation_id).where(
                ~exists().where(OO.organisation_id == due.c.organisation_id)
            )
        )
    )
    if len(new) > WHOLESALE:  # the first services of a level: rewrite it whole
        session.execute(delete(OO))
        _insert_offered(session, None)
    elif new:
        _insert_offered(session, new)
    _recount_peers(session, None)  # rows left and came in every group: a catalogue change


def _peer_land() -> Any:
    return func.coalesce(OrganisationOffered.land_code, NO_LAND)


def _peer_groups(session: Session, ids: list[int]) -> dict[tuple[str, str], int]:
    """How many of these organisations' organisation_offered rows each (kind, Land) has."""
    OO, land = OrganisationOffered, _peer_land()
    rows = session.execute(
        select(OO.kind, land, func.count())
        .where(OO.organisation_id.in_(ids))
        .group_by(OO.kind, land)
    )
    return {(kind, land_code): n for kind, land_code, n in rows}


def _recount_peers(session: Session, groups: set[tuple[str, str]] | None) -> None:
    """offered_peers from organisation_offered: every (kind, Land), or these."""
    OO, P, land = OrganisationOffered, OfferedPeers, _peer_land()
    counted = select(OO.kind, land, func.count()).group_by(OO.kind, land)
    columns = ["kind", "land_code", "organisations"]
    if groups is None:
        session.execute(delete(P))
        session.execute(insert(P).from_select(columns, counted))
        return
    for kind, land_code in sorted(groups):  # one or two: the organisation's kind and Land
        session.execute(delete(P).where(P.kind == kind, P.land_code == land_code))
        session.execute(
            insert(P).from_select(columns, counted.where(OO.kind == kind, land == land_code))
        )


def _insert_candidates(session: Session) -> None:
    """service_candidates: per service, its EfA solutions that are not retired."""
    SS = solution_service
    counted = (
        select(SS.c.service_id, func.count())
        .join(Solution, Solution.id == SS.c.solution_id)
        .where(*candidates.reusable())
        .group_by(SS.c.service_id)
    )
    session.execute(insert(ServiceCandidates).from_select(["service_id", "solutions"], counted))


def _insert_offered(session: Session, organisation_ids: list[int] | None) -> None:
    """Every organisation due for something: its kind and Land and how many of the
    services it is due for it offers (due_offering)."""
    D = DueOffering
    due_q = duties.due_counts(organisation_ids)
    offered = select(D.organisation_id, func.count(func.distinct(D.service_id)).label("n"))
    if organisation_ids is not None:
        offered = offered.where(D.organisation_id.in_(organisation_ids))
    offered_q = offered.group_by(D.organisation_id).subquery("offered")
    rows = (
        select(
            Organisation.id,
            Organisation.kind,
            Organisation.land_code,
            func.coalesce(offered_q.c.n, 0),
        )
        .join(due_q, due_q.c.organisation_id == Organisation.id)
        .outerjoin(offered_q, offered_q.c.organisation_id == Organisation.id)
    )
    session.execute(
        insert(OrganisationOffered).from_select(
            ["organisation_id", "kind", "land_code", "offered"], rows
        )
    )
