"""The price of a solution in the API: periods of components, the old models as shorthand,
and the per-Land reuse terms (who pays). Semantics: registry.logic.prices."""

from __future__ import annotations

import itertools
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from registry.api.fields import cents, land_code
from registry.logic import prices
from registry.logic.prices import FULL_WEIGHT, SHARE_DIVISOR

DECIMAL = r"^[0-9]{1,6}(\.[0-9]{1,3})?$"
# The parameters each shorthand model needs; any other shorthand parameter is refused.
SHORTHAND_PARAMETERS = {
    "free": set(),
    "flat": {"annual_fee_cents"},
    "per_capita": {"per_capita_fee_cents"},
    "tiered": {"tiers"},
    "koenigstein": {"total_annual_cost_cents", "koenigstein_year"},
}
ALL_SHORTHAND = set().union(*SHORTHAND_PARAMETERS.values())


def decimal_string(description: str, **kwargs: Any) -> fields.String:
    """A non-negative decimal with up to three places, as a string (exact, unlike a float)."""
    return fields.String(
        validate=validate.Regexp(DECIMAL, error="A decimal like '12.5' (up to 3 places)."),
        metadata={"description": description, "example": "12.5"},
        **kwargs,
    )


def year_field(description: str, **kwargs: Any) -> fields.Integer:
    return fields.Integer(
        strict=True,
        validate=validate.Range(min=1949, max=2200),
        metadata={"description": description},
        **kwargs,
    )


class PriceTierSchema(Schema):
    max_population = fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=200_000_000),
        metadata={"description": "upper bound (inclusive); null or absent in the last tier"},
    )
    annual_fee_cents = cents("annual fee for this tier", required=True)


def _tiers(description: str) -> fields.List:
    return fields.List(
        fields.Nested(PriceTierSchema),
        validate=validate.Length(min=1, max=50),
        metadata={"description": description},
    )


class ComponentSchema(Schema):
    """One part of the annual price: a rate (`amount_cents` per `per_units`) or a weighted
    share (`weight_bp` of the period's `pool_cents`, divided by the key)."""

    key = fields.String(
        required=True,
        validate=validate.OneOf(prices.KEYS),
        metadata={
            "description": "flat (a fixed amount, or an equal share among `participants`); "
            "inhabitants; cases (uses a year); members (of `target_group`); koenigstein "
            "(the Land's share of the Königsteiner Schlüssel of `year`, a body below a Land "
            "its population's part of it); tiers (population tiers)"
        },
    )
    label = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "what the component pays for, e.g. 'Plattformbetrieb'"},
    )
    amount_cents = cents("rate: the amount a year (flat) or per `per_units` units")
    per_units = fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=1_000_000_000),
        metadata={"description": "rate: the number of units `amount_cents` is for (default 1)"},
    )
    weight_bp = fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=FULL_WEIGHT),
        metadata={"description": "share: basis points of `pool_cents` (10000 = 100 %)"},
    )
    participants = fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=100_000),
        metadata={"description": "flat share: the number of participants sharing equally"},
    )
    basis_units = fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=10_000_000_000),
        metadata={"description": "share: inhabitants / cases / members of all participants"},
    )
    year = year_field("koenigstein: the year of the key")
    target_group = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "members: the target group, e.g. 'Studierende'"},
    )
    members_per_1000 = decimal_string(
        "members: members of the target group per 1,000 inhabitants (else `members=`)"
    )
    tiers = _tiers("tiers: ascending max_population, the last one null")

    @validates_schema
    def _fits_key(self, data: dict[str, Any], **_kw: Any) -> None:
        key = data.get("key")
        if key not in prices.KEYS:
            return
        allowed = {"key", "label"}
        errors: dict[str, list[str]] = {}
        if key == "tiers":
            allowed |= {"tiers"}
            if "tiers" not in data:
                errors["tiers"] = ["Required by a tiers component."]
            else:
                errors |= tier_errors(data["tiers"])
        elif key == "koenigstein":
            allowed |= {"weight_bp", "year"}
            errors |= _required(data, ("weight_bp", "year"), key)
        else:
            if key == "members":
                allowed |= {"target_group", "members_per_1000"}
                errors |= _required(data, ("target_group",), key)
            share = SHARE_DIVISOR[key]
            if "weight_bp" in data:
                allowed |= {"weight_bp", share}
                errors |= _required(data, (share,), key)
            elif "amount_cents" in data:
                allowed |= {"amount_cents"} | ({"per_units"} if key != "flat" else set())
            else:
                errors["amount_cents"] = [
                    f"A {key} component is a rate (amount_cents) or a share (weight_bp)."
                ]
        for name in set(data) - allowed:
            errors.setdefault(name, [f"Not part of this {key} component."])
        if errors:
            raise ValidationError(errors)


