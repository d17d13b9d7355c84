"""Side by side: the gap question's ratios from interleaved rounds, not from phases minutes
apart.

The main phases measure each server in turn: the floor's SQL replay first, the registry's
endpoints over the next minutes, Datasette last. This machine's speed drifts by a third
within a run (README, Performance: run AU's floor replay met a faster machine than its load
phases; the bare route 0.57 ms there against 0.78-0.91 in the runs beside it), and a ratio of
two figures measured minutes apart carries that drift. Here the registry (answer cache
off), the bare route and Datasette serve at once, and each round measures, one right after
the other: the bare route, the SQL replay, the registry's bare gap list and full answer,
their revalidation (304) and Datasette's gap query, at c=1, then the same answers at c=8.
Every ratio is taken within its round; the report gives the median round's ratio and the
spread of all rounds.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

Load = Callable[..., dict[str, Any]]


def rounds(
    load: Load,
    replay: Callable[[str], dict[str, float]],
    ports: dict[str, int],
    paths: dict[str, list[str]],
    count: int,
    etags: Path,
) -> dict[str, Any]:
    """`count` rounds; `ports`: registry, bare, datasette; `paths`: gaps, gaps_bare,
    datasette (the same organisations' questions); `replay(endpoint)`: one SQL replay of
    that endpoint's captured statements (floor.replay)."""
    per_round: list[dict[str, float]] = []
    for _ in range(count):
        bare = load(ports["bare"], ["/bare"], "c1")
        one = {
            "gaps_bare": load(ports["registry"], paths["gaps_bare"], "c1"),
            "gaps": load(ports["registry"], paths["gaps"], "c1"),
            "datasette": load(ports["datasette"], paths["datasette"], "c1"),
        }
        again = load(ports["registry"], paths["gaps"], "c1", etags=etags)
        sql = {name: replay(name)["median_ms"] for name in ("gaps_bare", "gaps")}
        eight = {
            "gaps_bare": load(ports["registry"], paths["gaps_bare"], "c8"),
            "gaps": load(ports["registry"], paths["gaps"], "c8"),
            "datasette": load(ports["datasette"], paths["datasette"], "c8"),
        }
        theirs_ms, theirs_rps = one["datasette"]["median_ms"], eight["datasette"]["rps"]
        figures = {"bare route ms": bare["median_ms"], "datasette c=1 ms": theirs_ms}
        for name in ("gaps_bare", "gaps"):
            ours_ms = one[name]["median_ms"]
            figures[f"{name} c=1 ms"] = ours_ms
            figures[f"{name}: registry / Datasette median c=1"] = ours_ms / theirs_ms
            figures[f"{name}: registry / Datasette throughput c=8"] = (
                eight[name]["rps"] / theirs_rps
            )
            figures[f"{name}: median c=1 / floor"] = ours_ms / (bare["median_ms"] + sql[name])
            figures[f"{name}: c=8 / c=1 throughput"] = eight[name]["rps"] / one[name]["rps"]
        figures["gaps revalidated (304): median / bare route"] = (
            again["median_ms"] / bare["median_ms"]
        )
        # The load generator counts every status but 2xx as an error: for the
        # revalidations, anything but a 304 is one.
        answers = [bare, *one.values(), *eight.values()]
        figures["errors"] = sum(run["errors"] for run in answers) + (
            again["requests"] - again["status_counts"].get("304", 0)
        )
        per_round.append(figures)
    return summary(per_round)


def summary(per_round: list[dict[str, float]]) -> dict[str, Any]:
    """Per figure: the median over the rounds, the lowest and the highest, and every round's."""
    return {
        "rounds": len(per_round),
        "figures": {
            name: {
                "median": statistics.median(r[name] for r in per_round),
                "low": min(r[name] for r in per_round),
                "high": max(r[name] for r in per_round),
                "rounds": [r[name] for r in per_round],
            }
            for name in per_round[0]
        },
    }


# The targets (issue 13) judged on the interleaved figures: (figure, limit, higher is better).
TARGETS = (
    ("gaps_bare: registry / Datasette median c=1", 1.0, False),
    ("gaps_bare: registry / Datasette throughput c=8", 1.0, True),
    ("gaps: registry / Datasette median c=1", 1.0, False),
    ("gaps: registry / Datasette throughput c=8", 1.0, True),
    ("gaps_bare: median c=1 / floor", 1.5, False),
    ("gaps: median c=1 / floor", 1.5, False),
    ("gaps_bare: c=8 / c=1 throughput", 1.6, True),
    ("gaps: c=8 / c=1 throughput", 1.6, True),
    ("gaps revalidated (304): median / bare route", 1.5, False),
)
