"""Create, change, delete and list solutions with their price models."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from registry.errors import Invalid, Referenced
from registry.logic import lookup, prices
from registry.logic.paging import Page, paginate
from registry.models import (
    Adoption,
    KoenigsteinShare,
    Service,
    Solution,
    SolutionUrlPattern,
    solution_service,
)

SIMPLE_FIELDS = (
    "slug",
    "name",
    "description",
    "efa",
    "status",
    "maturity",
    "maturity_model",
    "channel",
    "requires_land_contract",
    "url",
    "source",
    "price_source",
)


def list_solutions(
    session: Session,
    *,
    page: int,
    page_size: int,
    builder: str | None = None,
    builder_unknown: bool | None = None,
    status: str | None = None,
    efa: bool | None = None,
    service: str | None = None,
    channel: str | None = None,
) -> Page:
    stmt: Select[Any] = select(Solution)
    if builder:
        stmt = stmt.where(Solution.builder_id == lookup.organisation(session, builder).id)
    if builder_unknown is not None:
        unknown = Solution.builder_id.is_(None)
        stmt = stmt.where(unknown if builder_unknown else ~unknown)
    if status:
        stmt = stmt.where(Solution.status == status)
    if efa is not None:
        stmt = stmt.where(Solution.efa == efa)
    if channel:
        stmt = stmt.where(Solution.channel == channel)
    if service:
        service_id = lookup.service(session, service).id
        stmt = stmt.where(
            Solution.id.in_(
                select(solution_service.c.solution_id).where(
                    solution_service.c.service_id == service_id
                )
            )
        )
    return paginate(session, stmt.order_by(Solution.slug), page=page, page_size=page_size)


def create(session: Session, data: dict[str, Any]) -> Solution:
    solution = Solution(prices=[prices.from_shorthand({"model": "free"})], reuse_terms=[])
    _apply(session, solution, data)
    session.add(solution)
    return solution


def update(session: Session, solution: Solution, changes: dict[str, Any]) -> Solution:
    _apply(session, solution, changes)
    return solution


def delete(session: Session, solution: Solution) -> None:
    adoptions = session.scalars(
        select(Adoption.id).where(Adoption.solution_id == solution.id).order_by(Adoption.id)
    ).all()
    if adoptions:
        raise Referenced(
            "solution", solution.slug, [{"entity": "adoption", "key": str(a)} for a in adoptions]
        )
    session.delete(solution)
    session.flush()


def _apply(session: Session, solution: Solution, data: dict[str, Any]) -> None:
    with session.no_autoflush:
        for field in SIMPLE_FIELDS:
            if field in data:
                setattr(solution, field, data[field])
        if "builder" in data:
            solution.builder = (
                lookup.organisation(session, data["builder"], field="builder")
                if data["builder"]
                else None
            )
        if "url_patterns" in data:
            wanted = sorted({p.lower() for p in data["url_patterns"] or []})
            kept = {row.pattern: row for row in solution.url_pattern_rows}
            solution.url_pattern_rows = [
                kept.get(p) or SolutionUrlPattern(pattern=p) for p in wanted
            ]
        if "operator" in data:
            solution.operator = (
                lookup.organisation(session, data["operator"], field="operator")
                if data["operator"]
                else None
            )
        if "services" in data:
            solution.services = _services(session, data["services"])
        if "price_periods" in data:
            _set_prices(session, solution, data["price_periods"], "prices")
        elif "price" in data:
            _set_prices(session, solution, [data["price"]], "price")
        if "reuse_terms" in data:
            solution.reuse_terms = prices.canonical_terms(data["reuse_terms"] or [])
        lookup.ensure_unique(session, Solution.slug, solution.slug, solution.id, "solution", "slug")


def _services(session: Session, ozg_ids: list[str]) -> list[Any]:
    wanted = list(dict.fromkeys(ozg_ids))
    found = {
        s.ozg_id: s for s in session.scalars(select(Service).where(Service.ozg_id.in_(wanted)))
    }
    missing = {
        f"services.{i}": [f"No service with OZG-ID '{o}'."]
        for i, o in enumerate(ozg_ids)
        if o not in found
    }
    if missing:
        raise Invalid(missing)
    return [found[o] for o in sorted(wanted)]  # as the relationship loads them


def _set_prices(
    session: Session, solution: Solution, periods: list[dict[str, Any]], field: str
) -> None:
    """Prices are replaced as a whole; every Königstein year named must have key shares."""
    for p, period in enumerate(periods):
        for c, component in enumerate(period["components"]):
            if component["key"] != "koenigstein":
                continue
            year = component["year"]
            known = session.scalar(
                select(KoenigsteinShare.year).where(KoenigsteinShare.year == year).limit(1)
            )
            if known is None:
                where = f"{field}.{p}" if field == "prices" else field
                name = (
                    f"{where}.koenigstein_year"
                    if prices.model_of(period) == "koenigstein"
                    else f"{where}.components.{c}.year"
                )
                raise Invalid({name: [f"No Königsteiner Schlüssel shares for {year}."]})
    solution.prices = periods
