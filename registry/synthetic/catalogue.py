"""Services (the real OZG catalogue, or a generated one) and generated solutions with prices."""

from __future__ import annotations

import random
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

from registry.importers import ozg_catalog
from registry.logic import prices
from registry.logic.prices import SHORTHAND_MODELS
from registry.models.vocab import CHANNELS, LEVELS, MATURITY_MODELS, THEMENFELDER

SOLUTION_SOURCE = "synthetic (generated for benchmarks; illustrative, not a fact)"
# Level mix of generated services and solutions: most OZG services are municipal.
SERVICE_LEVELS = {"gemeinde": 0.62, "bund": 0.2, "land": 0.14, "kreis": 0.04}
SOLUTION_LEVELS = {"gemeinde": 0.7, "kreis": 0.1, "land": 0.14, "bund": 0.06}
SOLUTION_STATUSES = {"live": 0.8, "pilot": 0.08, "development": 0.07, "retired": 0.05}


def real_services(directory: Path, curated: Path) -> list[dict[str, Any]]:
    records, _ = ozg_catalog.records(directory, ozg_catalog.curation_from(curated))
    return records


def generated_services(rng: random.Random, count: int = 575) -> list[dict[str, Any]]:
    out = []
    for n in range(count):
        level = _pick(rng, SERVICE_LEVELS)
        out.append(
            {
                "ozg_id": f"{10000 + n:05d}",
                "name": f"Synthetische OZG-Leistung {10000 + n}",
                "themenfeld": rng.choice(THEMENFELDER),
                "lebenslage": None,
                "executing_level": level,
                "executing_level_source": "assumed",
                "executing_level_reason": None,
                "voluntary": False,
                "responsibilities": [],
                "leika_keys": [f"99{rng.randrange(10**12):012d}" for _ in range(rng.randint(1, 4))],
                "source": "synthetic (generated catalogue of the OZG catalogue's shape)",
            }
        )
    # Every executing level has at least one service, whatever the draw.
    for n, level in enumerate(LEVELS):
        out[n]["executing_level"] = level
    return out


def koenigstein_shares(path: Path) -> list[dict[str, Any]]:
    with path.open("rb") as handle:
        return tomllib.load(handle)["share"]


def solutions(
    rng: random.Random,
    count: int,
    services: list[dict[str, Any]],
    builders: dict[str, list[int]],
    koenigstein_year: int,
) -> list[dict[str, Any]]:
    """`count` solutions, each implementing 1-4 services of one level; every price model.

    services carry their database id under "id"; builders maps an organisation kind to ids.
    """
    by_level: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for service in services:
        by_level[service["executing_level"]].append(service)
    out = []
    for n in range(count):
        level = _pick(rng, SOLUTION_LEVELS)
        if not by_level[level]:
            level = "gemeinde" if by_level["gemeinde"] else next(iter(by_level))
        pool = by_level[level]
        anchor = rng.randrange(len(pool))
        implemented = pool[anchor : anchor + rng.choice((1, 1, 2, 2, 3, 4))]
        model = SHORTHAND_MODELS[n % len(SHORTHAND_MODELS)]
        maturity_model = rng.choice((None, "1.1", "2.0", "2.0"))
        record = {
            "slug": f"syn-{n + 1:04d}",
            "name": f"Synthetische Lösung {n + 1}: {implemented[0]['name'][:200]}",
            "description": None,
            "builder_id": rng.choice(builders[_builder_kind(rng, level)]),
            "operator_id": None,
            "efa": rng.random() < 0.92,
            "status": _pick(rng, SOLUTION_STATUSES),
            "maturity": None
            if maturity_model is None
            else rng.randint(1, MATURITY_MODELS[maturity_model]),
            "maturity_model": maturity_model,
            "channel": rng.choice(CHANNELS),
            "requires_land_contract": rng.random() < 0.3,
            "url": None,
            "source": SOLUTION_SOURCE,
            "price_source": SOLUTION_SOURCE,
            "level": level,
            "service_ids": [s["id"] for s in implemented],
            "prices": [_price(rng, model, koenigstein_year, composite=n % 10 == 9)],
        }
        out.append(record)
    return out


def _builder_kind(rng: random.Random, level: str) -> str:
    if level == "bund":
        return "bund"
    if level == "land":
        return "land"
    return _pick(rng, {"land": 0.6, "kreisfreie_stadt": 0.25, "kreis": 0.15})


def _price(rng: random.Random, model: str, year: int, *, composite: bool) -> dict[str, Any]:
    """One of the five old models (as shorthand), or for every tenth solution a composite
    price: half by the Königsteiner Schlüssel, half by inhabitants, the first year pro rata."""
    price: dict[str, Any] = {"model": model}
    if model != "free":
        price["onboarding_fee_cents"] = rng.choice((None, rng.randrange(0, 2_000_000, 5_000)))
    if model == "flat":
        price["annual_fee_cents"] = rng.randrange(100_000, 5_000_000, 10_000)
    elif model == "per_capita":
        price["per_capita_fee_cents"] = rng.randrange(1, 40)
    elif model == "koenigstein":
        price["total_annual_cost_cents"] = rng.randrange(10_000_000, 500_000_000, 100_000)
        price["koenigstein_year"] = year
    elif model == "tiered":
        fee = rng.randrange(50_000, 300_000, 10_000)
        bounds = [10_000, 50_000, 200_000, None]
        price["tiers"] = [
            {"max_population": bound, "annual_fee_cents": fee * (i + 1)}
            for i, bound in enumerate(bounds)
        ]
    if composite and model == "koenigstein":
        return prices.canonical(
            {
                "onboarding_fee_cents": price["onboarding_fee_cents"],
                "first_year": "pro_rata",
                "pool_cents": price["total_annual_cost_cents"],
                "components": [
                    {"key": "koenigstein", "weight_bp": 5_000, "year": year},
                    {"key": "inhabitants", "weight_bp": 5_000, "basis_units": 84_000_000},
                ],
            }
        )
    return prices.from_shorthand(price)


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]
