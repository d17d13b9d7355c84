"""Put a synthetic dataset together and load it: `registry seed --synthetic PROFILE`."""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from registry.errors import Conflict
from registry.logic import aggregates
from registry.models import AuditCounter, Organisation, Service, Solution
from registry.models.koenigstein import SHARE_SCALE
from registry.models.search import SEARCHED_FIELDS, search_words
from registry.models.stats import Stale
from registry.paths import project_dir
from registry.synthetic import adoptions, bulk, catalogue, organisations
from registry.synthetic.profiles import Profile
from registry.text import fold

KOENIGSTEIN_YEAR = 2016
VERSIONED = ("version", "created_at", "updated_at")
STAMP = (1, bulk.LOADED_AT, bulk.LOADED_AT)


@dataclass
class Loaded:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    sources: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def gv100ad_file(directory: Path | None) -> Path | None:
    if directory is None:
        return None
    found = sorted(p for p in directory.glob("destatis_gv100ad_*.txt") if p.stem[-1].isdigit())
    return found[-1] if found else None


def build(session: Session, profile: Profile, seed: int, data: Path | None) -> Loaded:
    """Generate the dataset and load it into an empty database, in the session's transaction."""
    taken = [
        model.__tablename__
        for model in (Organisation, Service, Solution)
        if session.scalar(select(func.count()).select_from(model))
    ]
    if taken:
        raise Conflict(
            f"synthetic data goes into an empty database; this one has {', '.join(taken)} rows"
        )
    started = time.perf_counter()
    rng = random.Random(seed)
    loaded = Loaded()
    tree_file = gv100ad_file(data)
    if tree_file is not None:
        tree = organisations.real_tree(tree_file, profile.lands)
        loaded.sources.append(f"organisations: {tree_file.name}")
    else:
        tree = organisations.generated_tree(rng, profile.lands)
        loaded.sources.append("organisations: generated tree")
    if data is not None and (data / "ozg_leistungen.csv").exists():
        services = catalogue.real_services(data, project_dir("seed") / "responsibilities.toml")
        loaded.sources.append("services: OZG catalogue files")
    else:
        services = catalogue.generated_services(rng)
        loaded.sources.append("services: generated catalogue")
    _number(tree, services)
    builders: dict[str, list[int]] = {}
    for org in tree:
        builders.setdefault(org["kind"], []).append(org["id"])
    solutions = catalogue.solutions(rng, profile.solutions, services, builders, KOENIGSTEIN_YEAR)
    for n, solution in enumerate(solutions, start=1):
        solution["id"] = n

    def put(table: str, columns: tuple[str, ...], rows: Any, length: int | None = None) -> None:
        loaded.counts[table] = bulk.load(session, table, columns, rows, length)

    put(*_organisations(tree), len(tree))
    put(
        "organisation_duty",
        ("organisation_id", "level"),
        [(o["id"], level) for o in tree for level in o["duties"] or ()],
    )
    put("organisation_closure", ("ancestor_id", "descendant_id", "depth"), _closure(tree))
    put(
        "koenigstein_share",
        ("year", "land_code", "share_e5", "source"),
        [
            (s["year"], s["land_code"], int(Decimal(s["share_percent"]) * SHARE_SCALE), s["source"])
            for s in catalogue.koenigstein_shares(project_dir("seed") / "koenigstein.toml")
        ],
    )
    put(*_services(services), len(services))
    put(
        "service_responsibility",
        ("service_id", "land_code", "level", "reason"),
        [
            (s["id"], r["land_code"], r["level"], r["reason"])
            for s in services
            for r in s["responsibilities"]
        ],
    )
    put(
        "service_leika_key",
        ("service_id", "leika_key"),
        [(s["id"], key) for s in services for key in s["leika_keys"]],
    )
    put(*_solutions(solutions), len(solutions))
    put(
        "solution_service",
        ("solution_id", "service_id"),
        [(s["id"], service_id) for s in solutions for service_id in s["service_ids"]],
    )
    put(
        "adoption",
        (*adoptions.COLUMNS, "provenance", *VERSIONED),
        (
            (*row, "illustrative", *STAMP)
            for row in adoptions.generate(rng, tree, solutions, profile.adoptions)
        ),
        None,
    )
    # No audit events for benchmark data, but the sequence moves on: answers cached under an
    # earlier tag (registry.api.conditional) must not be taken for current.
    session.execute(update(AuditCounter).values(last_id=AuditCounter.last_id + 1))
    bulk.finish(session)  # statistics first, so that the recount below gets sane plans
    # COPY bypasses the ORM's change tracking: count the materialised figures once, wholesale.
    aggregates.recount(session, Stale(everything=True))
    loaded.seconds = time.perf_counter() - started
    return loaded