def _required(data: dict[str, Any], names: tuple[str, ...], key: str) -> dict[str, list[str]]:
    return {n: [f"Required by a {key} component."] for n in names if data.get(n) is None}


def tier_errors(tiers: list[dict[str, Any]]) -> dict[str, list[str]]:
    bounds = [t["max_population"] for t in tiers]
    if bounds[-1] is not None:
        return {"tiers": ["The last tier has max_population null (no upper bound)."]}
    if None in bounds[:-1]:
        return {"tiers": ["Only the last tier may have max_population null."]}
    if any(a >= b for a, b in itertools.pairwise(bounds[:-1])):
        return {"tiers": ["max_population must ascend strictly."]}
    return {}


class PriceSchema(Schema):
    """One price period, replaced as a whole. Money is integer euro cents.

    Either the composite form (`components`, optional `pool_cents`) or one of the old
    models as shorthand (`model` with its parameters), converted on arrival. Answers carry
    both: the composite form, the `model` (`composite` when it is none of the old ones),
    and for an old model its parameters."""

    model = fields.String(
        validate=validate.OneOf(prices.MODELS),
        metadata={"description": "shorthand: free, flat, per_capita, tiered, koenigstein"},
    )
    currency = fields.String(validate=validate.Equal("EUR"), metadata={"description": "always EUR"})
    valid_from = fields.Date(
        allow_none=True, metadata={"description": "first day in force; null: since ever"}
    )
    valid_to = fields.Date(
        allow_none=True, metadata={"description": "last day in force; null: until changed"}
    )
    onboarding_fee_cents = cents(
        "one-time Anbindung fee (not jointly financed), charged in the first year"
    )
    first_year = fields.String(
        validate=validate.OneOf(prices.FIRST_YEAR_RULES),
        metadata={
            "description": "full, or pro_rata: the year the contract is signed pays the "
            "months from the signing month on (Marktplatz contract); default full"
        },
    )
    pool_cents = cents(
        "the annual costs shared by the weighted components (required with any weight)",
        allow_none=True,
    )
    components = fields.List(
        fields.Nested(ComponentSchema),
        validate=validate.Length(max=20),
        metadata={"description": "added up to the annual price; empty: free"},
    )
    annual_fee_cents = cents("shorthand flat: the annual fee")
    per_capita_fee_cents = cents("shorthand per_capita: annual fee per inhabitant")
    tiers = _tiers("shorthand tiered: ascending max_population, the last one null")
    total_annual_cost_cents = cents("shorthand koenigstein: the annual cost shared by the Länder")
    koenigstein_year = year_field("shorthand koenigstein: the year of the key to apply")

    @validates_schema
    def _one_form(self, data: dict[str, Any], **_kw: Any) -> None:
        errors = _period_errors(data)
        if errors:
            raise ValidationError(errors)

    @post_load
    def _canonical(self, data: dict[str, Any], **_kw: Any) -> dict[str, Any]:
        return _to_canonical(data)


def _to_canonical(data: dict[str, Any]) -> dict[str, Any]:
    if "components" in data:
        return prices.canonical(data)
    return prices.from_shorthand(data)


