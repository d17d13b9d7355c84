"""What reusing a solution costs an organisation, in integer euro cents.

An estimate covers `years` calendar years from the contract date `start` (default today):
the first year is priced by the period in force on `start`, every later year by the one in
force on 1 January (registry.logic.prices). Under a `pro_rata` first-year rule the first
year pays the months from the contract month on (December: 1/12); the Marktplatz contract
says "anteiliges Entgelt im Jahr des Vertragsschlusses" without saying by months or days,
so months are our stated assumption.

Rounding, the one step: a year's cost is computed exactly (as a fraction: components
added, pro rata applied) and rounded once to whole cents, half up ("kaufmännisch"); the
total is onboarding + the sum of the rounded years, so the figures a human adds up agree.

Who pays: a solution's reuse terms for the organisation's Land (registry.api.prices)
apply to every body below the Land; the Land itself pays the price.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from functools import cache, cached_property
from typing import Any, NamedTuple, Protocol

import orjson
from sqlalchemy import String, Text, bindparam, cast, select, true
from sqlalchemy.orm import Session, lazyload

from registry.errors import Invalid, NotFound
from registry.logic import asking as asking_row
from registry.logic import driver, prices
from registry.logic.among import among_param, dialect_of
from registry.logic.asking import Asking, Body
from registry.logic.constants import const
from registry.logic.lookup import ARS_RE
from registry.models import KoenigsteinShare, Organisation, Service, Solution, solution_service
from registry.models.koenigstein import FULL_SHARE

FITKO_DECISION = "IT-Planungsrat decision 2023/35"


class Priced(Protocol):
    """What an estimate reads of a solution: a `Solution`, or the columns a candidate
    answer (registry.logic.candidates.CandidateSolution) or a cost answer
    (`PricedSolution`) reads of one."""

    @property
    def id(self) -> int: ...
    @property
    def slug(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def prices(self) -> list[dict[str, Any]]: ...
    @property
    def reuse_terms(self) -> list[dict[str, Any]]: ...


class PricedSolution(NamedTuple):
    """A solution as an estimate reads it (`priced_for`), without its relations."""

    id: int
    slug: str
    name: str
    prices: list[dict[str, Any]]
    reuse_terms: list[dict[str, Any]]


_PRICED = select(
    Solution.id,
    Solution.slug,
    Solution.name,
    cast(Solution.prices, Text),
    cast(Solution.reuse_terms, Text),
).where(Solution.slug == bindparam("slug", type_=String))


def priced_for(session: Session, slug: str, key: str) -> tuple[PricedSolution, Asking]:
    """The solution with this slug as an estimate reads it (its own columns, the JSON ones
    decoded by orjson: no `Solution` object) and the organisation with this key as
    registry.logic.asking reads it, in one statement (404 for the solution first, then
    for the organisation): a cost answer is two one-row lookups, and a round trip cost
    more than either."""
    rows = driver.rows(
        session, _priced_for_statement(bool(ARS_RE.match(key))), {"slug": slug, "key": key}
    )
    if not rows:
        raise NotFound("solution", slug)
    id_, _, name, prices_text, terms_text, *who = rows[0]
    if who[0] is None:
        raise NotFound("organisation", key)
    solution = PricedSolution(id_, slug, name, orjson.loads(prices_text), orjson.loads(terms_text))
    return solution, asking_row.from_row(who)


@cache
def _priced_for_statement(by_ars: bool) -> Any:
    """The solution's row (`_PRICED`) with the organisation's (asking_row.statement)
    outer-joined: no row without the solution, NULLs without the organisation."""
    solution = _PRICED.subquery("priced")
    who = asking_row.statement(by_ars).subquery("who")
    return select(*solution.c, *who.c).select_from(solution.outerjoin(who, true()))


class CostUnavailable(Invalid):
    """The estimate needs a figure the registry does not have (population, key share)."""

    def __init__(self, reason: str, field: str = "for") -> None:
        super().__init__({field: [reason]}, reason)
        self.reason = reason


class YearCost(NamedTuple):  # a NamedTuple: a gap answer prices 300-400 years
    year: int
    months: int  # charged months: 12, or fewer in a pro-rata first year
    cents: int
    price_valid_from: str | None  # the period that priced it
    price_known: bool  # False: no published price for this year, the last one continues


@dataclass(frozen=True)
class Estimate:
    onboarding_cents: int
    annual_cents: int  # a full year at the price in force on `start`
    start: date
    per_year: tuple[YearCost, ...]
    basis: str
    paid_by: str = "reuser"

    @property
    def years(self) -> int:
        return len(self.per_year)

    @property
    def first_year_cents(self) -> int:
        return self.per_year[0].cents

    @cached_property  # ranked by and shown: read three times per candidate
    def total_cents(self) -> int:
        return self.onboarding_cents + sum(y.cents for y in self.per_year)

    def as_dict(self, *, iso: bool = False) -> dict[str, Any]:
        """`iso`: the start date as its ISO text (for JSON: Flask's would write an HTTP
        date)."""
        return {
            "currency": "EUR",
            "onboarding_cents": self.onboarding_cents,
            "annual_cents": self.annual_cents,
            "first_year_cents": self.first_year_cents,
            "years": self.years,
            "start": self.start.isoformat() if iso else self.start,
            "total_cents": self.total_cents,
            "paid_by": self.paid_by,
            # Written out, in YearCost's field order: NamedTuple._asdict took a fifth of a
            # gap answer's rendering.
            "per_year": [
                {
                    "year": y.year,
                    "months": y.months,
                    "cents": y.cents,
                    "price_valid_from": y.price_valid_from,
                    "price_known": y.price_known,
                }
                for y in self.per_year
            ],
            "basis": self.basis,
        }


@dataclass(frozen=True)
class CaseRate:
    ozg_id: str
    name: str
    per_1000: Fraction
    source: str | None
    assumed: bool


@dataclass(frozen=True)
class Context:
    """The figures an estimate may need, fetched once per request."""

    organisation: Body
    land: Body | None
    shares: dict[int, int]  # year -> share_e5 of the organisation's Land
    start: date = field(default_factory=date.today)
    case_rates: dict[int, list[CaseRate]] = field(default_factory=dict)  # by solution id
    cases: int | None = None  # the caller's expected cases a year (overrides the rates)
    members: int | None = None  # the caller's target group size (overrides the rate)

    def for_body(self, body: Body) -> Context:
        """The same figures for another body of the same Land (no caller overrides)."""
        return Context(body, self.land, self.shares, self.start, self.case_rates)


def round_half_up(value: Fraction, times: int = 1, per: int = 1) -> int:
    """value × times / per, rounded half up to an integer: floor(n/d + 1/2) in integers
    (a gap answer rounds thousands of figures; no Fraction is built for the product)."""
    n, d = value.numerator * times, value.denominator * per
    return (2 * n + d) // (2 * d)


def euros(cents: int) -> str:
    """German notation: 1.234,56 €."""
    sign, cents = ("-", -cents) if cents < 0 else ("", cents)
    whole, rest = divmod(cents, 100)
    return f"{sign}{number(whole)},{rest:02d} €"


def number(value: int) -> str:
    """German thousands separators: 18.034.454."""
    return f"{value:,}".replace(",", ".")


def percent_bp(bp: int) -> str:
    """Basis points in German notation: 5000 → 50 %, 1250 → 12,5 %."""
    whole, rest = divmod(bp, 100)
    return f"{whole} %" if not rest else f"{whole},{rest:02d}".rstrip("0") + " %"


def estimate(
    solution: Priced, ctx: Context, years: int, *, contracted_on: date | None = None
) -> Estimate:
    """`contracted_on`: the organisation signed already (an adoption in progress): a
    pro-rata first year counts from that month, and not at all after its year."""
    periods = solution.prices
    org, start = ctx.organisation, ctx.start
    terms = _terms_for(solution, ctx)
    first, first_known = prices.period_on(periods, start)
    onboarding = first["onboarding_fee_cents"]
    basis: list[str] = []
    paid_by = terms["payer"] if terms else "reuser"
    per_year: list[YearCost] = []
    described: set[str | None] = set()
    priced: dict[int, tuple[Fraction, str]] = {}  # a period's full year, computed once
    charged: dict[tuple[int, int], int] = {}  # its cents for so many months, rounded once

    def payable(period: dict[str, Any]) -> tuple[Fraction, str]:
        if id(period) not in priced:
            priced[id(period)] = _payable(solution, period, ctx, terms)
        return priced[id(period)]

    # A period in force with no end is the one period_on finds for every later 1 January
    # (periods are in order, only the last may be open: registry.api.prices); most
    # prices are one such period, and a gap answer prices 300-400 years.
    for k in range(years):
        year = start.year + k
        if k == 0:
            period, known = first, first_known
        else:
            period, known = prices.period_on(periods, date(year, 1, 1))
        months = 12
        if k == 0 and period["first_year"] == "pro_rata":
            signed = contracted_on or start
            months = 13 - signed.month if signed.year == start.year else 12
        exact, words = payable(period)
        cents = charged.get((id(period), months))
        if cents is None:
            cents = round_half_up(exact, months, 12)
            charged[id(period), months] = cents
        per_year.append(YearCost(year, months, cents, period["valid_from"], known))
        if period["valid_from"] not in described:
            described.add(period["valid_from"])
            since = f"from {year}: " if k else ""
            basis.append(f"{since}{words}")
        if not known and (k == 0 or per_year[-2].price_known):
            basis.append(_unknown(period, year, start if k == 0 else date(year, 1, 1)))
        if months < 12 and paid_by not in ("land", "fitko"):
            basis.append(
                f"first year {year} pro rata: {months} of 12 months, from the contract month "
                f"{13 - months:02d}/{year}"
            )
        if known and months == 12 and period["valid_to"] is None:
            # Its later years: 12 months, known, these cents, nothing more to say.
            valid_from = period["valid_from"]
            per_year.extend(
                YearCost(later, 12, cents, valid_from, True)
                for later in range(year + 1, start.year + years)
            )
            break
    annual = round_half_up(payable(first)[0])
    if terms and terms.get("onboarding_paid_by_land") and org.kind != "land":
        onboarding = 0
        basis.append("the Land also pays the Anbindung")
    elif onboarding:
        who = "you pay " if paid_by != "reuser" else ""
        basis.append(f"{who}one-time Anbindung {euros(onboarding)}")
    basis.append(f"total over {years} year{'s' if years != 1 else ''} from {start.isoformat()}")
    return Estimate(onboarding, annual, start, tuple(per_year), "; ".join(basis), paid_by)


def without_onboarding(found: Estimate, why: str) -> Estimate:
    """The estimate for a solution the organisation has already contracted: its Anbindung
    is not charged twice."""
    if not found.onboarding_cents:
        return replace(found, basis=f"{why}; {found.basis}")
    kept = [part for part in found.basis.split("; ") if "one-time Anbindung" not in part]
    return replace(
        found,
        onboarding_cents=0,
        basis=f"{why}: its Anbindung ({euros(found.onboarding_cents)}) is not counted again; "
        + "; ".join(kept),
    )


def _unknown(period: dict[str, Any], year: int, day: date) -> str:
    starts = period["valid_from"]
    if starts is not None and day.isoformat() < starts:  # before the first period
        return (
            f"no price in force yet in {year}: the estimate uses the first published price "
            f"(valid from {period['valid_from']})"
        )
    return (
        f"no price published for {year} yet: the estimate continues with the last known "
        f"price (valid until {period['valid_to']})"
    )


def _terms_for(solution: Priced, ctx: Context) -> dict[str, Any] | None:
    org = ctx.organisation
    if org.land_code is None or org.kind == "land":
        return None
    for terms in solution.reuse_terms or ():
        if terms["land_code"] == org.land_code:
            return terms
    return None


def _payable(
    solution: Priced, period: dict[str, Any], ctx: Context, terms: dict[str, Any] | None
) -> tuple[Fraction, str]:
    """What the organisation pays in a full year of this period, exactly, in words."""
    land_name = ctx.land.name if ctx.land else "its Land"
    payer = terms["payer"] if terms else "reuser"
    note = f" ({terms['note']})" if terms and terms.get("note") else ""
    if payer == "fitko":
        return Fraction(0), (
            f"operation financed from FITKO's budget ({FITKO_DECISION}: 50 % the reusing "
            f"Länder, 25 % the Bund, 25 % all Länder by the Königsteiner Schlüssel); "
            f"{land_name} carries its part{note}"
        )
    if payer == "land":
        return Fraction(0), f"financed by the Land {_short(land_name)} for its municipalities{note}"
    if payer == "land_passes_on":
        if ctx.land is None:
            raise CostUnavailable(
                f"The Land {ctx.organisation.land_code} passes the cost on, and it is not "
                "on record."
            )
        try:
            land_exact, land_words = annual_exact(solution, period, ctx.for_body(ctx.land))
        except CostUnavailable as missing:  # the Land's figure, not one the caller can give
            raise CostUnavailable(
                f"{ctx.land.name} passes its own cost on, and that cannot be estimated: "
                f"{missing.reason}"
            ) from missing
        population, land_population = _population(ctx.organisation), _population(ctx.land)
        share = terms["share_bp"] if terms else 0
        exact = land_exact * share / prices.FULL_WEIGHT * population / land_population
        return exact, (
            f"{land_name} passes {percent_bp(share)} of its annual cost "
            f"({euros(round_half_up(land_exact))}: {land_words}) on by inhabitants: "
            f"{ctx.organisation.name} {number(population)} of {number(land_population)}"
            f"{_as_of(ctx.organisation)}{note}"
        )
    return annual_exact(solution, period, ctx)


def _short(name: str) -> str:
    return name.removeprefix("Land ")


def annual_exact(solution: Priced, period: dict[str, Any], ctx: Context) -> tuple[Fraction, str]:
    """The period's full-year price for the context's organisation: exact, and in words."""
    components = period["components"]
    if not components:
        return Fraction(0), "free of charge"
    amounts, words = [], []
    for component in components:
        amount, text = _component(solution, period, component, ctx)
        label = f"{component['label']}: " if component.get("label") else ""
        amounts.append(amount)
        words.append(f"{label}{text}")
    if len(components) == 1:  # most prices: no sum to form
        return amounts[0], words[0]
    total = sum(amounts, Fraction(0))
    return total, " + ".join(words) + f" = {euros(round_half_up(total))} a year"


def _component(
    solution: Priced, period: dict[str, Any], c: dict[str, Any], ctx: Context
) -> tuple[Fraction, str]:
    key, org = c["key"], ctx.organisation
    if key == "tiers":
        return _tier(solution, c["tiers"], org)
    if key == "koenigstein":
        return _koenigstein(period["pool_cents"], c, ctx)
    if "weight_bp" in c:
        part_cents = period["pool_cents"] * c["weight_bp"]
        share_text = f"{percent_bp(c['weight_bp'])} of {euros(period['pool_cents'])}"
        if key == "flat":
            return Fraction(part_cents, prices.FULL_WEIGHT * c["participants"]), (
                f"{share_text} shared equally by {number(c['participants'])} participants"
            )
        units, unit_text = _units(solution, c, ctx)
        return Fraction(
            part_cents * units.numerator,
            prices.FULL_WEIGHT * units.denominator * c["basis_units"],
        ), (
            f"{share_text} shared by {_unit_name(c)}: {unit_text} of "
            f"{number(c['basis_units'])} in all"
        )
    amount = c["amount_cents"]
    if key == "flat":
        return Fraction(amount), f"flat annual fee {euros(amount)}"
    units, unit_text = _units(solution, c, ctx)
    per = c.get("per_units", 1)
    rate = f"{euros(amount)} per {'' if per == 1 else number(per) + ' '}{_unit_name(c, per)}"
    return Fraction(amount * units.numerator, units.denominator * per), f"{rate} × {unit_text}"


def _unit_name(c: dict[str, Any], count: int = 2) -> str:
    name = {"inhabitants": "inhabitant", "cases": "case", "members": "member"}[c["key"]]
    if c["key"] == "members":
        name += f" of the target group '{c['target_group']}'"
        return name if count == 1 else name.replace("member", "members", 1)
    return name if count == 1 else name + "s"


def _units(solution: Priced, c: dict[str, Any], ctx: Context) -> tuple[Fraction, str]:
    """The organisation's count of the component's unit, and where it comes from."""
    org = ctx.organisation
    if c["key"] == "inhabitants":
        population = _population(org)
        return Fraction(population), f"{number(population)} inhabitants of {org.name}{_as_of(org)}"
    if c["key"] == "cases":
        if ctx.cases is not None:
            return Fraction(ctx.cases), f"{number(ctx.cases)} cases a year (as given by you)"
        rates = ctx.case_rates.get(solution.id) or []
        if not rates:
            raise CostUnavailable(
                f"{solution.name} is priced per case, and none of its services has a case rate "
                "on record: give the expected cases a year as `cases`.",
                field="cases",
            )
        population = _population(org)
        cases = sum((r.per_1000 * population / 1000 for r in rates), Fraction(0))
        sources = "; ".join(
            f"{r.name}: {_decimal(r.per_1000)} per 1.000 inhabitants a year "
            f"({'assumption' if r.assumed else 'source'}: {r.source or 'not stated'})"
            for r in rates
        )
        return cases, (
            f"≈ {number(round_half_up(cases))} cases a year for {number(population)} "
            f"inhabitants{_as_of(org)} ({sources})"
        )
    if ctx.members is not None:
        return Fraction(ctx.members), f"{number(ctx.members)} members (as given by you)"
    if "members_per_1000" not in c:
        raise CostUnavailable(
            f"{solution.name} is priced per member of '{c['target_group']}' and the price "
            "states no rate: give the target group's size as `members`.",
            field="members",
        )
    population = _population(org)
    rate = Fraction(c["members_per_1000"])
    members = rate * population / 1000
    return members, (
        f"≈ {number(round_half_up(members))} members ({_decimal(rate)} per 1.000 of "
        f"{number(population)} inhabitants{_as_of(org)})"
    )


def _decimal(value: Fraction) -> str:
    """German decimal, up to three places: 13,9."""
    scaled = round_half_up(value * 1000)
    whole, rest = divmod(scaled, 1000)
    return f"{number(whole)},{rest:03d}".rstrip("0").rstrip(",")


def _tier(solution: Priced, tiers: list[dict[str, Any]], org: Body):
    population = _population(org)
    for tier in tiers:
        if tier["max_population"] is None or population <= tier["max_population"]:
            bound = (
                f"up to {number(tier['max_population'])} inhabitants"
                if tier["max_population"] is not None
                else "the top tier (no upper bound)"
            )
            fee = tier["annual_fee_cents"]
            return Fraction(fee), (
                f"tier for {bound}: {org.name} has {number(population)}"
                f"{_as_of(org)}; annual fee {euros(fee)}"
            )
    raise CostUnavailable(f"No price tier of {solution.slug} covers {population} inhabitants.")


def _koenigstein(pool: int, c: dict[str, Any], ctx: Context) -> tuple[Fraction, str]:
    org, year = ctx.organisation, c["year"]
    if org.land_code is None or ctx.land is None:
        raise CostUnavailable(
            f"{org.name} belongs to no Land; the Königsteiner Schlüssel splits costs among Länder."
        )
    share = ctx.shares.get(year)
    if share is None:
        raise CostUnavailable(
            f"No Königsteiner Schlüssel share of Land {org.land_code} for {year}."
        )
    # One Fraction for the whole product (each Fraction operation normalises anew).
    land_cents = pool * c["weight_bp"] * share
    land_per = prices.FULL_WEIGHT * FULL_SHARE
    weighted = f"{percent_bp(c['weight_bp'])} of " if c["weight_bp"] != prices.FULL_WEIGHT else ""
    percent = f"{share // 100_000}.{share % 100_000:05d} %"
    basis = (
        f"Königsteiner Schlüssel {year}: {ctx.land.name} carries {percent} of "
        f"{weighted}{euros(pool)} a year"
    )
    if org.id == ctx.land.id:  # the Land's own share needs no population
        return Fraction(land_cents, land_per), basis
    population, land_population = _population(org), _population(ctx.land)
    return Fraction(land_cents * population, land_per * land_population), (
        f"{basis}; {org.name} pays its population's part: {number(population)} of "
        f"{number(land_population)} inhabitants{_as_of(org)}"
    )


def _population(org: Body) -> int:
    if org.population is None:
        raise CostUnavailable(
            f"{org.name} has no population on record; this price model depends on it."
        )
    if org.population == 0:
        raise CostUnavailable(f"{org.name} has a population of 0.")
    return org.population


def _as_of(org: Body) -> str:
    return f" (as of {org.population_date.isoformat()})" if org.population_date else ""


class _ContextStatements:
    """The statements of `context`, built once (an estimate's whole SQL is three index
    lookups; building them anew cost more): the Land (`land`), its key shares (`land`;
    all its years, a handful: a fixed text that registry.logic.driver runs, where an
    expanding IN of the years wanted went the ORM's way, 0.6 ms of SQLAlchemy around a
    0.2 ms lookup in every priced answer); the case rates are `_rates_statement`."""

    def __init__(self) -> None:
        land = bindparam("land", type_=String)
        self.land = (
            select(Organisation)
            .where(Organisation.kind == const("land"), Organisation.land_code == land)
            .options(lazyload(Organisation.duty_rows))
        )
        self.shares = select(KoenigsteinShare.year, KoenigsteinShare.share_e5).where(
            KoenigsteinShare.land_code == land
        )


@cache
def _rates_statement(dialect: str) -> Any:
    """The case rates of the services of the solutions `solutions` (ids; an array on
    PostgreSQL, so that the text is fixed)."""
    SS = solution_service
    return (
        select(
            SS.c.solution_id,
            Service.ozg_id,
            Service.name,
            Service.case_rate_e3,
            Service.case_rate_source,
            Service.case_rate_assumed,
        )
        .join(Service, Service.id == SS.c.service_id)
        .where(
            among_param(dialect, SS.c.solution_id, "solutions"),
            Service.case_rate_e3.is_not(None),
        )
        .order_by(SS.c.solution_id, Service.ozg_id)
    )


_CONTEXT = _ContextStatements()


UNKNOWN: Any = object()  # `context`'s Land when the caller has not looked it up


def land_of(session: Session, org: Body) -> Body | None:
    """The organisation's Land (itself for a Land; none for the Bund and bodies of no
    Land): read with it where the answer asked for it (registry.logic.asking), else one
    statement."""
    if org.land_code is None:
        return None
    if org.kind == "land":
        return org
    if isinstance(org, Asking):
        return org.land_body
    return session.scalar(_CONTEXT.land, {"land": org.land_code})


def context(
    session: Session,
    org: Body,
    solutions: list[Priced],
    *,
    start: date | None = None,
    cases: int | None = None,
    members: int | None = None,
    land: Body | None = UNKNOWN,
) -> Context:
    """The organisation's Land (`land_of`, unless given), its key shares and the case
    rates the solutions' prices need: at most three statements, whatever the number of
    solutions."""
    land = land_of(session, org) if land is UNKNOWN else land
    years = set().union(*(prices.koenigstein_years(s.prices) for s in solutions))
    shares: dict[int, int] = {}
    if years and org.land_code is not None:
        if isinstance(org, Asking) and org.land_shares is not None:  # read with it
            known = dict(org.land_shares)
        else:
            known = dict(driver.rows(session, _CONTEXT.shares, {"land": org.land_code}))
        shares = {year: share for year, share in known.items() if year in years}
    priced_per_case = [s.id for s in solutions if prices.uses(s.prices, "cases")]
    rates: dict[int, list[CaseRate]] = {}
    if priced_per_case:
        rate_rows = driver.rows(
            session, _rates_statement(dialect_of(session)), {"solutions": priced_per_case}
        )
        for solution_id, ozg_id, name, rate, source, assumed in rate_rows:
            rates.setdefault(solution_id, []).append(
                CaseRate(ozg_id, name, Fraction(rate, 1000), source, assumed)
            )
    return Context(org, land, shares, start or date.today(), rates, cases, members)
