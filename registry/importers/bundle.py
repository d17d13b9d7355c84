"""Bundles: every entity as NDJSON (and CSV for spreadsheets), and back.

A record in a bundle is what a client may write through the API: keys instead of
internal ids, no version or timestamps. Records are sorted by key, written with sorted
fields, so export -> empty database -> import -> export is byte-identical.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from registry.importers import bulk_adoptions
from registry.importers.report import ImportFailed, ImportRejected, Report
from registry.importers.upsert import KINDS, upsert, writable
from registry.models import Adoption, KoenigsteinShare, Organisation, Service, Solution
from registry.progress import progress

# kind, file stem, in the order references need on import
ORDER = (
    ("koenigstein_share", "koenigstein_shares"),
    ("organisation", "organisations"),
    ("service", "services"),
    ("solution", "solutions"),
    ("adoption", "adoptions"),
)
BATCH = 1000


def records(session: Session, kind: str) -> Iterator[dict[str, Any]]:
    """The kind's records in bundle form, sorted by key, streamed in batches."""
    if kind == "koenigstein_share":
        shares = select(KoenigsteinShare).order_by(
            KoenigsteinShare.year, KoenigsteinShare.land_code
        )
        for share in session.scalars(shares):
            yield {
                "land_code": share.land_code,
                "share_percent": share.share_percent,
                "source": share.source,
                "year": share.year,
            }
        return
    schema = KINDS[kind].schema(only=writable(kind))
    stmt = {
        "organisation": select(Organisation).order_by(
            Organisation.ars.is_(None), Organisation.ars, Organisation.slug
        ),
        "service": select(Service).order_by(Service.ozg_id),
        "solution": select(Solution).order_by(Solution.slug),
        "adoption": select(Adoption)
        .join(Organisation, Organisation.id == Adoption.organisation_id)
        .join(Solution, Solution.id == Adoption.solution_id)
        .order_by(Organisation.ars.is_(None), Organisation.ars, Organisation.slug, Solution.slug)
        .options(selectinload(Adoption.organisation), selectinload(Adoption.solution)),
    }[kind]
    for entity in session.scalars(stmt.execution_options(yield_per=BATCH)):
        yield schema.dump(entity)


def line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def export_dir(session: Session, directory: Path) -> dict[str, int]:
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for kind, stem in ORDER:
        rows = list(progress(records(session, kind), f"export {stem}"))
        with (directory / f"{stem}.ndjson").open("w", encoding="utf-8", newline="\n") as out:
            out.writelines(line(r) + "\n" for r in rows)
        with (directory / f"{stem}.csv").open("w", encoding="utf-8-sig", newline="") as out:
            _write_csv(out, rows)
        counts[stem] = len(rows)
    return counts


def _write_csv(out: io.TextIOBase, rows: list[dict[str, Any]]) -> None:
    """Semicolon-separated, UTF-8 with BOM: what German spreadsheet programs open."""
    flat = [_flatten(r) for r in rows]
    columns = sorted({c for r in flat for c in r})
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(flat)


def _flatten(record: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in record.items():
        if name == "price":  # the latest period, one column per field
            for inner, v in value.items():
                if inner == "tiers":
                    v = ", ".join(
                        f"{t['max_population'] if t['max_population'] is not None else '∞'}:"
                        f"{t['annual_fee_cents']}"
                        for t in v
                    )
                elif isinstance(v, list | dict):
                    v = json.dumps(v, ensure_ascii=False, sort_keys=True)
                flat[f"{name}_{inner}"] = "" if v is None else v
        elif name == "responsibilities":
            # the per-Land levels: "05: kreis (reason); 09: land (reason)"
            flat[name] = "; ".join(
                f"{item['land_code']}: {item['level']} ({item['reason']})" for item in value
            )
        elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
            # price periods, reuse terms: as JSON, so that nothing is lost in a cell
            flat[name] = json.dumps(value, ensure_ascii=False, sort_keys=True)
        elif isinstance(value, list):
            flat[name] = ", ".join(map(str, value))
        elif isinstance(value, bool):
            flat[name] = "ja" if value else "nein"
        else:
            flat[name] = "" if value is None else value
    return flat


def read_dir(directory: Path) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """(kind, line number, record) from the NDJSON files present, in reference order."""
    for kind, stem in ORDER:
        path = directory / f"{stem}.ndjson"
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                yield from _parse(handle, kind, path.name)


def read_stream(lines: Iterable[str]) -> list[tuple[str, int, dict[str, Any]]]:
    """One NDJSON stream of {"type": kind, "record": {...}} lines (GET /export's format)."""
    parsed = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        item = _json(text, "request body", number)
        if not isinstance(item, dict) or set(item) != {"type", "record"}:
            raise ImportFailed("request body", number, 'expected {"type": ..., "record": {...}}')
        if item["type"] not in dict(ORDER):
            raise ImportFailed("request body", number, f"unknown type '{item['type']}'")
        parsed.append((item["type"], number, item["record"]))
    order = [kind for kind, _ in ORDER]
    return sorted(parsed, key=lambda p: order.index(p[0]))  # stable: file order kept


def _parse(handle: Iterable[str], kind: str, source: str):
    for number, text in enumerate(handle, start=1):
        if text.strip():
            yield kind, number, _json(text, source, number)


def _json(text: str, source: str, number: int) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFailed(source, number, f"not JSON ({error.msg})") from None


def parents_first(items: list[tuple[str, int, Any]]) -> list[tuple[str, int, Any]]:
    """Königstein shares, then organisations with every parent in the bundle before its
    children (the files are sorted by key, where the Bund's slug sorts last), then the
    rest in file order."""

    def key(record: Any) -> Any:
        return (record.get("ars") or record.get("slug")) if isinstance(record, dict) else None

    parent_of = {key(r): r.get("parent") for k, _, r in items if k == "organisation" and key(r)}
    depth: dict[Any, int] = {}

    def depth_of(node: Any, seen: frozenset[Any] = frozenset()) -> int:
        if node not in depth:
            parent = parent_of.get(node)
            # A cycle ends the walk; the domain rules then reject its records.
            up = parent in parent_of and parent not in seen
            depth[node] = depth_of(parent, seen | {node}) + 1 if up else 0
        return depth[node]

    rank = {"koenigstein_share": 0, "organisation": 1}
    return sorted(
        items,
        key=lambda i: (rank.get(i[0], 2), depth_of(key(i[2])) if i[0] == "organisation" else 0),
    )


def import_records(session: Session, items: Iterable[tuple[str, int, Any]]) -> Report:
    """Write every record; if any is rejected the caller must roll back (report says why)."""
    report = Report()
    bulk, rest = bulk_adoptions.split(session, parents_first(list(items)))
    for kind, number, record in progress(rest, "import"):
        if not isinstance(record, dict):
            report.rejected.append({"record": f"{kind} line {number}", "reason": "not an object"})
            continue
        with report.attempt(session, f"{kind} line {number}"):
            report.counts[upsert(session, kind, record)] += 1
    if bulk:  # checked even after a refusal elsewhere, so the report names every one
        bulk_adoptions.create_all(session, bulk, report)
    return report


def import_all(session: Session, items: Iterable[tuple[str, int, Any]]) -> Report:
    """All of it or nothing: ImportRejected (nothing to commit) when a record is refused."""
    report = import_records(session, items)
    if report.rejected:
        session.rollback()
        raise ImportRejected(report)
    return report


def export_stream(session: Session) -> Iterator[str]:
    for kind, _ in ORDER:
        for record in records(session, kind):
            yield line({"type": kind, "record": record}) + "\n"
