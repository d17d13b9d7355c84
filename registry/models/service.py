"""Services: OZG-Leistungen."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base
from registry.models.base import Versioned
from registry.models.checks import DigitsOnly
from registry.models.vocab import LEVEL_SOURCES, LEVELS, THEMENFELDER, sql_in


class Service(Versioned, Base):
    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    ozg_id: Mapped[str] = mapped_column(String(5), unique=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    themenfeld: Mapped[str] = mapped_column(String(60), index=True)
    lebenslage: Mapped[str | None] = mapped_column(String(150))
    executing_level: Mapped[str] = mapped_column(String(10), index=True)
    executing_level_source: Mapped[str] = mapped_column(String(10), default="set")
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    # Folded text for /search (see registry.text), kept in step by registry.models.search.
    search_name: Mapped[str] = mapped_column(Text, default=" ")
    search_text: Mapped[str] = mapped_column(Text, default=" ")

    leika_rows: Mapped[list[ServiceLeikaKey]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceLeikaKey.leika_key", lazy="selectin"
    )

    __table_args__ = (
        CheckConstraint(DigitsOnly("ozg_id", 5), name="ozg_id_format"),
        CheckConstraint(sql_in("themenfeld", THEMENFELDER), name="themenfeld"),
        CheckConstraint(sql_in("executing_level", LEVELS), name="executing_level"),
        CheckConstraint(
            sql_in("executing_level_source", LEVEL_SOURCES), name="executing_level_source"
        ),
    )

    @property
    def key(self) -> str:
        return self.ozg_id

    @property
    def leika_keys(self) -> list[str]:
        return [row.leika_key for row in self.leika_rows]


class ServiceLeikaKey(Base):
    """A LeiKa key (14 digits) that belongs to the OZG-Leistung."""

    __tablename__ = "service_leika_key"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    leika_key: Mapped[str] = mapped_column(String(14), primary_key=True, index=True)

    __table_args__ = (CheckConstraint(DigitsOnly("leika_key", 14), name="leika_key_format"),)
