"""Create, change, delete and list services (OZG-Leistungen)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from registry.errors import Referenced
from registry.logic import lookup
from registry.logic.paging import Page, paginate
from registry.models import (
    Organisation,
    Service,
    ServiceLeikaKey,
    ServiceResponsibility,
    Solution,
    solution_service,
)
from registry.models.vocab import LAND_CODES

SIMPLE_FIELDS = (
    "ozg_id",
    "name",
    "themenfeld",
    "lebenslage",
    "executing_level",
    "executing_level_source",
    "executing_level_reason",
    "voluntary",
    "description",
    "source",
    "case_rate_source",
    "case_rate_assumed",
)


def list_services(
    session: Session,
    *,
    page: int,
    page_size: int,
    themenfeld: str | None = None,
    executing_level: str | None = None,
    leika_key: str | None = None,
    name: str | None = None,
) -> Page:
    stmt: Select[Any] = select(Service)
    if themenfeld:
        stmt = stmt.where(Service.themenfeld == themenfeld)
    if executing_level:
        stmt = stmt.where(Service.executing_level == executing_level)
    if leika_key:
        stmt = stmt.where(
            Service.id.in_(
                select(ServiceLeikaKey.service_id).where(ServiceLeikaKey.leika_key == leika_key)
            )
        )
    if name:
        stmt = stmt.where(Service.name.ilike(f"%{lookup.escape_like(name)}%", escape="\\"))
    return paginate(session, stmt.order_by(Service.ozg_id), page=page, page_size=page_size)


def create(session: Session, data: dict[str, Any]) -> Service:
    service = Service(executing_level_source="set")
    _apply(session, service, data)
    session.add(service)
    return service


def update(session: Session, service: Service, changes: dict[str, Any]) -> Service:
    _apply(session, service, changes)
    return service


def delete(session: Session, service: Service) -> None:
    solutions = session.scalars(
        select(Solution.slug)
        .join(solution_service, solution_service.c.solution_id == Solution.id)
        .where(solution_service.c.service_id == service.id)
        .order_by(Solution.slug)
    ).all()
    if solutions:
        raise Referenced(
            "service", service.ozg_id, [{"entity": "solution", "key": s} for s in solutions]
        )
    session.delete(service)
    session.flush()


def _apply(session: Session, service: Service, data: dict[str, Any]) -> None:
    with session.no_autoflush:
        for field in SIMPLE_FIELDS:
            if field in data:
                setattr(service, field, data[field])
        if "leika_names" in data:
            service.leika_names = sorted(set(data["leika_names"] or []))
        if "case_rate_per_1000" in data:
            rate = data["case_rate_per_1000"]
            service.case_rate_e3 = None if rate is None else round(Decimal(rate) * 1000)
        if "leika_keys" in data:
            wanted = sorted(set(data["leika_keys"] or []))
            kept = {row.leika_key: row for row in service.leika_rows}
            service.leika_rows = [kept.get(k) or ServiceLeikaKey(leika_key=k) for k in wanted]
        if "responsibilities" in data:
            _replace_responsibilities(service, data["responsibilities"] or [])
        lookup.ensure_unique(
            session, Service.ozg_id, service.ozg_id, service.id, "service", "ozg_id"
        )


def _replace_responsibilities(service: Service, rows: list[dict[str, Any]]) -> None:
    """Keep the rows that stay (so that an unchanged row is no delete and insert)."""
    kept = {row.land_code: row for row in service.responsibilities}
    replaced = []
    for wanted in sorted(rows, key=lambda r: r["land_code"]):
        row = kept.get(wanted["land_code"]) or ServiceResponsibility(land_code=wanted["land_code"])
        row.level, row.reason = wanted["level"], wanted["reason"]
        replaced.append(row)
    service.responsibilities = replaced


def responsibilities(session: Session, service: Service) -> dict[str, Any]:
    """The level executing the service in each of the 16 Länder, and why."""
    names = dict(
        session.execute(
            select(Organisation.land_code, Organisation.name).where(Organisation.kind == "land")
        ).all()
    )
    own = {row.land_code: row for row in service.responsibilities}
    items = []
    for code in LAND_CODES:
        row = own.get(code)
        items.append(
            {
                "land_code": code,
                "land_name": names.get(code),
                "level": row.level if row else service.executing_level,
                "reason": row.reason if row else service.executing_level_reason,
                "per_land": row is not None,
            }
        )
    return {
        "ozg_id": service.ozg_id,
        "name": service.name,
        "executing_level": service.executing_level,
        "executing_level_source": service.executing_level_source,
        "executing_level_reason": service.executing_level_reason,
        "voluntary": service.voluntary,
        "items": items,
    }
