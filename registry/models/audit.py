"""The audit trail: one event per write, in the writing transaction; the change feed reads it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, Index, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base
from registry.models.types import UtcDateTime

ACTIONS = ("create", "update", "delete")
JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class AuditEvent(Base):
    __tablename__ = "audit_event"

    # Assigned from AuditCounter inside the writing transaction (not a sequence), so ids
    # become visible in commit order and a feed reader never skips a late commit.
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(100), index=True)
    action: Mapped[str] = mapped_column(String(10))
    entity_type: Mapped[str] = mapped_column(String(30))
    entity_key: Mapped[str] = mapped_column(String(100))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)

    __table_args__ = (
        CheckConstraint("action IN ('create', 'update', 'delete')", name="action"),
        Index("ix_audit_event_entity_type_entity_key", "entity_type", "entity_key"),
    )


class AuditCounter(Base):
    """A single row holding the last audit id; its row lock orders concurrent writers."""

    __tablename__ = "audit_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger)
    # The key of the answers' tags (registry.api.conditional), random per registry
    # (migration 0017): only the registry can make a tag.
    tag_key: Mapped[str] = mapped_column(String(32))

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
