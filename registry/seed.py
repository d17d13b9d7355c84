"""`registry seed`: load the reference facts and the demo scenario in seed/, idempotently.

Records are validated by the same schemas as the API and written by the same logic, in one
transaction (see registry.importers.upsert). A record already present with the same values
is left alone, so a second run changes nothing.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from registry.errors import Invalid
from registry.importers.upsert import upsert
from registry.paths import project_dir

# file, TOML table, entity kind, in the order their references need
FILES = (
    ("koenigstein.toml", "share", "koenigstein_share"),
    ("organisations.toml", "organisation", "organisation"),
    ("services.toml", "service", "service"),
    ("solutions.toml", "solution", "solution"),
    ("demo_adoptions.toml", "adoption", "adoption"),
)


def seed(session: Session, directory: Path | None = None) -> dict[str, Counter[str]]:
    """Load every seed file; returns created/updated/unchanged counts per file."""
    directory = directory or project_dir("seed")
    report: dict[str, Counter[str]] = {}
    for filename, table, kind in FILES:
        counts: Counter[str] = Counter()
        for number, record in enumerate(_records(directory / filename, table), start=1):
            try:
                counts[upsert(session, kind, record)] += 1
            except Invalid as error:
                raise Invalid(
                    error.errors or {}, f"{filename}, record {number}: invalid"
                ) from error
        session.flush()
        report[filename.removesuffix(".toml")] = counts
    return report


def _records(path: Path, table: str) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open("rb") as handle:
        return tomllib.load(handle).get(table, [])
