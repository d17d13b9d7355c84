"""How big a synthetic dataset is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    lands: frozenset[str] | None  # None: all 16 Länder
    solutions: int
    adoptions: int  # target for the sampled adoptions, before roll-outs


PROFILES = {
    # The whole country: ~12,300 organisations, >= 1,000,000 adoptions.
    "germany": Profile("germany", None, 360, 1_060_000),
    # A few small Länder, for CI and quick runs of the benchmark.
    "quick": Profile("quick", frozenset({"02", "04", "10", "12"}), 120, 30_000),
}
