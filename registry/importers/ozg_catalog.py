"""`registry import ozg-catalog DIR`: the OZG catalogue (Themenfelder, Lagen, OZG-Leistungen,
LeiKa mapping with Typisierung) into services.

Executing level, derived from the LeiKa Typisierung of the service's LeiKa entries
(1: Bund rules and executes; 2: Bund rules, Land executes; 3: Bund rules, municipalities
execute; 4: Land rules and executes; 5: Land rules, municipalities execute; 6: municipal
law): 1 -> bund, 2 -> land, 4 -> land, 3, "2/3", 5, 6 -> gemeinde (the municipal level).
The most frequent level among a service's entries wins; ties go to the more local level.
seed/executing_levels.toml overrides it for the services whose level is known (vehicle
registration is a Kreis task, say); those are marked `set`, the others `derived`.
"""

from __future__ import annotations

import csv
import tomllib
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from registry.importers.report import ImportFailed, Report
from registry.importers.upsert import upsert
from registry.paths import project_dir
from registry.progress import progress

TYPE_LEVEL = {
    "1": "bund",
    "2": "land",
    "4": "land",
    "3": "gemeinde",
    "2/3": "gemeinde",
    "5": "gemeinde",
    "6": "gemeinde",
}
LOCALNESS = {"bund": 0, "land": 1, "kreis": 2, "gemeinde": 3}
SOURCE = (
    "OZG-Umsetzungskatalog and LeiKa (state 2019, via kdn-nrw/OZG-Datenbank-NRW), "
    "imported from {file}"
)


def _rows(path: Path, required: set[str]) -> list[tuple[int, dict[str, str]]]:
    if not path.exists():
        raise ImportFailed(path.name, None, "file missing")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = required - set(reader.fieldnames or [])
        if missing:
            raise ImportFailed(path.name, 1, f"columns missing: {', '.join(sorted(missing))}")
        # csv counts physical lines, so quoted newlines keep the numbers right
        return [(reader.line_num, row) for row in reader]


def derive_level(types: list[str]) -> str | None:
    levels = Counter(TYPE_LEVEL[t] for t in types if t in TYPE_LEVEL)
    if not levels:
        return None
    return max(levels, key=lambda level: (levels[level], LOCALNESS[level]))


def records(directory: Path, overrides: dict[str, str]) -> tuple[list[dict[str, Any]], Report]:
    report = Report()
    services = _rows(directory / "ozg_leistungen.csv", {"ozg_id", "name", "lage", "themenfeld"})
    mapping = _rows(
        directory / "leika_leistungen_ozg_zuordnung.csv", {"leika_key", "leika_typ", "ozg_id"}
    )
    keys: dict[str, set[str]] = defaultdict(set)
    types: dict[str, list[str]] = defaultdict(list)
    for _, row in mapping:
        ozg_id, key = row["ozg_id"].strip(), row["leika_key"].strip()
        if not ozg_id:
            continue
        types[ozg_id].append(row["leika_typ"].strip())
        if len(key) == 14 and key.isdigit():
            keys[ozg_id].add(key)
        else:
            report.skipped["LeiKa entry without a real 14-digit key"] += 1
    out = []
    for number, row in services:
        ozg_id = row["ozg_id"].strip()
        if not (len(ozg_id) == 5 and ozg_id.isdigit()):
            raise ImportFailed("ozg_leistungen.csv", number, f"OZG-ID '{ozg_id}' is not 5 digits")
        level, source = overrides.get(ozg_id), "set"
        if level is None:
            level, source = derive_level(types[ozg_id]) or "gemeinde", "derived"
        out.append(
            {
                "ozg_id": ozg_id,
                "name": row["name"].strip(),
                "themenfeld": row["themenfeld"].strip(),
                "lebenslage": row["lage"].strip() or None,
                "executing_level": level,
                "executing_level_source": source,
                "leika_keys": sorted(keys[ozg_id]),
                "source": SOURCE.format(file="ozg_leistungen.csv"),
            }
        )
    return out, report


def overrides_from(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        return {o["ozg_id"]: o["executing_level"] for o in tomllib.load(handle)["override"]}


def import_dir(session: Session, directory: Path, overrides: Path | None = None) -> Report:
    found, report = records(
        directory, overrides_from(overrides or project_dir("seed") / "executing_levels.toml")
    )
    for number, record in enumerate(progress(found, "services", len(found)), start=1):
        with report.attempt(session, f"service {record['ozg_id']} (row {number})"):
            report.counts[upsert(session, "service", record)] += 1
    return report
