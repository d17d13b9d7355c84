"""`registry import ozg-catalog DIR`: the OZG catalogue (Themenfelder, Lagen, OZG-Leistungen,
LeiKa mapping with Typisierung) into services, with who executes each one per Land.

Who executes a service (DESIGN §2), in this order:
1. `seed/responsibilities.toml`, curated per service: the national default level with the
   executing authority and its law as the reason, and a row for every Land whose law
   gives the service to another level (`executing_level_source: curated`).
2. Else the LeiKa Typisierung, only where it decides: every typed LeiKa entry of the
   service is 1 ("Bund regelt und vollzieht") -> `bund`; every one is 5 or 6 (Land or
   municipal law, executed by the municipalities) -> `gemeinde` (`typisierung`).
   Types 2, 3, "2/3" and 4 leave open whether a Land or a municipal body executes, so
   they decide nothing.
3. Else `gemeinde`, marked `assumed` and reported, so that it is curated next.
Then the Gemeindeverband rule: in the Länder listed under `[verband]` in the same file
(Ämter, Samtgemeinden, Verbandsgemeinden, Verwaltungsgemeinschaften), a service executed
at the `gemeinde` level there is executed by the Gemeindeverband for its member Gemeinden,
unless its entry says `member_gemeinden_keep = true`.
"""

from __future__ import annotations

import csv
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from registry.importers.report import ImportFailed, Report
from registry.importers.upsert import upsert
from registry.models.vocab import LAND_CODES, LEVELS
from registry.paths import project_dir
from registry.progress import progress

SOURCE = (
    "OZG-Umsetzungskatalog and LeiKa (state 2019, via kdn-nrw/OZG-Datenbank-NRW), "
    "imported from {file}"
)
RULE_REASONS = {
    "bund": "LeiKa-Typisierung 1 for every entry: the Bund rules and executes it",
    "gemeinde": "LeiKa-Typisierung 5/6 for every entry: executed by the municipalities",
}
ASSUMED = "level assumed municipal: not curated in seed/responsibilities.toml"


@dataclass
class Curation:
    """The curated levels: per service, and the Länder whose Gemeindeverbände execute
    municipal tasks for their member Gemeinden."""

    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    verband: dict[str, str] = field(default_factory=dict)  # Land code -> reason


def curation_from(path: Path) -> Curation:
    """Read and check seed/responsibilities.toml; a wrong entry fails with its ozg_id."""
    if not path.exists():
        return Curation()
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    curation = Curation(verband=dict(data.get("verband", {})))
    for code in curation.verband:
        if code not in LAND_CODES:
            raise ImportFailed(path.name, None, f"[verband]: '{code}' is not a Land code")
    for entry in data.get("service", []):
        ozg_id = str(entry.get("ozg_id", ""))
        problems = _entry_problems(entry)
        if problems:
            raise ImportFailed(path.name, None, f"service {ozg_id or '?'}: {'; '.join(problems)}")
        if ozg_id in curation.services:
            raise ImportFailed(path.name, None, f"service {ozg_id} is curated twice")
        curation.services[ozg_id] = entry
    return curation


def _entry_problems(entry: dict[str, Any]) -> list[str]:
    problems = []
    ozg_id = str(entry.get("ozg_id", ""))
    if not (len(ozg_id) == 5 and ozg_id.isdigit()):
        problems.append("ozg_id is not 5 digits")
    if entry.get("level") not in LEVELS:
        problems.append(f"level '{entry.get('level')}' is none of {', '.join(LEVELS)}")
    if not str(entry.get("reason", "")).strip():
        problems.append("a reason (authority and law) is required")
    seen = set()
    for row in entry.get("lands", []):
        if row.get("land") not in LAND_CODES or row.get("land") in seen:
            problems.append(f"land '{row.get('land')}' is no Land code, or given twice")
        if row.get("level") not in LEVELS or not str(row.get("reason", "")).strip():
            problems.append(f"land {row.get('land')}: a level and a reason are required")
        seen.add(row.get("land"))
    return problems


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


def rule_level(types: list[str]) -> str | None:
    """The level the LeiKa Typisierung decides, or None where it decides nothing."""
    typed = {t.strip() for t in types if t.strip()}
    if not typed:
        return None
    if typed == {"1"}:
        return "bund"
    if typed <= {"5", "6"}:
        return "gemeinde"
    return None


