"""API tokens: stored only as SHA-256 hashes; a revoked token stays for the audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base
from registry.models.base import utcnow
from registry.models.organisation import Organisation
from registry.models.types import UtcDateTime

ROLES = ("admin", "editor")


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(10))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint("role IN ('admin', 'editor')", name="role"),
        CheckConstraint(
            "(role = 'editor') = (organisation_id IS NOT NULL)", name="editor_has_organisation"
        ),
    )
