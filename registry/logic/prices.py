"""A solution's price as EfA prices reuse: periods of weighted or rated components.

IT-Planungsrat decision 2021/24 shares the eligible costs of an EfA service (operation of
the infrastructure, further development, platform fees, operation incl. support, print and
postage) by inhabitants of the participating organisations, the actual number of uses
(cases), the members of the target group or the (adjusted) Königsteiner Schlüssel — or a
combination. The Marktplatz contract adds a one-time Anbindung fee (not jointly
financed) and a pro-rata fee in the year the contract is signed; prices change yearly.

So a price is a list of *periods* (`valid_from`/`valid_to`, inclusive, either open), each
with an onboarding fee, a first-year rule and *components*. A component has a key and is
either a **rate** (`amount_cents` per `per_units` of the key's unit: a flat amount a year,
inhabitants, cases, members of a target group) or a **weighted share** (`weight_bp` basis
points of the period's `pool_cents`, the annual costs to share, divided by the key over
all participants: `participants` for an equal flat share, `basis_units` inhabitants /
cases / members in all, or the Königsteiner Schlüssel). `tiers` is a population tier list.

Stored as JSON on the solution in the canonical form `canonical()` produces; the five
models the API knew before (free, flat, per_capita, tiered, koenigstein) are shorthands
that `from_shorthand()` converts without loss and `describe()` shows again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

KEYS = ("flat", "inhabitants", "cases", "members", "koenigstein", "tiers")
FIRST_YEAR_RULES = ("full", "pro_rata")
SHORTHAND_MODELS = ("free", "flat", "per_capita", "tiered", "koenigstein")
MODELS = (*SHORTHAND_MODELS, "composite")
PAYERS = ("reuser", "land", "fitko", "land_passes_on")
FULL_WEIGHT = 10_000  # basis points: 10,000 = 100 %
# What a weighted share of each key is divided by (over all participants).
SHARE_DIVISOR = {
    "flat": "participants",
    "inhabitants": "basis_units",
    "cases": "basis_units",
    "members": "basis_units",
}
COMPONENT_FIELDS = (
    "key",
    "label",
    "amount_cents",
    "per_units",
    "weight_bp",
    "participants",
    "basis_units",
    "year",
    "target_group",
    "members_per_1000",
    "tiers",
)
PERIOD_FIELDS = ("valid_from", "valid_to", "onboarding_fee_cents", "first_year", "pool_cents")


def from_shorthand(price: dict[str, Any]) -> dict[str, Any]:
    """One of the five old models → the canonical period (first year charged in full,
    as those models were)."""
    model = price["model"]
    component: dict[str, Any] | None = None
    pool = None
    if model == "flat":
        component = {"key": "flat", "amount_cents": price["annual_fee_cents"]}
    elif model == "per_capita":
        component = {"key": "inhabitants", "amount_cents": price["per_capita_fee_cents"]}
    elif model == "tiered":
        component = {"key": "tiers", "tiers": price["tiers"]}
    elif model == "koenigstein":
        pool = price["total_annual_cost_cents"]
        component = {
            "key": "koenigstein",
            "weight_bp": FULL_WEIGHT,
            "year": price["koenigstein_year"],
        }
    return canonical(
        {
            "valid_from": price.get("valid_from"),
            "valid_to": price.get("valid_to"),
            "onboarding_fee_cents": price.get("onboarding_fee_cents"),
            "first_year": price.get("first_year") or "full",
            "pool_cents": pool,
            "components": [component] if component else [],
        }
    )


def canonical(period: dict[str, Any]) -> dict[str, Any]:
    """The stored form: every period field present, dates as ISO strings, a component's
    unused fields absent, rates with their `per_units`."""
    out: dict[str, Any] = {
        "valid_from": _iso(period.get("valid_from")),
        "valid_to": _iso(period.get("valid_to")),
        "onboarding_fee_cents": period.get("onboarding_fee_cents") or 0,
        "first_year": period.get("first_year") or "full",
        "pool_cents": period.get("pool_cents"),
        "components": [],
    }
    for component in period.get("components") or []:
        kept = {f: component[f] for f in COMPONENT_FIELDS if component.get(f) is not None}
        if "amount_cents" in kept and kept["key"] != "flat":
            kept.setdefault("per_units", 1)
        if "tiers" in kept:
            kept["tiers"] = [
                {
                    "max_population": t.get("max_population"),
                    "annual_fee_cents": t["annual_fee_cents"],
                }
                for t in kept["tiers"]
            ]
        if "members_per_1000" in kept:
            kept["members_per_1000"] = str(kept["members_per_1000"])
        out["components"].append(kept)
    return out


def model_of(period: dict[str, Any]) -> str:
    """The old model name when the period is one of them, else `composite`."""
    components = period["components"]
    if period["first_year"] != "full" or any("label" in c for c in components):
        return "composite"
    if not components:
        return "free"
    if len(components) > 1:
        return "composite"
    (c,) = components
    rate = "amount_cents" in c and c.get("per_units", 1) == 1
    if c["key"] == "flat" and rate:
        return "flat"
    if c["key"] == "inhabitants" and rate:
        return "per_capita"
    if c["key"] == "tiers":
        return "tiered"
    if c["key"] == "koenigstein" and c.get("weight_bp") == FULL_WEIGHT:
        return "koenigstein"
    return "composite"


def describe(period: dict[str, Any]) -> dict[str, Any]:
    """The API's view of a period: the canonical form, its model, and for the old models
    their parameters as before (so a client that knows only those keeps working)."""
    model = model_of(period)
    out: dict[str, Any] = {"model": model, "currency": "EUR", **period}
    out["valid_from"], out["valid_to"] = _day(period["valid_from"]), _day(period["valid_to"])
    components = period["components"]
    if model == "flat":
        out["annual_fee_cents"] = components[0]["amount_cents"]
    elif model == "per_capita":
        out["per_capita_fee_cents"] = components[0]["amount_cents"]
    elif model == "tiered":
        out["tiers"] = components[0]["tiers"]
    elif model == "koenigstein":
        out["total_annual_cost_cents"] = period["pool_cents"]
        out["koenigstein_year"] = components[0]["year"]
    return out


def canonical_terms(terms: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reuse terms as stored: by Land code, every field present but `share_bp`."""
    out = []
    for t in sorted(terms, key=lambda t: t["land_code"]):
        kept = {
            "land_code": t["land_code"],
            "payer": t["payer"],
            "onboarding_paid_by_land": bool(t.get("onboarding_paid_by_land")),
            "note": t.get("note"),
            "source": t.get("source"),
        }
        if t.get("share_bp") is not None:
            kept["share_bp"] = t["share_bp"]
        out.append(kept)
    return out


def koenigstein_years(periods: list[dict[str, Any]]) -> set[int]:
    return {c["year"] for p in periods for c in p["components"] if c["key"] == "koenigstein"}


def uses(periods: list[dict[str, Any]], key: str) -> bool:
    return any(c["key"] == key for p in periods for c in p["components"])


def latest(periods: list[dict[str, Any]]) -> dict[str, Any]:
    """The last period: the price in force now, or already announced."""
    return periods[-1]


def period_on(periods: list[dict[str, Any]], day: date) -> tuple[dict[str, Any], bool]:
    """The period in force on `day`, and whether it is; when none is, the last one that
    ended before it (its price continues, stated as not yet known) or else the first."""
    known_before = None
    for period in periods:
        start, end = _day(period["valid_from"]), _day(period["valid_to"])
        if (start is None or start <= day) and (end is None or day <= end):
            return period, True
        if end is not None and end < day:
            known_before = period
    return (known_before or periods[0]), False


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)
