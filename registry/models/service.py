"""Services: OZG-Leistungen."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base
from registry.models.base import Versioned
from registry.models.checks import DigitsOnly
from registry.models.vocab import LAND_CODES, LEVEL_SOURCES, LEVELS, THEMENFELDER, sql_in

LEVEL_LENGTH = 16  # "gemeindeverband"


class Service(Versioned, Base):
    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    ozg_id: Mapped[str] = mapped_column(String(5), unique=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    themenfeld: Mapped[str] = mapped_column(String(60), index=True)
    lebenslage: Mapped[str | None] = mapped_column(String(150))
    # The national default; a Land whose law differs has a ServiceResponsibility row.
    executing_level: Mapped[str] = mapped_column(String(LEVEL_LENGTH), index=True)
    executing_level_source: Mapped[str] = mapped_column(String(12), default="set")
    # One line: the executing authority and its law ("Finanzamt (AO, UStG)").
    executing_level_reason: Mapped[str | None] = mapped_column(Text)
    # A freiwillige Leistung (a Musikschule, a Seniorenpass): offered where a body chooses
    # to, owed by nobody, so due for nobody (DESIGN §2 counts duties, not offers).
    voluntary: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    # Expected cases a year per 1,000 inhabitants × 1000 (exact: "13.9" is 13900), for
    # usage-based prices; with its source, or flagged as our assumption.
    case_rate_e3: Mapped[int | None] = mapped_column(Integer)
    case_rate_source: Mapped[str | None] = mapped_column(Text)
    case_rate_assumed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Names of the LeiKa Leistungen it bundles ("Hundesteuer" for Hundehaltung), searched.
    leika_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Folded text for /search (see registry.text), kept in step by registry.models.search.
    search_name: Mapped[str] = mapped_column(Text, default=" ")
    search_text: Mapped[str] = mapped_column(Text, default=" ")

    leika_rows: Mapped[list[ServiceLeikaKey]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceLeikaKey.leika_key", lazy="selectin"
    )
    responsibilities: Mapped[list[ServiceResponsibility]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceResponsibility.land_code", lazy="selectin"
    )

    __table_args__ = (
        CheckConstraint(DigitsOnly("ozg_id", 5), name="ozg_id_format"),
        CheckConstraint("case_rate_e3 IS NULL OR case_rate_e3 >= 0", name="case_rate_e3"),
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
    def case_rate_per_1000(self) -> str | None:
        """The rate as the API shows it: a decimal string ("13.9")."""
        if self.case_rate_e3 is None:
            return None
        whole, rest = divmod(self.case_rate_e3, 1000)
        return f"{whole}.{rest:03d}".rstrip("0").rstrip(".")

    @property
    def leika_keys(self) -> list[str]:
        return [row.leika_key for row in self.leika_rows]

    def level_in(self, land_code: str | None) -> str:
        """The level that executes the service in this Land (the default without one)."""
        for row in self.responsibilities:
            if row.land_code == land_code:
                return row.level
        return self.executing_level


class ServiceLeikaKey(Base):
    """A LeiKa key (14 digits) that belongs to the OZG-Leistung."""

    __tablename__ = "service_leika_key"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    leika_key: Mapped[str] = mapped_column(String(14), primary_key=True, index=True)

    __table_args__ = (CheckConstraint(DigitsOnly("leika_key", 14), name="leika_key_format"),)


class ServiceResponsibility(Base):
    """A Land whose law gives the service to another level than the national default
    (Elterngeld: Kreise and kreisfreie Städte in NRW, a Land office in Bayern)."""

    __tablename__ = "service_responsibility"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    land_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    level: Mapped[str] = mapped_column(String(LEVEL_LENGTH), index=True)
    reason: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(sql_in("land_code", LAND_CODES), name="land_code"),
        CheckConstraint(sql_in("level", LEVELS), name="level"),
    )
