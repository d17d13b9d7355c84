"""Solutions: concrete online services implementing OZG-Leistungen, with their price model."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base
from registry.logic import prices
from registry.models.base import Versioned
from registry.models.organisation import Organisation
from registry.models.service import Service
from registry.models.vocab import CHANNELS, SOLUTION_STATUSES, sql_in


def _free() -> list[dict[str, Any]]:
    return [prices.from_shorthand({"model": "free"})]


solution_service = Table(
    "solution_service",
    Base.metadata,
    Column("solution_id", ForeignKey("solution.id", ondelete="CASCADE"), primary_key=True),
    # A service implemented by a solution cannot be deleted: 409, naming the solution.
    Column(
        "service_id", ForeignKey("service.id", ondelete="RESTRICT"), primary_key=True, index=True
    ),
)


class Solution(Versioned, Base):
    __tablename__ = "solution"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    # NULL: nobody has confirmed who built it (a solution first seen in an OZG-Dashboard
    # export); never guessed, flagged for curation instead.
    builder_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    operator_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    efa: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), index=True)
    maturity: Mapped[int | None] = mapped_column(Integer)
    maturity_model: Mapped[str | None] = mapped_column(String(5))
    channel: Mapped[str | None] = mapped_column(String(20))
    requires_land_contract: Mapped[bool] = mapped_column(Boolean, default=False)
    url: Mapped[str | None] = mapped_column(String(500))
    source: Mapped[str | None] = mapped_column(Text)
    # Folded text for /search (see registry.text), kept in step by registry.models.search.
    search_name: Mapped[str] = mapped_column(Text, default=" ")
    search_text: Mapped[str] = mapped_column(Text, default=" ")

    # Price periods and per-Land reuse terms as JSON in their canonical form
    # (registry.logic.prices), validated by the API's schemas on every way in; read whole
    # with the solution, so pricing many candidates needs no further statement.
    prices: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=_free)
    reuse_terms: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    price_source: Mapped[str | None] = mapped_column(Text)

    builder: Mapped[Organisation | None] = relationship(foreign_keys=[builder_id], lazy="joined")
    operator: Mapped[Organisation | None] = relationship(foreign_keys=[operator_id], lazy="joined")
    services: Mapped[list[Service]] = relationship(
        secondary=solution_service, order_by=Service.ozg_id, lazy="selectin"
    )
    url_pattern_rows: Mapped[list[SolutionUrlPattern]] = relationship(
        cascade="all, delete-orphan", order_by="SolutionUrlPattern.pattern", lazy="selectin"
    )

    __table_args__ = (
        CheckConstraint(sql_in("status", SOLUTION_STATUSES), name="status"),
        CheckConstraint(sql_in("channel", CHANNELS), name="channel"),
        CheckConstraint(
            "(maturity IS NULL AND maturity_model IS NULL)"
            " OR (maturity_model = '1.1' AND maturity BETWEEN 0 AND 4)"
            " OR (maturity_model = '2.0' AND maturity BETWEEN 0 AND 7)",
            name="maturity",
        ),
    )

    @property
    def key(self) -> str:
        return self.slug

    @property
    def url_patterns(self) -> list[str]:
        return [row.pattern for row in self.url_pattern_rows]

    @property
    def price(self) -> dict[str, Any]:
        """The latest price period as the API shows it; money in integer cents, EUR."""
        return prices.describe(prices.latest(self.prices))

    @property
    def price_periods(self) -> list[dict[str, Any]]:
        return [prices.describe(p) for p in self.prices]


class SolutionUrlPattern(Base):
    """Where the solution runs: a host (`*.` for any subdomain) and optional path prefix,
    lowercase, without scheme and `www.`; an OZG-Dashboard row's `url` is matched to it."""

    __tablename__ = "solution_url_pattern"

    solution_id: Mapped[int] = mapped_column(
        ForeignKey("solution.id", ondelete="CASCADE"), primary_key=True
    )
    pattern: Mapped[str] = mapped_column(String(300), primary_key=True)
