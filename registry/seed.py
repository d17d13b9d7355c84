"""`registry seed`: load the reference facts and the demo scenario in seed/, idempotently.

Records are validated by the same schemas as the API and written by the same logic, in one
transaction. A record already present with the same values is left alone, so a second run
changes nothing.
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from marshmallow import Schema, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.api.adoptions import AdoptionSchema
from registry.api.organisations import OrganisationSchema
from registry.api.services import ServiceSchema
from registry.api.solutions import SolutionSchema
from registry.errors import Invalid, NotFound, flatten_errors
from registry.logic import adoptions, koenigstein, lookup, organisations, services, solutions
from registry.models import Adoption
from registry.paths import project_dir


def seed(session: Session, directory: Path | None = None) -> dict[str, Counter[str]]:
    """Load every seed file; returns created/updated/unchanged counts per file."""
    directory = directory or project_dir("seed")
    return {
        "koenigstein": _seed_shares(session, _records(directory / "koenigstein.toml", "share")),
        "organisations": _seed_entities(
            session,
            _records(directory / "organisations.toml", "organisation"),
            OrganisationSchema(),
            lambda r: _maybe(lambda: lookup.organisation(session, r.get("ars") or r["slug"])),
            organisations,
        ),
        "services": _seed_entities(
            session,
            _records(directory / "services.toml", "service"),
            ServiceSchema(),
            lambda r: _maybe(lambda: lookup.service(session, r["ozg_id"])),
            services,
        ),
        "solutions": _seed_entities(
            session,
            _records(directory / "solutions.toml", "solution"),
            SolutionSchema(),
            lambda r: _maybe(lambda: lookup.solution(session, r["slug"])),
            solutions,
        ),
        "adoptions": _seed_entities(
            session,
            _records(directory / "demo_adoptions.toml", "adoption"),
            AdoptionSchema(),
            lambda r: _existing_adoption(session, r),
            adoptions,
        ),
    }


def _records(path: Path, table: str) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open("rb") as handle:
        return tomllib.load(handle).get(table, [])


def _seed_shares(session: Session, records: list[dict[str, Any]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for record in records:
        outcome = koenigstein.put_share(
            session,
            year=record["year"],
            land_code=record["land_code"],
            share_e5=koenigstein.parse_percent(record["share_percent"]),
            source=record.get("source"),
        )
        counts[outcome] += 1
    session.flush()
    return counts


def _seed_entities(
    session: Session,
    records: list[dict[str, Any]],
    schema: Schema,
    find: Callable[[dict[str, Any]], Any],
    logic: Any,
) -> Counter[str]:
    counts: Counter[str] = Counter()
    for number, record in enumerate(records, start=1):
        try:
            desired = schema.load(_jsonable(record))
        except ValidationError as error:
            raise Invalid(
                flatten_errors(error.normalized_messages()),
                f"{schema.__class__.__name__.removesuffix('Schema')} record {number} of seed/ "
                "is invalid.",
            ) from error
        existing = find(desired)
        if existing is None:
            logic.create(session, desired)
            counts["created"] += 1
            continue
        current = schema.dump(existing)
        changes = {k: v for k, v in desired.items() if not _same(k, v, current.get(k))}
        if changes:
            logic.update(session, existing, changes)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def _same(field: str, wanted: Any, current: Any) -> bool:
    if field == "price":
        wanted = {"currency": "EUR", **wanted}
    wanted, current = _jsonable(wanted), _jsonable(current)
    if isinstance(wanted, list) and all(isinstance(v, str) for v in wanted):
        # Key lists (duties, LeiKa keys, services) are sets: their order carries no meaning.
        return isinstance(current, list) and sorted(wanted) == sorted(current)
    return wanted == current


def _jsonable(value: Any) -> Any:
    """TOML dates become ISO strings, as the API's JSON would carry them."""
    return json.loads(json.dumps(value, default=_iso))


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _maybe(get: Callable[[], Any]) -> Any:
    try:
        return get()
    except NotFound:
        return None


def _existing_adoption(session: Session, record: dict[str, Any]) -> Adoption | None:
    org = lookup.organisation(session, record["organisation"], field="organisation")
    solution = lookup.solution(session, record["solution"], field="solution")
    return session.scalar(
        select(Adoption).where(
            Adoption.organisation_id == org.id, Adoption.solution_id == solution.id
        )
    )