def _period_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    model = data.get("model")
    given = {n for n in ALL_SHORTHAND if n in data}
    if "components" not in data:
        if model is None and given:
            return {"model": ["Required with the shorthand parameters (or give components)."]}
        if model is None or model == "composite":
            return {"components": ["Give components, or a shorthand model."]}
        needed = SHORTHAND_PARAMETERS[model]
        errors = {n: [f"Required by the {model} model."] for n in needed if data.get(n) is None}
        errors |= {n: [f"Not part of the {model} model."] for n in given - needed}
        if "pool_cents" in data:
            errors["pool_cents"] = ["Part of the composite form (with components)."]
        if not errors and model == "tiered":
            errors = tier_errors(data["tiers"])
        return errors or _dates(data)
    errors = _weights(data)
    if not errors and (model is not None or given):
        # An answer of the registry sent back: its shorthand must say the same thing.
        described = prices.describe(prices.canonical(data))
        if model is not None and model != described["model"]:
            errors["model"] = [f"The components make a {described['model']} price."]
        errors |= {
            n: ["Disagrees with the components."] for n in given if described.get(n) != data[n]
        }
    return errors or _dates(data)


def _weights(data: dict[str, Any]) -> dict[str, list[str]]:
    weights = [c["weight_bp"] for c in data["components"] if "weight_bp" in c]
    pool = data.get("pool_cents")
    if weights and pool is None:
        return {"pool_cents": ["Required: weighted components share the pool."]}
    if not weights and pool is not None:
        return {"pool_cents": ["Only with weighted components (weight_bp)."]}
    if weights and sum(weights) != FULL_WEIGHT:
        return {"components": [f"The weights add up to {sum(weights)} bp, not 10000 (100 %)."]}
    return {}


def _dates(data: dict[str, Any]) -> dict[str, list[str]]:
    start, end = data.get("valid_from"), data.get("valid_to")
    if start and end and end < start:
        return {"valid_to": ["Not before valid_from."]}
    return {}


def period_list_errors(periods: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Canonical periods in order, not overlapping; only the first may start open."""
    for i, (a, b) in enumerate(itertools.pairwise(periods), start=1):
        if b["valid_from"] is None:
            return {f"{i}.valid_from": ["Only the first period may start open (null)."]}
        if a["valid_to"] is None or a["valid_to"] >= b["valid_from"]:
            return {
                f"{i}.valid_from": [
                    "Periods are in order and do not overlap: the one before must end "
                    "(valid_to) before this one starts."
                ]
            }
    return {}


class ReuseTermsSchema(Schema):
    """Who pays for a municipality of one Land (the Land itself pays the price)."""

    land_code = land_code(required=True)
    payer = fields.String(
        required=True,
        validate=validate.OneOf(prices.PAYERS),
        metadata={
            "description": "reuser: the municipality pays the price; land: the Land pays "
            "for its municipalities; fitko: financed from FITKO's budget (IT-Planungsrat "
            "decision 2023/35); land_passes_on: the Land passes `share_bp` of its own annual "
            "cost on to its municipalities by inhabitants"
        },
    )
    share_bp = fields.Integer(
        strict=True,
        validate=validate.Range(min=0, max=FULL_WEIGHT),
        metadata={"description": "land_passes_on: the part passed on, in basis points"},
    )
    onboarding_paid_by_land = fields.Boolean(
        load_default=False,
        metadata={"description": "the Land also pays the Anbindung (default: the reuser)"},
    )
    note = fields.String(
        allow_none=True, validate=validate.Length(max=500), metadata={"description": "in words"}
    )
    source = fields.String(allow_none=True, metadata={"description": "where the terms are stated"})

    @validates_schema
    def _share(self, data: dict[str, Any], **_kw: Any) -> None:
        passes_on = data.get("payer") == "land_passes_on"
        if passes_on and data.get("share_bp") is None:
            raise ValidationError({"share_bp": ["Required when the Land passes costs on."]})
        if not passes_on and "share_bp" in data:
            raise ValidationError({"share_bp": ["Only when the Land passes costs on."]})


def terms_errors(terms: list[dict[str, Any]]) -> dict[str, list[str]]:
    seen: set[str] = set()
    for i, t in enumerate(terms):
        if t["land_code"] in seen:
            return {f"{i}.land_code": [f"Land {t['land_code']} has terms already."]}
        seen.add(t["land_code"])
    return {}