def _number(tree: list[dict[str, Any]], services: list[dict[str, Any]]) -> None:
    key_to_id: dict[str, int] = {}
    for n, org in enumerate(tree, start=1):
        org["id"] = n
        key_to_id[org["ars"] or org["slug"]] = n
    for org in tree:
        org["parent_id"] = key_to_id[org["parent"]] if org["parent"] else None
    for n, service in enumerate(services, start=1):
        service["id"] = n


def _searched(kind: type, record: dict[str, Any]) -> tuple[str, str]:
    fields = SEARCHED_FIELDS[kind]
    return fold(record["name"]), fold(" ".join(search_words(record.get(f)) for f in fields))


def _organisations(tree: list[dict[str, Any]]) -> tuple[str, tuple[str, ...], list[tuple]]:
    columns: tuple[str, ...] = ("id", "ars", "slug", "name", "kind", "land_code", "parent_id")
    columns += ("population", "population_date", "source", "search_name", "search_text", *VERSIONED)
    rows = [(*(o.get(c) for c in columns[:10]), *_searched(Organisation, o), *STAMP) for o in tree]
    return "organisation", columns, rows


def _services(services: list[dict[str, Any]]) -> tuple[str, tuple[str, ...], list[tuple]]:
    columns: tuple[str, ...] = ("id", "ozg_id", "name", "themenfeld", "lebenslage")
    columns += ("executing_level", "executing_level_source", "executing_level_reason")
    columns += ("voluntary", "source", "leika_names", "search_name", "search_text", *VERSIONED)
    rows = [
        (
            *(s[c] for c in columns[:10]),
            json.dumps(s.get("leika_names") or []),
            *_searched(Service, s),
            *STAMP,
        )
        for s in services
    ]
    return "service", columns, rows


def _solutions(solutions: list[dict[str, Any]]) -> tuple[str, tuple[str, ...], list[tuple]]:
    columns: tuple[str, ...] = ("id", "slug", "name", "description", "builder_id")
    columns += ("operator_id", "efa", "status")
    columns += ("maturity", "maturity_model", "channel", "requires_land_contract", "url")
    columns += ("source", "price_source")
    plain = len(columns)
    columns += ("prices", "reuse_terms", "search_name", "search_text", *VERSIONED)
    rows = [
        (
            *(s[c] for c in columns[:plain]),
            json.dumps(s["prices"]),  # COPY and sqlite3 take JSON as its text
            json.dumps([]),
            *_searched(Solution, s),
            *STAMP,
        )
        for s in solutions
    ]
    return "solution", columns, rows


def _closure(tree: list[dict[str, Any]]) -> list[tuple[int, int, int]]:
    """(ancestor, descendant, depth) for every pair, self-links included; parents come first."""
    chain: dict[int, list[int]] = {}
    rows: list[tuple[int, int, int]] = []
    for org in tree:
        above = chain[org["parent_id"]] if org["parent_id"] else []
        chain[org["id"]] = [org["id"], *above]
        rows.extend((ancestor, org["id"], depth) for depth, ancestor in enumerate(chain[org["id"]]))
    return rows