def responsibility(ozg_id: str, types: list[str], curation: Curation) -> dict[str, Any]:
    """executing_level, its source and reason, and the per-Land rows of one service."""
    entry = curation.services.get(ozg_id)
    if entry is not None:
        level, source, reason = entry["level"], "curated", entry["reason"].strip()
        lands = {
            row["land"]: {"land_code": row["land"], "level": row["level"], "reason": row["reason"]}
            for row in entry.get("lands", [])
        }
    else:
        ruled = rule_level(types)
        level, source = (ruled, "typisierung") if ruled else ("gemeinde", "assumed")
        reason, lands = RULE_REASONS.get(ruled or ""), {}
    if not (entry or {}).get("member_gemeinden_keep"):
        for code, why in curation.verband.items():
            own = lands.get(code)
            if (own["level"] if own else level) == "gemeinde":
                reason_here = f"{own['reason']}; {why}" if own else why
                lands[code] = {"land_code": code, "level": "gemeindeverband", "reason": reason_here}
    return {
        "executing_level": level,
        "executing_level_source": source,
        "level_note": _level_note(entry, source),
        "voluntary": bool((entry or {}).get("voluntary")),
        "executing_level_reason": reason,
        "responsibilities": [lands[code] for code in sorted(lands)],
    }


def _level_note(entry: dict[str, Any] | None, source: str) -> str:
    """Where the level comes from, for the service's `source`: what was read, what not."""
    if entry is None:
        return {
            "typisierung": "executing level from the LeiKa Typisierung",
            "assumed": "executing level ASSUMED municipal: not curated yet",
        }[source]
    note = "executing level curated in seed/responsibilities.toml"
    if entry.get("sources"):
        note += "; read: " + ", ".join(entry["sources"])
    if entry.get("uncertain"):
        note += "; UNCERTAIN: " + " ".join(str(entry["uncertain"]).split())
    return note


def records(directory: Path, curation: Curation) -> tuple[list[dict[str, Any]], Report]:
    report = Report()
    services = _rows(directory / "ozg_leistungen.csv", {"ozg_id", "name", "lage", "themenfeld"})
    mapping = _rows(
        directory / "leika_leistungen_ozg_zuordnung.csv",
        {"leika_key", "leika_name", "leika_typ", "ozg_id"},
    )
    keys: dict[str, set[str]] = defaultdict(set)
    names: dict[str, set[str]] = defaultdict(set)
    types: dict[str, list[str]] = defaultdict(list)
    for _, row in mapping:
        ozg_id, key = row["ozg_id"].strip(), row["leika_key"].strip()
        if not ozg_id:
            continue
        types[ozg_id].append(row["leika_typ"].strip())
        if row["leika_name"].strip():
            names[ozg_id].add(" ".join(row["leika_name"].split()))
        if len(key) == 14 and key.isdigit():
            keys[ozg_id].add(key)
        else:
            report.skipped["LeiKa entry without a real 14-digit key"] += 1
    out = []
    for number, row in services:
        ozg_id = row["ozg_id"].strip()
        if not (len(ozg_id) == 5 and ozg_id.isdigit()):
            raise ImportFailed("ozg_leistungen.csv", number, f"OZG-ID '{ozg_id}' is not 5 digits")
        decided = responsibility(ozg_id, types[ozg_id], curation)
        note = decided.pop("level_note")
        record = {
            "ozg_id": ozg_id,
            "name": row["name"].strip(),
            "themenfeld": row["themenfeld"].strip(),
            "lebenslage": row["lage"].strip() or None,
            **decided,
            "leika_keys": sorted(keys[ozg_id]),
            "leika_names": sorted(names[ozg_id]),
            "source": f"{SOURCE.format(file='ozg_leistungen.csv')}; {note}",
        }
        if record["executing_level_source"] == "assumed":
            report.warnings[ASSUMED] += 1
        out.append(record)
    unknown = set(curation.services) - {r["ozg_id"] for r in out}
    if unknown:
        report.warnings["curated services not in the catalogue: " + ", ".join(sorted(unknown))] = (
            len(unknown)
        )
    return out, report


def default_curation() -> Path:
    return project_dir("seed") / "responsibilities.toml"


def import_dir(session: Session, directory: Path, curated: Path | None = None) -> Report:
    found, report = records(directory, curation_from(curated or default_curation()))
    for number, record in enumerate(progress(found, "services", len(found)), start=1):
        with report.attempt(session, f"service {record['ozg_id']} (row {number})"):
            report.counts[upsert(session, "service", record)] += 1
    return report
