"""Create, change, delete and list services (OZG-Leistungen)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from registry.errors import Referenced
from registry.logic import audit, lookup
from registry.logic.paging import Page, paginate
from registry.models import Service, ServiceLeikaKey, Solution, solution_service

SIMPLE_FIELDS = (
    "ozg_id",
    "name",
    "themenfeld",
    "lebenslage",
    "executing_level",
    "executing_level_source",
    "description",
    "source",
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
    audit.created(session, service)
    return service


def update(session: Session, service: Service, changes: dict[str, Any]) -> Service:
    before = audit.snapshot(service)
    _apply(session, service, changes)
    audit.updated(session, service, before)
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
    before, key = audit.snapshot(service), audit.key_of(service)
    session.delete(service)
    session.flush()
    audit.deleted(session, "service", key, before)


def _apply(session: Session, service: Service, data: dict[str, Any]) -> None:
    with session.no_autoflush:
        for field in SIMPLE_FIELDS:
            if field in data:
                setattr(service, field, data[field])
        if "leika_keys" in data:
            wanted = sorted(set(data["leika_keys"] or []))
            kept = {row.leika_key: row for row in service.leika_rows}
            service.leika_rows = [kept.get(k) or ServiceLeikaKey(leika_key=k) for k in wanted]
        lookup.ensure_unique(
            session, Service.ozg_id, service.ozg_id, service.id, "service", "ozg_id"
        )
