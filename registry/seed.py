"""`registry seed`: all of Germany from the official files in seed/official, the curated
levels, the real solutions and the labelled demo scenario, idempotently.

Steps, in the order their references need:
  koenigstein    Königsteiner shares (seed/koenigstein.toml)
  organisations  GV100AD (seed/official): Bund, Länder, Regierungsbezirke, Kreise,
                 kreisfreie Städte, Gemeindeverbände, Gemeinden
  slugs          friendly keys for some of them, and the non-territorial bodies
                 (seed/organisations.toml)
  services       the OZG catalogue with its LeiKa mapping (seed/official) and who executes
                 each service per Land (seed/responsibilities.toml)
  solutions      publicly documented online services (seed/solutions.toml)
  demo_adoptions the illustrative demo scenario (seed/demo_adoptions.toml)

Records are validated by the same schemas as the API and written by the same logic, in the
caller's transaction. A record already present with the same values is left alone, so a
second run changes nothing. `lands` narrows the GV100AD step to some Länder (every Land
itself stays): a smaller world for development and tests; references to bodies outside it
are skipped and counted.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from registry.errors import Invalid, NotFound
from registry.importers import gv100ad, ozg_catalog
from registry.importers.report import ImportFailed, Report
from registry.importers.upsert import upsert
from registry.logic import lookup
from registry.paths import project_dir
from registry.uow import UnitOfWork

OFFICIAL = "official"


def official_file(directory: Path, pattern: str) -> Path:
    found = sorted((directory / OFFICIAL).glob(pattern))
    if not found:
        raise ImportFailed(f"{OFFICIAL}/{pattern}", None, "file missing")
    return found[-1]


def seed(
    session: Session, directory: Path | None = None, *, lands: frozenset[str] | None = None
) -> dict[str, Counter[str]]:
    """Load every step; returns created/updated/unchanged (and skipped) counts per step."""
    directory = directory or project_dir("seed")
    report: dict[str, Counter[str]] = {}
    report["koenigstein"] = _records(session, directory / "koenigstein.toml", "share", lands)
    gv100ad_file = official_file(directory, "destatis_gv100ad_*[0-9].txt")
    report["organisations"] = _counts(gv100ad.import_file(session, gv100ad_file, lands))
    report["slugs"] = _slugs(session, directory / "organisations.toml", lands)
    report["slugs"] += _records(session, directory / "organisations.toml", "organisation", lands)
    catalogue = ozg_catalog.import_dir(
        session, directory / OFFICIAL, directory / "responsibilities.toml"
    )
    if catalogue.rejected:
        first = catalogue.rejected[0]
        raise Invalid({"services": [first["reason"]]}, f"{first['record']}: invalid")
    report["services"] = _counts(catalogue)
    report["case_rates"] = _case_rates(session, directory / "case_rates.toml")
    report["solutions"] = _records(session, directory / "solutions.toml", "solution", lands)
    report["demo_adoptions"] = _records(
        session, directory / "demo_adoptions.toml", "adoption", lands
    )
    session.flush()
    return report


def _case_rates(session: Session, path: Path) -> Counter[str]:
    """Per-service case rates for usage-based prices, set through the unit of work."""
    counts: Counter[str] = Counter()
    work = UnitOfWork.trusted_for(session)
    for record in _load(path, "service"):
        service = lookup.service(session, record["ozg_id"])
        wanted = {
            "case_rate_per_1000": record["per_1000"],
            "case_rate_source": record["source"],
            "case_rate_assumed": record["assumed"],
        }
        if all(getattr(service, name) == value for name, value in wanted.items()):
            counts["unchanged"] += 1
            continue
        work.update("service", service, wanted)
        counts["updated"] += 1
    return counts


def _counts(found: Report) -> Counter[str]:
    counts = Counter(found.counts)
    for reason, number in {**found.skipped, **found.warnings}.items():
        counts[f"skipped ({reason})" if reason in found.skipped else f"({reason})"] += number
    return counts


KIND = {"share": "koenigstein_share", "organisation": "organisation"}


def _records(
    session: Session, path: Path, table: str, lands: frozenset[str] | None
) -> Counter[str]:
    counts: Counter[str] = Counter()
    for number, record in enumerate(_load(path, table), start=1):
        if lands is not None and not _present(session, record):
            counts["skipped (refers to a body outside the Länder loaded)"] += 1
            continue
        try:
            counts[upsert(session, KIND.get(table, table), record)] += 1
        except Invalid as error:
            raise Invalid(error.errors or {}, f"{path.name}, record {number}: invalid") from error
    session.flush()
    return counts


def _present(session: Session, record: dict[str, Any]) -> bool:
    """Whether every organisation the record names exists (only asked with `lands`)."""
    for name in ("builder", "operator", "organisation"):
        key = record.get(name)
        if key is None:
            continue
        try:
            lookup.organisation(session, key)
        except NotFound:
            return False
    if "solution" in record:
        try:
            lookup.solution(session, record["solution"])
        except NotFound:
            return False
    return True


def _slugs(session: Session, path: Path, lands: frozenset[str] | None) -> Counter[str]:
    """Friendly keys (`bochum`) for bodies the GV100AD step created under their ARS."""
    counts: Counter[str] = Counter()
    for number, entry in enumerate(_load(path, "slug"), start=1):
        if (
            lands is not None
            and entry["ars"][:2] not in lands
            and not entry["ars"].endswith("0" * 10)
        ):
            counts["skipped (outside the Länder loaded)"] += 1
            continue
        try:
            org = lookup.organisation(session, entry["ars"])
        except NotFound:
            raise Invalid(
                {"ars": [f"{entry['ars']} is not in the GV100AD file"]},
                f"{path.name}, slug {number}: invalid",
            ) from None
        if org.slug == entry["slug"]:
            counts["unchanged"] += 1
            continue
        UnitOfWork.trusted_for(session).update("organisation", org, {"slug": entry["slug"]})
        counts["updated"] += 1
    return counts


def _load(path: Path, table: str) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open("rb") as handle:
        return tomllib.load(handle).get(table, [])
