"""registry.logic.costs forms one Fraction per priced component and rounds a year's share
without forming one: the same figures as the plain chain of Fraction operations the
price models describe (README, "What reuse costs"), over random prices and bodies
(fixed seeds, so that a failure replays). No database: the arithmetic alone."""

from __future__ import annotations

import random
from datetime import date
from fractions import Fraction

import pytest

from registry.logic import costs, prices
from registry.logic.asking import Asking
from registry.models.koenigstein import FULL_SHARE


class Priced:
    id = 1
    slug = "illustrative"
    name = "Illustrative solution"
    prices: list = []
    reuse_terms: list = []


def bodies(rng: random.Random) -> tuple[Asking, Asking]:
    land = Asking(
        1, "050000000000", None, "Land NRW", "land", "05", rng.randint(10**6, 2 * 10**7), None
    )
    body = Asking(
        2,
        "059110000000",
        None,
        "Bochum",
        "kreisfreie_stadt",
        "05",
        rng.randint(1, 10**6),
        date(2023, 12, 31),
        land,
    )
    return land, body


def reference(c: dict, pool: int, ctx: costs.Context) -> Fraction:
    """The component's yearly amount as the chain of operations its model describes."""
    org, key = ctx.organisation, c["key"]
    if key == "koenigstein":
        land_part = (
            Fraction(pool * c["weight_bp"], prices.FULL_WEIGHT) * ctx.shares[c["year"]] / FULL_SHARE
        )
        if org.id == ctx.land.id:
            return land_part
        return land_part * org.population / ctx.land.population
    units = Fraction(org.population)
    if "weight_bp" in c:
        part = Fraction(pool * c["weight_bp"], prices.FULL_WEIGHT)
        if key == "flat":
            return part / c["participants"]
        return part * units / c["basis_units"]
    if key == "flat":
        return Fraction(c["amount_cents"])
    return Fraction(c["amount_cents"]) * units / c.get("per_units", 1)


def component(rng: random.Random) -> dict:
    kind = rng.choice(["koenigstein", "pool_flat", "pool_inhabitants", "flat", "rate"])
    if kind == "koenigstein":
        return {"key": "koenigstein", "year": 2025, "weight_bp": rng.randint(1, prices.FULL_WEIGHT)}
    if kind == "pool_flat":
        return {
            "key": "flat",
            "weight_bp": rng.randint(1, 10_000),
            "participants": rng.randint(1, 500),
        }
    if kind == "pool_inhabitants":
        return {
            "key": "inhabitants",
            "weight_bp": rng.randint(1, 10_000),
            "basis_units": rng.randint(1, 9 * 10**7),
        }
    if kind == "flat":
        return {"key": "flat", "amount_cents": rng.randint(0, 10**8)}
    return {
        "key": "inhabitants",
        "amount_cents": rng.randint(1, 10**5),
        "per_units": rng.choice([1, 100, 1000, 7]),
    }


@pytest.mark.parametrize("seed", range(4))
def test_each_component_is_the_chain_of_its_model(seed):
    rng = random.Random(seed)
    for _ in range(500):
        land, body = bodies(rng)
        asked = rng.choice([land, body])
        ctx = costs.Context(asked, land, {2025: rng.randint(1, FULL_SHARE)})
        pool = rng.randint(0, 10**9)
        c = component(rng)
        period = {"pool_cents": pool, "components": [c]}
        amount, words = costs._component(Priced(), period, c, ctx)
        assert amount == reference(c, pool, ctx), (c, pool, asked)
        assert words


@pytest.mark.parametrize("seed", range(4))
def test_a_share_of_the_year_rounds_as_its_fraction_would(seed):
    rng = random.Random(seed)
    for _ in range(5_000):
        exact = Fraction(rng.randint(0, 10**12), rng.randint(1, 10**9))
        months = rng.randint(1, 12)
        plain = exact * months / 12
        expected = (2 * plain.numerator + plain.denominator) // (2 * plain.denominator)
        assert costs.round_half_up(exact, months, 12) == expected
        assert costs.round_half_up(exact) == costs.round_half_up(exact, 12, 12)
    assert costs.round_half_up(Fraction(5, 2)) == 3  # half up
    assert costs.round_half_up(Fraction(1, 1), 6, 12) == 1  # 0.5 cents: up
    assert costs.round_half_up(Fraction(1, 1), 5, 12) == 0
