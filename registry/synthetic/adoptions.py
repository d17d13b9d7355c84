"""Generated adoptions with a realistic skew.

Solution popularity follows a capped power law over a random ranking: a few solutions are
adopted by almost every organisation due for them, most by few. Organisations in the
builder's Land adopt more often, and each Land has its own appetite. On top, Länder, Kreise
and Ämter roll some solutions out to all their subordinates (scope `subordinates`).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from registry.logic.duties import KIND_LEVELS

CAP = 0.97
EXPONENT = 0.9
HOME_BONUS = 1.6
WIDE = "subordinates"
STATUS_BY_SOLUTION = {
    "live": {
        "live": 0.8,
        "onboarding": 0.07,
        "contracted": 0.06,
        "interested": 0.04,
        "ended": 0.03,
    },
    "pilot": {"live": 0.3, "onboarding": 0.3, "contracted": 0.2, "interested": 0.2},
    "development": {"contracted": 0.3, "interested": 0.7},
    "retired": {"ended": 0.8, "live": 0.2},
}
COLUMNS = (
    "id",
    "organisation_id",
    "solution_id",
    "status",
    "contracted_on",
    "live_on",
    "ended_on",
    "scope",
)
DAYS = [date(2019, 1, 1) + timedelta(days=n) for n in range(2_500)]  # shared date objects


def eligible(organisations: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Organisations due for each executing level (their duties override, else their kind)."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for org in organisations:
        for level in org["duties"] or KIND_LEVELS.get(org["kind"], ()):
            out[level].append(org)
    return out


def popularity(rng: random.Random, sizes: list[int], target: int) -> list[float]:
    """Adoption probability per solution so that the expected total is `target`."""
    order = list(range(len(sizes)))
    rng.shuffle(order)
    rank = {solution: r + 1 for r, solution in enumerate(order)}

    def expected(scale: float) -> float:
        return sum(min(CAP, scale * rank[i] ** -EXPONENT) * n for i, n in enumerate(sizes))

    low, high = 0.0, 1_000.0
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if expected(mid) < target else (low, mid)
    return [min(CAP, high * rank[i] ** -EXPONENT) for i in range(len(sizes))]


def generate(
    rng: random.Random,
    organisations: list[dict[str, Any]],
    solutions: list[dict[str, Any]],
    target: int,
) -> Iterator[tuple[Any, ...]]:
    """Rows in COLUMNS order; ids from 1."""
    due = eligible(organisations)
    lands = sorted({o["land_code"] for o in organisations if o["land_code"]})
    appetite = {code: rng.uniform(0.6, 1.3) for code in lands}
    land_of = {o["id"]: o["land_code"] for o in organisations}
    sizes = [len(due[s["level"]]) for s in solutions]
    chance = popularity(rng, sizes, target)
    taken: set[tuple[int, int]] = set()
    next_id = 1
    for solution, p in zip(solutions, chance, strict=True):
        by_land: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
        for org in due[solution["level"]]:
            by_land[org["land_code"]].append(org)
        home = land_of.get(solution["builder_id"])
        for code, members in sorted(by_land.items(), key=lambda item: item[0] or ""):
            factor = appetite.get(code or "", 1.0) * (HOME_BONUS if code == home else 1.0)
            wanted = min(CAP, p * factor) * len(members)
            count = min(len(members), int(wanted + rng.random()))
            for org in rng.sample(members, count):
                taken.add((org["id"], solution["id"]))
                yield (next_id, org["id"], solution["id"], *_timeline(rng, solution), "self")
                next_id += 1
    yield from _rollouts(rng, organisations, solutions, taken, next_id)


def _rollouts(
    rng: random.Random,
    organisations: list[dict[str, Any]],
    solutions: list[dict[str, Any]],
    taken: set[tuple[int, int]],
    next_id: int,
) -> Iterator[tuple[Any, ...]]:
    municipal = [s for s in solutions if s["level"] == "gemeinde" and s["status"] == "live"]
    if not municipal:
        return
    plans = {"land": (1.0, 4), "kreis": (0.25, 1), "gemeindeverband": (0.3, 1)}
    for org in organisations:
        chance, count = plans.get(org["kind"], (0.0, 0))
        if org["duties"] or rng.random() >= chance:
            continue  # city states have no subordinates to roll out to
        for solution in rng.sample(municipal, min(count, len(municipal))):
            if (org["id"], solution["id"]) in taken:
                continue
            taken.add((org["id"], solution["id"]))
            start = rng.randrange(1_800)
            contracted, live = DAYS[start], DAYS[start + rng.randint(30, 300)]
            yield (
                next_id,
                org["id"],
                solution["id"],
                "live",
                contracted,
                live,
                None,
                "subordinates",
            )
            next_id += 1


def _timeline(rng: random.Random, solution: dict[str, Any]) -> tuple[Any, ...]:
    """(status, contracted_on, live_on, ended_on) consistent with each other."""
    status = rng.choices(
        list(STATUS_BY_SOLUTION[solution["status"]]),
        weights=list(STATUS_BY_SOLUTION[solution["status"]].values()),
    )[0]
    start = rng.randrange(1_800)
    contracted = DAYS[start] if status != "interested" else None
    live = DAYS[start + rng.randint(30, 300)] if status in ("live", "ended") else None
    ended = DAYS[start + rng.randint(320, 690)] if status == "ended" else None
    return status, contracted, live, ended
