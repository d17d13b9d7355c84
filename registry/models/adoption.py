"""Adoptions: an organisation's reuse of a solution, with where the claim comes from."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base
from registry.models.base import Versioned
from registry.models.organisation import Organisation
from registry.models.solution import Solution
from registry.models.vocab import ADOPTION_STATUSES, PROVENANCES, SCOPES, sql_in


class Adoption(Versioned, Base):
    __tablename__ = "adoption"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    solution_id: Mapped[int] = mapped_column(ForeignKey("solution.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(20), default="self")
    contracted_on: Mapped[date | None] = mapped_column(Date)
    live_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    provenance: Mapped[str] = mapped_column(String(20))
    evidence_url: Mapped[str | None] = mapped_column(String(500))
    confirmed_on: Mapped[date | None] = mapped_column(Date)
    # Set when later evidence says the opposite (an OZG-Dashboard export listing the
    # service there as `nicht ok` / `nein`): the claim is kept, but visibly in doubt.
    contradicted_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    solution: Mapped[Solution] = relationship(lazy="joined")

    __table_args__ = (
        UniqueConstraint("organisation_id", "solution_id"),
        Index("ix_adoption_solution_id_status", "solution_id", "status"),
        # An organisation's own adoptions by status, with what the gap and candidate
        # answers read of them: index-only (migration 0011).
        Index(
            "ix_adoption_organisation_id_status_solution_id_contracted_on",
            "organisation_id",
            "status",
            "solution_id",
            "contracted_on",
        ),
        CheckConstraint(sql_in("status", ADOPTION_STATUSES), name="status"),
        CheckConstraint(sql_in("scope", SCOPES), name="scope"),
        CheckConstraint(sql_in("provenance", PROVENANCES), name="provenance"),
        CheckConstraint(
            "contracted_on IS NULL OR live_on IS NULL OR contracted_on <= live_on",
            name="contracted_before_live",
        ),
        CheckConstraint(
            "live_on IS NULL OR ended_on IS NULL OR live_on <= ended_on", name="live_before_end"
        ),
        CheckConstraint(
            "contracted_on IS NULL OR ended_on IS NULL OR contracted_on <= ended_on",
            name="contracted_before_end",
        ),
    )

    @property
    def key(self) -> str:
        return str(self.id)
