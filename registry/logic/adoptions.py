"""Create, change, delete and list adoptions (one per organisation and solution)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from registry.errors import Conflict, Invalid
from registry.logic import lookup
from registry.logic.paging import Page, paginate
from registry.models import Adoption

SIMPLE_FIELDS = (
    "status",
    "scope",
    "contracted_on",
    "live_on",
    "ended_on",
    "provenance",
    "evidence_url",
    "confirmed_on",
    "contradicted_on",
    "note",
)
# The dates must follow the order in which the stages are reached.
DATE_ORDER = ("contracted_on", "live_on", "ended_on")


def list_adoptions(
    session: Session,
    *,
    page: int,
    page_size: int,
    organisation: str | None = None,
    solution: str | None = None,
    status: str | None = None,
    scope: str | None = None,
    provenance: str | None = None,
) -> Page:
    stmt: Select[Any] = select(Adoption)
    if organisation:
        org_id = lookup.organisation(session, organisation).id
        stmt = stmt.where(Adoption.organisation_id == org_id)
    if solution:
        stmt = stmt.where(Adoption.solution_id == lookup.solution(session, solution).id)
    if status:
        stmt = stmt.where(Adoption.status == status)
    if scope:
        stmt = stmt.where(Adoption.scope == scope)
    if provenance:
        stmt = stmt.where(Adoption.provenance == provenance)
    return paginate(session, stmt.order_by(Adoption.id), page=page, page_size=page_size)


def create(session: Session, data: dict[str, Any]) -> Adoption:
    adoption = Adoption(scope="self")
    _apply(session, adoption, data)
    session.add(adoption)
    return adoption


def update(session: Session, adoption: Adoption, changes: dict[str, Any]) -> Adoption:
    _apply(session, adoption, changes)
    return adoption


def delete(session: Session, adoption: Adoption) -> None:
    session.delete(adoption)
    session.flush()


def _apply(session: Session, adoption: Adoption, data: dict[str, Any]) -> None:
    with session.no_autoflush:
        for field in SIMPLE_FIELDS:
            if field in data:
                setattr(adoption, field, data[field])
        if "organisation" in data:
            adoption.organisation = lookup.organisation(
                session, data["organisation"], field="organisation"
            )
        if "solution" in data:
            adoption.solution = lookup.solution(session, data["solution"], field="solution")
        _check(session, adoption)


def rule_problems(values: Mapping[str, Any], organisation_kind: str) -> dict[str, list[str]]:
    """The adoption's own rules, by field (empty when it keeps them): the stage dates in
    order, and a roll-out only by a body that has bodies below it. The bulk import asks
    the same function."""
    dates = [(f, value) for f in DATE_ORDER if (value := values.get(f)) is not None]
    for (earlier, first), (later, second) in itertools.pairwise(dates):
        if first > second:
            return {later: [f"{later} ({second}) lies before {earlier} ({first})."]}
    if values.get("scope") == "subordinates" and organisation_kind in NO_BODIES_BELOW:
        return {"scope": [f"A {organisation_kind} has no subordinates to roll out to."]}
    return {}


NO_BODIES_BELOW = ("gemeinde", "non_territorial")


def _check(session: Session, adoption: Adoption) -> None:
    values = {f: getattr(adoption, f) for f in (*DATE_ORDER, "scope")}
    problems = rule_problems(values, adoption.organisation.kind)
    if problems:
        raise Invalid(problems)
    clash = select(Adoption.id).where(
        Adoption.organisation_id == adoption.organisation.id,
        Adoption.solution_id == adoption.solution.id,
    )
    if adoption.id is not None:
        clash = clash.where(Adoption.id != adoption.id)
    existing = session.scalar(clash)
    if existing is not None:
        message = (
            f"{adoption.organisation.key} has adoption {existing} of "
            f"{adoption.solution.slug} already; change that one instead."
        )
        raise Conflict(message, {"solution": [message]}, existing=existing)
