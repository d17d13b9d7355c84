"""Append audit events in the writing transaction; the change feed and /audit read them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from registry.models import (
    Adoption,
    AuditCounter,
    AuditEvent,
    KoenigsteinShare,
    Organisation,
    Service,
    Solution,
)
from registry.models.base import utcnow

# The entities other systems sync; token events stay in the audit trail only.
CATALOGUE = ("organisation", "service", "solution", "adoption", "koenigstein_share")
ENTITY_TYPES = {
    Organisation: "organisation",
    Service: "service",
    Solution: "solution",
    Adoption: "adoption",
    KoenigsteinShare: "koenigstein_share",
}


def snapshot(entity: Any) -> dict[str, Any]:
    """The record as the API shows it: what a consumer of the change feed stores."""
    if isinstance(entity, KoenigsteinShare):
        return {
            "year": entity.year,
            "land_code": entity.land_code,
            "share_percent": entity.share_percent,
            "source": entity.source,
        }
    from registry.api.schemas import SCHEMAS  # the public representation lives there

    return SCHEMAS[type(entity)]().dump(entity)


def key_of(entity: Any) -> str:
    if isinstance(entity, KoenigsteinShare):
        return f"{entity.year}-{entity.land_code}"
    return str(entity.key)


# Changing these changes what GET shows of the records that refer to the changed one.
SHOWN_IN_REFERENCES = {Organisation: ("ars", "slug", "name"), Solution: ("slug", "name")}


def watch_references(session: Session, entity: Any, changes: dict[str, Any]) -> list[Any]:
    """(record, snapshot) of the records that show this one, when `changes` would alter it.

    After the change, `record_batch` gives each of them an event, so that the change feed
    stays exact: every record's latest event shows it as GET does.
    """
    if not set(SHOWN_IN_REFERENCES.get(type(entity), ())) & set(changes):
        return []
    if isinstance(entity, Organisation):
        referring: list[Any] = [
            *session.scalars(select(Organisation).where(Organisation.parent_id == entity.id)),
            *session.scalars(
                select(Solution).where(
                    (Solution.builder_id == entity.id) | (Solution.operator_id == entity.id)
                )
            ),
            *session.scalars(select(Adoption).where(Adoption.organisation_id == entity.id)),
        ]
    else:
        referring = list(session.scalars(select(Adoption).where(Adoption.solution_id == entity.id)))
    return [(r, snapshot(r)) for r in referring]


def record(
    session: Session,
    action: str,
    entity_type: str,
    key: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEvent | None:
    if action == "update" and before == after:
        return None  # nothing changed, nothing to tell
    event = AuditEvent(
        id=_next_id(session),
        at=utcnow(),
        actor=session.info.get("actor", "system"),
        action=action,
        entity_type=entity_type,
        entity_key=key,
        before=before,
        after=after,
    )
    session.add(event)
    return event


def record_batch(session: Session, changes: list[tuple[Any, dict[str, Any] | None]]) -> None:
    """Events for many created (before None) or updated entities, after one flush:
    the ids are reserved in one statement, for bulk imports."""
    events = []
    for entity, before in changes:
        after = snapshot(entity)
        if before != after:
            events.append((entity, before, after))
    if not events:
        return
    last = _next_id(session, len(events))
    actor, now = session.info.get("actor", "system"), utcnow()
    session.add_all(
        AuditEvent(
            id=last - len(events) + number,
            at=now,
            actor=actor,
            action="create" if before is None else "update",
            entity_type=ENTITY_TYPES[type(entity)],
            entity_key=key_of(entity),
            before=before,
            after=after,
        )
        for number, (entity, before, after) in enumerate(events, start=1)
    )


def created(session: Session, entity: Any) -> None:
    session.flush()
    record(session, "create", ENTITY_TYPES[type(entity)], key_of(entity), None, snapshot(entity))


def updated(session: Session, entity: Any, before: dict[str, Any]) -> None:
    session.flush()
    record(session, "update", ENTITY_TYPES[type(entity)], key_of(entity), before, snapshot(entity))


def deleted(session: Session, entity_type: str, key: str, before: dict[str, Any]) -> None:
    record(session, "delete", entity_type, key, before, None)


def reserve(session: Session, count: int) -> int:
    """Reserve `count` event ids for a bulk writer; returns the last."""
    return _next_id(session, count)


def _next_id(session: Session, count: int = 1) -> int:
    """Reserve `count` ids; returns the last. Holding the counter row's lock until commit
    makes ids visible in commit order."""
    return session.execute(
        update(AuditCounter)
        .where(AuditCounter.id == 1)
        .values(last_id=AuditCounter.last_id + count)
        .returning(AuditCounter.last_id)
    ).scalar_one()


def events(
    *,
    after: int | None = None,
    entity: str | None = None,
    key: str | None = None,
    actor: str | None = None,
    catalogue_only: bool = False,
) -> Select[Any]:
    stmt = select(AuditEvent)
    if after is not None:
        stmt = stmt.where(AuditEvent.id > after)
    if entity:
        stmt = stmt.where(AuditEvent.entity_type == entity)
    if key:
        stmt = stmt.where(AuditEvent.entity_key == key)
    if actor:
        stmt = stmt.where(AuditEvent.actor == actor)
    if catalogue_only:
        stmt = stmt.where(AuditEvent.entity_type.in_(CATALOGUE))
    return stmt.order_by(AuditEvent.id)
