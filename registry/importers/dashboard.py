"""`registry import dashboard FILE.csv|FILE.xlsx [--as-of DATE]`: the OZG-Dashboard export as
evidence of who offers what online. Nothing is invented (README "OZG-Dashboard export"):

- A row is one LeiKa service at one ARS at one URL (registry.importers.dashboard_file).
- `online_status: ok` with `aktiv: ja` is evidence that the service is online there: an
  adoption `live` of the solution behind the URL, `provenance: dashboard`, `evidence_url`,
  `confirmed_on` = the export's date (`--as-of`, default today).
- `nicht ok`, `nein` or no `aktiv` is no such evidence: the row is counted, and a
  dashboard adoption of that organisation and solution that this export does not confirm
  elsewhere is marked `contradicted_on` (kept, visibly in doubt), never silently kept.
- `nicht in Auswertung berücksichtigt`, rows without `ozgid`, OZG-IDs or ARS the registry
  does not know, and repeats (includeAbove / includeBelow) are skipped with their reason.
- `landesweit` / `kreisweit` / `bundesweit flächendeckend` on the Land's, the Kreis's (or
  kreisfreie Stadt's) or the Bund's own row is a roll-out (`scope: subordinates`); on a
  municipality's row it describes coverage, not a roll-out, so the adoption is `self`.
- The solution is the one whose URL patterns match the URL (registry.logic.urls). Builders
  are never guessed: an unmatched URL becomes a solution `dashboard-…` with no builder
  (`builder_unknown`), not EfA, for curation, one per host and path.
- Claims from other sources (contracts, self-declarations) are never overwritten; the
  illustrative demo data is.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.importers.dashboard_file import Read, Row, read
from registry.importers.report import Report
from registry.importers.upsert import KINDS, upsert, writable
from registry.logic import urls
from registry.models import Adoption, Organisation, Service, Solution, SolutionUrlPattern
from registry.progress import progress
from registry.text import fold

BUND_ARS = "000000000000"  # the ARS scheme's key for Germany as a whole
ROLLOUT = {
    "bundesweit flächendeckend": ("bund",),
    "landesweit flächendeckend": ("land",),
    "kreisweit flächendeckend": ("kreis", "kreisfreie_stadt"),
}
SKIP_NOT_COUNTED = "nicht in Auswertung berücksichtigt"
# Evidence replaces earlier dashboard evidence and demo data, never another source's claim.
OVERWRITABLE = ("dashboard", "illustrative")


@dataclass
class Evidence:
    """What the export says of one organisation and one solution."""

    organisation: Organisation
    solution_key: str  # a solution slug, or "url:<host+path>" for an unmatched URL
    online: list[Row] = field(default_factory=list)
    offline: list[Row] = field(default_factory=list)


def import_file(session: Session, path: Path, as_of: date | None = None) -> Report:
    as_of = as_of or date.today()
    found = read(path)
    report = Report()
    report.rejected.extend(found.rejected)
    report.notes.append(f"file read as {found.encoding}; {len(found.rows)} valid rows")
    source = f"OZG-Dashboard export {path.name} (as of {as_of.isoformat()})"
    evidence, unmatched = _evidence(session, found, report)
    for url_key, rows in progress(list(unmatched.items()), "new solutions", len(unmatched)):
        with report.attempt(session, f"solution for {url_key} (line {rows[0].line})"):
            _unknown_builder_solution(session, url_key, rows, source, report)
    for item in progress(list(evidence.values()), "adoptions", len(evidence)):
        lines = ", ".join(str(r.line) for r in (item.online or item.offline)[:5])
        with report.attempt(
            session, f"{item.organisation.key} / {item.solution_key} (line {lines})"
        ):
            _adopt(session, item, as_of, source, report)
    return report


def _evidence(
    session: Session, found: Read, report: Report
) -> tuple[dict[tuple[int, str], Evidence], dict[str, list[Row]]]:
    orgs = _organisations(session, {r.ars for r in found.rows})
    services = set(session.scalars(select(Service.ozg_id)))
    matcher = urls.Matcher(
        session.execute(select(SolutionUrlPattern.solution_id, SolutionUrlPattern.pattern)).all()
    )
    slugs = dict(session.execute(select(Solution.id, Solution.slug)).all())
    evidence: dict[tuple[int, str], Evidence] = {}
    unmatched: dict[str, list[Row]] = defaultdict(list)
    seen: set[tuple[Any, ...]] = set()
    solution_of: dict[str, str | None] = {}
    for row in found.rows:
        repeat = (row.ars, row.leika_key, row.url, row.online_status, row.aktiv, row.coverage)
        if repeat in seen:
            report.skipped["the same row again (includeAbove / includeBelow)"] += 1
            continue
        seen.add(repeat)
        if row.coverage == SKIP_NOT_COUNTED:
            report.skipped[f"art_flaechendeckung '{SKIP_NOT_COUNTED}'"] += 1
            continue
        if row.ozgid is None:
            report.skipped["no ozgid (LeiKa service not mapped to an OZG-Leistung)"] += 1
            continue
        if row.ozgid not in services:
            report.skipped["ozgid not in the registry's OZG catalogue"] += 1
            continue
        org = orgs.get(row.ars)
        if org is None:
            report.skipped["ARS not in the registry (another GV100AD edition?)"] += 1
            continue
        if row.url is None:
            report.skipped["no url"] += 1
            continue
        url_key = urls.key(row.url)
        if url_key not in solution_of:
            solution_id, why = matcher.solution_for(row.url)
            solution_of[url_key] = slugs[solution_id] if solution_id else None
            if why and why != "no solution's URL pattern matches":
                report.warnings[f"{why}: {url_key}"] += 1
        slug = solution_of[url_key]
        online = row.online_status == "ok" and row.aktiv == "ja"
        if not online:
            reason = (
                "online_status 'nicht ok'"
                if row.online_status != "ok"
                else "aktiv 'nein'"
                if row.aktiv == "nein"
                else "aktiv not stated"
            )
            report.skipped[f"not evidence of an online service: {reason}"] += 1
        if slug is None:
            if not online:
                continue  # no solution is created from rows that show nothing online
            unmatched[url_key].append(row)
            slug = "url:" + url_key
        item = evidence.setdefault((org.id, slug), Evidence(org, slug))
        (item.online if online else item.offline).append(row)
    return evidence, unmatched


def _organisations(session: Session, ars: set[str]) -> dict[str, Organisation]:
    found = {
        o.ars: o
        for o in session.scalars(select(Organisation).where(Organisation.ars.in_(sorted(ars))))
        if o.ars
    }
    if BUND_ARS in ars:
        bund = session.scalar(select(Organisation).where(Organisation.kind == "bund"))
        if bund is not None:
            found[BUND_ARS] = bund
    return found


def unknown_slug(url_key: str) -> str:
    """A stable slug for an unmatched address: readable part plus a short hash."""
    readable = re.sub(r"-+", "-", fold(url_key.replace("/", " ").replace(".", " ")).strip())
    readable = readable.replace(" ", "-").strip("-")[:70].strip("-")
    digest = hashlib.sha1(url_key.encode()).hexdigest()[:8]
    return f"dashboard-{readable}-{digest}"


def _unknown_builder_solution(
    session: Session, url_key: str, rows: list[Row], source: str, report: Report
) -> None:
    slug = unknown_slug(url_key)
    existing = session.scalar(select(Solution).where(Solution.slug == slug))
    services = {r.ozgid for r in rows if r.ozgid}
    if existing is not None:
        services |= {s.ozg_id for s in existing.services}
    names = sorted({r.ozg_bezeichnung for r in rows if r.ozg_bezeichnung})
    host = url_key.split("/", 1)[0]
    record = {
        "slug": slug,
        "name": (f"{names[0]} ({host})" if names else host)[:300],
        "builder": None,
        "efa": False,
        "status": "live",
        "url": (rows[0].url or "").split("?", 1)[0].split("#", 1)[0][:500],
        "url_patterns": [url_key[:300]],
        "services": sorted(services),
        "source": (
            f"{source}: online at this address. Builder not known (the export does not say "
            "who built it); EfA status not known – curate."
        )
        if existing is None
        else existing.source,
    }
    report.counts[f"solutions {upsert(session, 'solution', record)}"] += 1


def _adopt(session: Session, item: Evidence, as_of: date, source: str, report: Report) -> None:
    slug = (
        unknown_slug(item.solution_key[4:])
        if item.solution_key.startswith("url:")
        else item.solution_key
    )
    solution = session.scalar(select(Solution).where(Solution.slug == slug))
    if solution is None:  # its creation was rejected; that is reported already
        return
    existing = session.scalar(
        select(Adoption).where(
            Adoption.organisation_id == item.organisation.id, Adoption.solution_id == solution.id
        )
    )
    if not item.online:
        _contradict(session, existing, as_of, source, report, item)
        return
    listed = {s.ozg_id for s in solution.services}
    missing = sorted({r.ozgid for r in item.online if r.ozgid and r.ozgid not in listed})
    if missing:
        report.warnings[
            f"solution {solution.slug} (matched by URL) does not list OZG-ID "
            f"{', '.join(missing)}: not added, curate"
        ] += 1
    if existing is not None and existing.provenance not in OVERWRITABLE:
        report.counts["unchanged"] += 1
        report.skipped[f"already recorded by another source ({existing.provenance})"] += 1
        return
    org = item.organisation
    rolled_out = any(org.kind in ROLLOUT.get(r.coverage, ()) for r in item.online)
    coverage = sorted({r.coverage for r in item.online})
    record = {
        "organisation": org.key,
        "solution": solution.slug,
        "status": "live",
        "scope": "subordinates" if rolled_out else "self",
        "provenance": "dashboard",
        "evidence_url": item.online[0].url[:500] if item.online[0].url else None,
        "confirmed_on": as_of,
        "contradicted_on": None,
        "note": f"{source}: {'; '.join(coverage)}",
    }
    if existing is not None:
        record = {**record, "live_on": existing.live_on, "contracted_on": existing.contracted_on}
    report.counts[upsert(session, "adoption", record)] += 1


def _contradict(
    session: Session,
    existing: Adoption | None,
    as_of: date,
    source: str,
    report: Report,
    item: Evidence,
) -> None:
    if existing is None or existing.status != "live":
        return
    if existing.provenance != "dashboard":
        report.warnings[
            f"export shows not online where another source ({existing.provenance}) says live"
        ] += 1
        return
    if existing.contradicted_on == as_of:
        report.counts["unchanged"] += 1
        return
    reasons = sorted({f"{r.online_status}/{r.aktiv or '-'}" for r in item.offline})
    record = {
        "organisation": existing.organisation.key,
        "solution": existing.solution.slug,
        "status": existing.status,
        "provenance": "dashboard",
        "contradicted_on": as_of,
        "note": f"{existing.note or ''} | contradicted by {source}: {', '.join(reasons)}".strip(
            " |"
        ),
    }
    upsert(session, "adoption", {**_current(existing), **record})
    report.counts["contradicted"] += 1


def _current(adoption: Adoption) -> dict[str, Any]:
    schema = KINDS["adoption"].schema(only=writable("adoption"))
    return schema.dump(adoption)
