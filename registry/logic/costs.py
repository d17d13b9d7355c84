"""What reusing a solution costs an organisation, in integer euro cents.

Rounding: each annual cost is computed exactly (as a fraction) and rounded once to whole
cents, half up ("kaufmännisch"); the N-year total is onboarding + N × the rounded annual
cost, so the figures a human adds up agree with the total.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from registry.errors import Invalid
from registry.models import KoenigsteinShare, Organisation, Solution
from registry.models.koenigstein import FULL_SHARE


class CostUnavailable(Invalid):
    """The estimate needs a figure the registry does not have (population, key share)."""

    def __init__(self, reason: str, field: str = "for") -> None:
        super().__init__({field: [reason]}, reason)
        self.reason = reason


@dataclass(frozen=True)
class Estimate:
    onboarding_cents: int
    annual_cents: int
    years: int
    basis: str

    @property
    def total_cents(self) -> int:
        return self.onboarding_cents + self.years * self.annual_cents

    def as_dict(self) -> dict[str, Any]:
        return {
            "currency": "EUR",
            "onboarding_cents": self.onboarding_cents,
            "annual_cents": self.annual_cents,
            "years": self.years,
            "total_cents": self.total_cents,
            "basis": self.basis,
        }


@dataclass(frozen=True)
class Context:
    """The figures an estimate may need, fetched once per request."""

    organisation: Organisation
    land: Organisation | None
    shares: dict[int, int]  # year -> share_e5 of the organisation's Land


def round_half_up(value: Fraction) -> int:
    return int((value + Fraction(1, 2)).__floor__())


def euros(cents: int) -> str:
    """German notation: 1.234,56 €."""
    whole, rest = divmod(cents, 100)
    return f"{number(whole)},{rest:02d} €"


def number(value: int) -> str:
    """German thousands separators: 18.034.454."""
    return f"{value:,}".replace(",", ".")


def estimate(solution: Solution, ctx: Context, years: int) -> Estimate:
    onboarding = solution.onboarding_fee_cents or 0
    annual, basis = _annual(solution, ctx)
    if onboarding:
        basis += f"; one-time onboarding {euros(onboarding)}"
    basis += f"; total over {years} year{'s' if years != 1 else ''}"
    return Estimate(onboarding, annual, years, basis)


def _annual(solution: Solution, ctx: Context) -> tuple[int, str]:
    org, model = ctx.organisation, solution.price_model
    if model == "free":
        return 0, "free of charge"
    if model == "flat":
        fee = solution.annual_fee_cents or 0
        return fee, f"flat annual fee {euros(fee)}"
    if model == "koenigstein":
        return _koenigstein(solution, ctx)
    population = _population(org)
    if model == "per_capita":
        fee = solution.per_capita_fee_cents or 0
        annual = fee * population
        return annual, (
            f"{euros(fee)} per inhabitant × {number(population)} inhabitants of {org.name}"
            f"{_as_of(org)}"
        )
    if model == "tiered":
        for tier in solution.tiers:
            if tier.max_population is None or population <= tier.max_population:
                bound = (
                    f"up to {number(tier.max_population)} inhabitants"
                    if tier.max_population is not None
                    else "the top tier (no upper bound)"
                )
                return tier.annual_fee_cents, (
                    f"tier for {bound}: {org.name} has {number(population)}"
                    f"{_as_of(org)}; annual fee {euros(tier.annual_fee_cents)}"
                )
        raise CostUnavailable(f"No price tier of {solution.slug} covers {population} inhabitants.")
    raise CostUnavailable(f"Unknown price model '{model}'.")


def _koenigstein(solution: Solution, ctx: Context) -> tuple[int, str]:
    org, year = ctx.organisation, solution.koenigstein_year
    total = solution.total_annual_cost_cents or 0
    if org.land_code is None or ctx.land is None:
        raise CostUnavailable(
            f"{org.name} belongs to no Land; the Königsteiner Schlüssel splits costs among Länder."
        )
    share = ctx.shares.get(year or 0)
    if share is None:
        raise CostUnavailable(
            f"No Königsteiner Schlüssel share of Land {org.land_code} for {year}."
        )
    land_part = Fraction(total * share, FULL_SHARE)
    percent = f"{share // 100_000}.{share % 100_000:05d} %"
    basis = (
        f"Königsteiner Schlüssel {year}: {ctx.land.name} carries {percent} of {euros(total)} a year"
    )
    if org.id == ctx.land.id:  # the Land's own share needs no population
        return round_half_up(land_part), basis
    population, land_population = _population(org), _population(ctx.land)
    annual = round_half_up(land_part * population / land_population)
    return annual, (
        f"{basis}; {org.name} pays its population's part: {number(population)} of "
        f"{number(land_population)} inhabitants{_as_of(org)}"
    )


def _population(org: Organisation) -> int:
    if org.population is None:
        raise CostUnavailable(
            f"{org.name} has no population on record; this price model depends on it."
        )
    if org.population == 0:
        raise CostUnavailable(f"{org.name} has a population of 0.")
    return org.population


def _as_of(org: Organisation) -> str:
    return f" (as of {org.population_date.isoformat()})" if org.population_date else ""


def context(session: Session, org: Organisation, years_needed: set[int]) -> Context:
    """The organisation's Land and its key shares for the given years: two statements."""
    land = None
    if org.land_code is not None:
        land = (
            org
            if org.kind == "land"
            else session.scalar(
                select(Organisation)
                .where(Organisation.kind == "land", Organisation.land_code == org.land_code)
                .options(lazyload(Organisation.duty_rows))
            )
        )
    shares: dict[int, int] = {}
    if years_needed and org.land_code is not None:
        rows = session.execute(
            select(KoenigsteinShare.year, KoenigsteinShare.share_e5).where(
                KoenigsteinShare.land_code == org.land_code,
                KoenigsteinShare.year.in_(sorted(years_needed)),
            )
        )
        shares = {year: share for year, share in rows}
    return Context(org, land, shares)
