"""Organisations: territorial bodies keyed by ARS, others by slug."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base
from registry.models.base import Versioned
from registry.models.checks import DigitsOnly
from registry.models.vocab import LAND_CODES, LEVELS, ORGANISATION_KINDS, sql_in


class Organisation(Versioned, Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    ars: Mapped[str | None] = mapped_column(String(12), unique=True)
    slug: Mapped[str | None] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    land_code: Mapped[str | None] = mapped_column(String(2), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    population: Mapped[int | None] = mapped_column(Integer)
    population_date: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(Text)
    # Folded text for /search (see registry.text), kept in step by registry.models.search.
    search_name: Mapped[str] = mapped_column(Text, default=" ")
    search_text: Mapped[str] = mapped_column(Text, default=" ")

    parent: Mapped[Organisation | None] = relationship(remote_side=[id], lazy="joined")
    duty_rows: Mapped[list[OrganisationDuty]] = relationship(
        cascade="all, delete-orphan", order_by="OrganisationDuty.level", lazy="selectin"
    )
    # The Land the organisation lies in (a Land: itself), read-only: cost estimates need
    # its population and key share, and an answer can load it joined to the organisation.
    # 'land' in the SQL text, not a parameter (see registry.logic.constants): as a
    # parameter PostgreSQL planned the joined lookup anew at every execution.
    land_body: Mapped[Organisation | None] = relationship(
        primaryjoin="and_(foreign(Organisation.land_code) == remote(Organisation.land_code), "
        "remote(Organisation.kind) == literal_column(\"'land'\"))",
        viewonly=True,
        uselist=False,
        lazy="select",
    )

    __table_args__ = (
        CheckConstraint(sql_in("kind", ORGANISATION_KINDS), name="kind"),
        CheckConstraint("ars IS NOT NULL OR slug IS NOT NULL", name="has_key"),
        CheckConstraint(
            "ars IS NOT NULL OR kind IN ('bund', 'non_territorial')", name="territorial_has_ars"
        ),
        CheckConstraint(DigitsOnly("ars", 12), name="ars_format"),
        CheckConstraint(sql_in("land_code", LAND_CODES), name="land_code"),
        CheckConstraint("ars IS NULL OR substr(ars, 1, 2) = land_code", name="land_code_of_ars"),
        CheckConstraint("population IS NULL OR population >= 0", name="population"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        # similar municipalities: same kind, population in a range (registry.logic.nearby)
        Index("ix_organisation_kind_population", "kind", "population"),
    )

    @property
    def key(self) -> str:
        """The public key: the ARS for territorial bodies, else the slug."""
        return self.ars or self.slug or ""

    @property
    def ags(self) -> str | None:
        """Amtlicher Gemeindeschlüssel: the ARS's first five digits plus its last three."""
        return self.ars[:5] + self.ars[9:] if self.ars else None

    @property
    def duties(self) -> list[str] | None:
        """Explicit duty override (city-states); None means: derived from the kind."""
        return [row.level for row in self.duty_rows] or None


class OrganisationDuty(Base):
    """An explicit executing-level duty, overriding the default derived from the kind."""

    __tablename__ = "organisation_duty"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[str] = mapped_column(String(16), primary_key=True)

    __table_args__ = (CheckConstraint(sql_in("level", LEVELS), name="level"),)
