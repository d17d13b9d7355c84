"""New adoptions of a bundle, many at a time: a Germany-size bundle holds a million, and
one at a time (find, validate, write, audit, flush) takes hours for them.

The same judgement as the one-by-one path: the API's schema loads every record, the
adoption's own rules (registry.logic.adoptions.rule_problems) and the references are
checked, and a pair that exists already or comes twice is refused; only then are the rows
inserted in batches, each with its audit event (the change feed must show them), and the
figures are recounted once before the commit. A record that is refused means nothing is
inserted (the caller rolls back), exactly like the one-by-one path.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, aliased

from registry.errors import flatten_errors
from registry.importers.report import Report
from registry.logic import audit
from registry.logic.adoptions import SIMPLE_FIELDS, rule_problems
from registry.models import Adoption, AuditEvent, Organisation, Solution
from registry.models.base import utcnow
from registry.models.stats import stale
from registry.progress import progress

BULK_FROM = 500  # fewer new adoptions go one by one: simplest, and fast enough
BATCH = 5_000
EVERYTHING_FROM = 20_000  # beyond this, one full recount is cheaper than narrow ones


def split(
    session: Session, items: list[tuple[str, int, Any]]
) -> tuple[list[tuple[int, dict[str, Any]]], list[tuple[str, int, Any]]]:
    """(new adoptions for the bulk path, everything else) — bulk only when it pays."""
    candidates = [
        (number, record)
        for kind, number, record in items
        if kind == "adoption" and isinstance(record, dict)
    ]
    if len(candidates) < BULK_FROM:
        return [], items
    org, sol = aliased(Organisation), aliased(Solution)
    present = {
        (ars or slug, solution)
        for ars, slug, solution in session.execute(
            select(org.ars, org.slug, sol.slug)
            .join(Adoption, Adoption.organisation_id == org.id)
            .join(sol, sol.id == Adoption.solution_id)
        )
    }
    new_lines = {
        number
        for number, record in candidates
        if (record.get("organisation"), record.get("solution")) not in present
    }
    bulk = [(n, r) for n, r in candidates if n in new_lines]
    if len(bulk) < BULK_FROM:
        return [], items
    rest = [i for i in items if not (i[0] == "adoption" and i[1] in new_lines)]
    return bulk, rest


def create_all(session: Session, rows: list[tuple[int, dict[str, Any]]], report: Report) -> None:
    from registry.api.adoptions import AdoptionSchema  # the public representation

    session.flush()
    schema = AdoptionSchema()
    orgs: dict[str, tuple[int, str, str]] = {}
    for id_, ars, slug, kind, name in session.execute(
        select(
            Organisation.id,
            Organisation.ars,
            Organisation.slug,
            Organisation.kind,
            Organisation.name,
        )
    ):
        for key in (ars, slug):
            if key:
                orgs[key] = (id_, kind, name)
    solutions = {
        slug: (id_, name)
        for id_, slug, name in session.execute(select(Solution.id, Solution.slug, Solution.name))
    }
    valid: list[tuple[dict[str, Any], Any]] = []
    seen: set[tuple[str, str]] = set()
    for number, record in progress(rows, "check adoptions", len(rows)):
        where = f"adoption line {number}"
        try:
            data = schema.load(record)
        except ValidationError as error:
            report.rejected.append({"record": where, "reason": _reasons(error)})
            continue
        org, solution = orgs.get(data["organisation"]), solutions.get(data["solution"])
        problems = {}
        if org is None:
            problems["organisation"] = [f"No organisation with key '{data['organisation']}'."]
        if solution is None:
            problems["solution"] = [f"No solution with key '{data['solution']}'."]
        if org is not None:
            problems |= rule_problems(data, org[1])
        pair = (data["organisation"], data["solution"])
        if pair in seen:
            problems["solution"] = [f"{pair[0]} adopts {pair[1]} twice in this bundle."]
        seen.add(pair)
        if problems:
            report.rejected.append({"record": where, "reason": _reasons(problems)})
            continue
        valid.append((data, (org, solution)))
    if report.rejected or not valid:
        return
    now = utcnow()
    for batch in progress(list(_chunks(valid, BATCH)), "insert adoptions"):
        values = [
            {
                "organisation_id": org[0],
                "solution_id": solution[0],
                "scope": "self",
                **{f: data.get(f) for f in SIMPLE_FIELDS if f in data},
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for data, (org, solution) in batch
        ]
        ids = session.scalars(
            insert(Adoption).returning(Adoption.id, sort_by_parameter_order=True), values
        ).all()
        last = audit.reserve(session, len(batch))
        events = []
        for number, (id_, row, (data, (org, solution))) in enumerate(
            zip(ids, values, batch, strict=True), start=1
        ):
            shown = SimpleNamespace(
                **row,
                id=id_,
                organisation=SimpleNamespace(key=data["organisation"], name=org[2]),
                solution=SimpleNamespace(key=data["solution"], name=solution[1]),
            )
            events.append(
                {
                    "id": last - len(batch) + number,
                    "at": now,
                    "actor": session.info.get("actor", "system"),
                    "action": "create",
                    "entity_type": "adoption",
                    "entity_key": str(id_),
                    "before": None,
                    "after": schema.dump(shown),
                }
            )
        session.execute(insert(AuditEvent), events)
    mark = stale(session)
    if len(valid) >= EVERYTHING_FROM:
        mark.everything = True
    else:
        for data, (org, solution) in valid:
            mark.solutions.add(solution[0])
            wide = data.get("scope") == "subordinates"
            (mark.subtrees if wide else mark.organisations).add(org[0])
    report.counts["created"] += len(valid)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _reasons(error: ValidationError | dict[str, list[str]]) -> str:
    messages = error.normalized_messages() if isinstance(error, ValidationError) else error
    return "; ".join(
        f"{field}: {' '.join(map(str, texts))}" for field, texts in flatten_errors(messages).items()
    )
