"""registry.logic.candidates._judge takes each score component from a cached function of
its integers and sums the weighted components written out: the same floats as rounding
each component and summing over the dict of weights, as the ranking is documented
(module docstring), over random candidates (fixed seeds, so that a failure replays). No
database: the arithmetic alone."""

from __future__ import annotations

import random
from datetime import date

import pytest

from registry.logic import candidates, costs
from registry.logic.asking import Asking
from registry.logic.candidates import (
    BLOCKED_FACTOR,
    STATUS_VALUE,
    WEIGHTS,
    Candidate,
    CandidateSolution,
)
from registry.models.vocab import MATURITY_MODELS

LAND = Asking(1, "050000000000", None, "Land NRW", "land", "05", 17_900_000, None)
BOCHUM = Asking(2, "059110000000", None, "Bochum", "kreisfreie_stadt", "05", 364_000, None, LAND)


def documented(c: Candidate) -> tuple[dict[str, float], float]:
    """The components and score as the ranking is documented, each rounded to four places."""
    s = c.solution
    maturity = (
        s.maturity / MATURITY_MODELS[s.maturity_model]
        if s.maturity is not None and s.maturity_model
        else 0.0
    )
    components = {
        "status": STATUS_VALUE.get(s.status, 0.0),
        "maturity": round(maturity, 4),
        "adoption": round(c.adopters / (c.adopters + 10), 4),
        "nearby": round(c.adopters_in_land / (c.adopters_in_land + 3), 4),
        "cost": round(1 / (1 + c.cost.total_cents / 1_000_000), 4) if c.cost else 0.5,
    }
    score = sum(WEIGHTS[name] * value for name, value in components.items())
    return components, round(score * (BLOCKED_FACTOR if c.blocked_reason else 1.0), 4)


@pytest.mark.parametrize("seed", range(4))
def test_the_score_is_the_documented_sum(seed):
    rng = random.Random(seed)
    ctx = costs.Context(BOCHUM, LAND, {})
    for n in range(2_000):
        model = rng.choice([None, "1.1", "2.0"])
        solution = CandidateSolution(
            n,
            f"s{n}",
            f"Solution {n}",
            None,
            rng.choice(["live", "pilot", "development", "retired"]),
            rng.randint(0, MATURITY_MODELS[model]) if model and rng.random() < 0.9 else None,
            model,
            None,
            rng.random() < 0.3,  # requires a Land contract: blocked unless contracted
            [],
            [],
            None,
        )
        total = rng.choice([None, 0, rng.randint(1, 10**9)])
        estimate = (
            costs.Estimate(total, 0, date(2026, 1, 1), (), "illustrative")
            if total is not None
            else None
        )
        estimates = {(n, None): (estimate, None if estimate else "no price")}
        c = Candidate(1, solution, rng.randint(0, 12_000), rng.randint(0, 2_500))
        contracted = {n} if rng.random() < 0.5 else set()
        candidates._judge(c, BOCHUM, ctx, contracted, 5, estimates)
        components, score = documented(c)
        assert c.components == components, (c.components, components)
        assert list(c.components) == list(WEIGHTS)  # the answer's order
        assert c.score == score, (c.score, score)
