"""Columns every curated entity carries."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from registry.models.types import UtcDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


class Versioned:
    """A row version for optimistic concurrency (ETag / If-Match) and audit timestamps.

    SQLAlchemy's version counter makes every UPDATE/DELETE check the version it read,
    so two concurrent writers cannot both win, whatever the API layer does.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
