"""Solutions: concrete online services implementing OZG-Leistungen, with their price model."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
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
from registry.models.base import Versioned
from registry.models.organisation import Organisation
from registry.models.service import Service
from registry.models.vocab import CHANNELS, PRICE_MODELS, SOLUTION_STATUSES, sql_in

solution_service = Table(
    "solution_service",
    Base.metadata,
    Column("solution_id", ForeignKey("solution.id", ondelete="CASCADE"), primary_key=True),
    # A service implemented by a solution cannot be deleted: 409, naming the solution.
    Column(
        "service_id", ForeignKey("service.id", ondelete="RESTRICT"), primary_key=True, index=True
    ),
)

PRICE_PARAMETERS = (
    "onboarding_fee_cents",
    "annual_fee_cents",
    "per_capita_fee_cents",
    "total_annual_cost_cents",
    "koenigstein_year",
)
# Which price parameter belongs to which model; the others stay NULL.
_PRICE_PARAMETERS = {
    "annual_fee_cents": "flat",
    "per_capita_fee_cents": "per_capita",
    "total_annual_cost_cents": "koenigstein",
    "koenigstein_year": "koenigstein",
}


def _price_checks() -> list[CheckConstraint]:
    checks = [CheckConstraint(sql_in("price_model", PRICE_MODELS), name="price_model")]
    for column, model in _PRICE_PARAMETERS.items():
        checks.append(
            CheckConstraint(
                f"({column} IS NOT NULL) = (price_model = '{model}')", name=f"{column}_model"
            )
        )
    for column in ("onboarding_fee_cents", "annual_fee_cents", "per_capita_fee_cents"):
        checks.append(CheckConstraint(f"{column} IS NULL OR {column} >= 0", name=column))
    checks.append(
        CheckConstraint(
            "total_annual_cost_cents IS NULL OR total_annual_cost_cents >= 0",
            name="total_annual_cost_cents",
        )
    )
    return checks


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

    price_model: Mapped[str] = mapped_column(String(20), default="free")
    onboarding_fee_cents: Mapped[int | None] = mapped_column(BigInteger)
    annual_fee_cents: Mapped[int | None] = mapped_column(BigInteger)
    per_capita_fee_cents: Mapped[int | None] = mapped_column(BigInteger)
    total_annual_cost_cents: Mapped[int | None] = mapped_column(BigInteger)
    koenigstein_year: Mapped[int | None] = mapped_column(Integer)
    price_source: Mapped[str | None] = mapped_column(Text)

    builder: Mapped[Organisation | None] = relationship(foreign_keys=[builder_id], lazy="joined")
    operator: Mapped[Organisation | None] = relationship(foreign_keys=[operator_id], lazy="joined")
    services: Mapped[list[Service]] = relationship(
        secondary=solution_service, order_by=Service.ozg_id, lazy="selectin"
    )
    tiers: Mapped[list[PriceTier]] = relationship(
        cascade="all, delete-orphan", order_by="PriceTier.position", lazy="selectin"
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
        *_price_checks(),
    )

    @property
    def key(self) -> str:
        return self.slug

    @property
    def url_patterns(self) -> list[str]:
        return [row.pattern for row in self.url_pattern_rows]

    @property
    def price(self) -> dict[str, Any]:
        """The price model as one value object; money in integer cents, always EUR."""
        price: dict[str, Any] = {"model": self.price_model, "currency": "EUR"}
        for name in PRICE_PARAMETERS:
            value = getattr(self, name)
            if value is not None:
                price[name] = value
        if self.price_model == "tiered":
            price["tiers"] = [
                {"max_population": t.max_population, "annual_fee_cents": t.annual_fee_cents}
                for t in self.tiers
            ]
        return price


class PriceTier(Base):
    """One population tier of a `tiered` price model; the last has no upper bound."""

    __tablename__ = "price_tier"

    solution_id: Mapped[int] = mapped_column(
        ForeignKey("solution.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    max_population: Mapped[int | None] = mapped_column(BigInteger)
    annual_fee_cents: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        CheckConstraint("annual_fee_cents >= 0", name="annual_fee_cents"),
        CheckConstraint("max_population IS NULL OR max_population >= 0", name="max_population"),
    )


class SolutionUrlPattern(Base):
    """Where the solution runs: a host (`*.` for any subdomain) and optional path prefix,
    lowercase, without scheme and `www.`; an OZG-Dashboard row's `url` is matched to it."""

    __tablename__ = "solution_url_pattern"

    solution_id: Mapped[int] = mapped_column(
        ForeignKey("solution.id", ondelete="CASCADE"), primary_key=True
    )
    pattern: Mapped[str] = mapped_column(String(300), primary_key=True)
