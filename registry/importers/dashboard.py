"""`registry import dashboard FILE.csv`: the OZG-Dashboard's data export.

Columns used: `leika_key`, `ars`, `ozgid`, `ozg_bezeichnung`, `online_status`,
`art_flaechendeckung`, `url` (others are ignored; an optional `themenfeld` lets unknown
services be created). Assumptions, as the export documents them loosely:
  - one row = one OZG service offered by the organisation `ars` through the online
    service at `url`; every distinct `url` becomes one solution (slug from host and path),
    built by the organisation of its widest roll-out;
  - `online_status` online/verfügbar/ja/1 -> adoption `live`; in Umsetzung/Pilot ->
    `onboarding`; anything else is skipped and counted;
  - `art_flaechendeckung` bundesweit / landesweit / kreisweit flächendeckend -> a
    `subordinates` adoption by the Bund / the Land / the Kreis of `ars`; else `self`;
  - every adoption has provenance `dashboard` and the `url` as evidence.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from registry.errors import NotFound
from registry.importers.report import ImportFailed, Report
from registry.importers.upsert import upsert
from registry.logic import lookup
from registry.text import fold

REQUIRED = {"ars", "ozgid", "ozg_bezeichnung", "online_status", "art_flaechendeckung", "url"}
LIVE = {"online", "verfügbar", "verfuegbar", "ja", "1", "true", "live"}
ONBOARDING = {"in umsetzung", "pilot", "pilotbetrieb", "in planung"}
WIDTH = {"bundesweit": 0, "landesweit": 1, "kreisweit": 2}


def _scope(row: dict[str, str]) -> tuple[str, int]:
    text = row["art_flaechendeckung"].strip().lower()
    for word, width in WIDTH.items():
        if text.startswith(word):
            return word, width
    return "self", 3


def _adopter(session: Session, ars: str, scope: str) -> str:
    if scope == "bundesweit":
        return "bund"
    if scope == "landesweit":
        return ars[:2] + "0" * 10
    if scope == "kreisweit":
        org = lookup.organisation(session, ars, field="ars")
        # a kreisfreie Stadt is its own Kreis
        return ars if org.kind == "kreisfreie_stadt" else ars[:5] + "0" * 7
    return ars


def _slug(url: str) -> str:
    parts = urlsplit(url)
    text = fold(f"{parts.netloc} {parts.path}").strip().replace(" ", "-")
    return ("dashboard-" + re.sub(r"-+", "-", text))[:100].strip("-")


def read(path: Path) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        reader = csv.DictReader(handle, delimiter=delimiter)
        missing = REQUIRED - set(reader.fieldnames or [])
        if missing:
            raise ImportFailed(path.name, 1, f"columns missing: {', '.join(sorted(missing))}")
        rows = [(reader.line_num, row) for row in reader]
    for number, row in rows:
        ars = row["ars"].strip()
        if not (len(ars) == 12 and ars.isdigit()):
            raise ImportFailed(path.name, number, f"ARS '{ars}' is not 12 digits")
        if not row["url"].strip().startswith(("http://", "https://")):
            raise ImportFailed(path.name, number, f"url '{row['url']}' is not a web address")
    return rows


def import_file(session: Session, path: Path) -> Report:
    report = Report()
    rows = read(path)
    by_url: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for number, row in rows:
        status = row["online_status"].strip().lower()
        if status not in LIVE | ONBOARDING:
            report.skipped[f"online_status '{row['online_status'].strip()}'"] += 1
            continue
        by_url[row["url"].strip()].append((number, row))
    source = f"OZG-Dashboard export {path.name}"
    for url, used in by_url.items():
        with report.attempt(session, f"rows {', '.join(str(n) for n, _ in used)}"):
            _import_solution(session, url, used, source, report)
    return report


def _import_solution(session: Session, url: str, used: list[Any], source: str, report: Report):
    for number, row in used:
        _ensure_service(session, row, number, source, report)
    widest = min(used, key=lambda item: _scope(item[1])[1])[1]
    builder = _adopter(session, widest["ars"].strip(), _scope(widest)[0])
    host = urlsplit(url).netloc
    solution = {
        "slug": _slug(url),
        "name": f"{widest['ozg_bezeichnung'].strip()} ({host})",
        "builder": builder,
        "status": "live",
        "efa": len({r["ars"] for _, r in used}) > 1 or _scope(widest)[1] < 3,
        "url": url,
        "services": sorted({r["ozgid"].strip() for _, r in used}),
        "source": source,
    }
    report.counts[upsert(session, "solution", solution)] += 1
    for _, row in used:
        scope, width = _scope(row)
        status = "live" if row["online_status"].strip().lower() in LIVE else "onboarding"
        adoption = {
            "organisation": _adopter(session, row["ars"].strip(), scope),
            "solution": solution["slug"],
            "status": status,
            "scope": "subordinates" if width < 3 else "self",
            "provenance": "dashboard",
            "evidence_url": url,
            "note": f"{source}: {row['art_flaechendeckung'].strip() or 'einzeln'}",
        }
        report.counts[upsert(session, "adoption", adoption)] += 1


def _ensure_service(session: Session, row: dict[str, str], number: int, source: str, report):
    ozg_id = row["ozgid"].strip()
    try:
        lookup.service(session, ozg_id)
        return
    except NotFound:
        pass
    themenfeld = (row.get("themenfeld") or "").strip()
    if not themenfeld:
        raise ImportFailed(
            source, number, f"OZG-ID {ozg_id} is unknown: import the OZG catalogue first"
        )
    record = {
        "ozg_id": ozg_id,
        "name": row["ozg_bezeichnung"].strip(),
        "themenfeld": themenfeld,
        "executing_level": "gemeinde",
        "executing_level_source": "derived",
        "source": f"{source} (level not in the export: municipal by default)",
    }
    report.counts[upsert(session, "service", record)] += 1
