"""The largest answers (analysis, organisation lists) as JSON-ready dicts, without marshmallow.

A gaps answer holds hundreds of scored, priced candidates; dumping them field by field
through the schemas took longer than the queries behind them. The schemas in
analysis_schemas stay the contract (they document these responses in OpenAPI), and
tests/test_render.py checks that these functions give exactly what the schemas dump.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask import current_app
from werkzeug.sansio.response import Response

from registry.logic.asking import Body, Named
from registry.logic.budget import Budget
from registry.logic.candidates import Candidate
from registry.logic.costs import Estimate
from registry.logic.coverage import Coverage, percent
from registry.logic.duties import LocalService
from registry.logic.gaps import Gaps, Started
from registry.logic.nearby import Neighbour
from registry.logic.paging import Page
from registry.models import Service


def json_response(body: dict[str, Any]) -> Response:
    """A 200 with the app's JSON settings; flask-smorest passes a Response through as is."""
    return current_app.json.response(body)


def organisation_summary(org: Body | Named) -> dict[str, Any]:
    return {"key": org.key, "name": org.name, "kind": org.kind, "land_code": org.land_code}


def organisation_row(row: Any) -> dict[str, Any]:
    """An organisation record as OrganisationSchema dumps it, from a row of
    registry.logic.organisations.list_organisations (with rows=True) or .record: loading
    an Organisation with its parent and duty rows, and dumping fifty of them through
    marshmallow, took longer than finding them."""
    ars = row.ars
    has_parent = row.parent_id is not None
    return {
        "key": ars or row.slug or "",
        "ars": ars,
        "ags": ars[:5] + ars[9:] if ars else None,
        "slug": row.slug,
        "name": row.name,
        "kind": row.kind,
        "land_code": row.land_code,
        "parent": (row.parent_ars or row.parent_slug or "") if has_parent else None,
        "parent_name": row.parent_name if has_parent else None,
        "population": row.population,
        "population_date": _iso(row.population_date),
        "duties": sorted(row.duties.split(",")) if row.duties else None,
        "source": row.source,
        "version": row.version,
        "created_at": _iso(row.created_at),
        "updated_at": _iso(row.updated_at),
    }


def page(found: Page, item: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    return {"items": [item(each) for each in found.items], "pagination": found.pagination}


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def service_summary(service: Service | LocalService) -> dict[str, Any]:
    return {
        "ozg_id": service.ozg_id,
        "name": service.name,
        "themenfeld": service.themenfeld,
        "executing_level": service.executing_level,
    }


def estimate(found: Estimate | None) -> dict[str, Any] | None:
    return found.as_dict(iso=True) if found is not None else None


def jsonable_estimate(figures: dict[str, Any]) -> dict[str, Any]:
    """The contract date as an ISO date (Flask's JSON would write an HTTP date)."""
    return {**figures, "start": figures["start"].isoformat()}


def neighbour(n: Neighbour) -> dict[str, Any]:
    return {
        "key": n.key,
        "name": n.name,
        "kind": n.kind,
        "population": n.population,
        "distance": n.distance,
    }


def _neighbour(n: Neighbour, seen: dict[int, dict[str, Any]]) -> dict[str, Any]:
    # By identity: the objects outlive the rendering, so an id is not reused meanwhile.
    found = seen.get(id(n))
    if found is None:
        found = seen[id(n)] = neighbour(n)
    return found


def _estimate(found: Estimate | None, seen: dict[int, dict[str, Any]]) -> dict[str, Any] | None:
    # A solution closing several gaps has one estimate (registry.logic.candidates): its
    # figures, a year list each, rendered once per answer.
    if found is None:
        return None
    rendered = seen.get(id(found))
    if rendered is None:
        rendered = seen[id(found)] = found.as_dict(iso=True)
    return rendered


def candidate(c: Candidate, seen: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
    """`seen`: the neighbours and estimates rendered so far in this answer, by object (an
    answer names the same adopters for many candidates: registry.logic.nearby
    .named_and_similar)."""
    solution = c.solution
    if seen is None:
        seen = {}
    return {
        "solution": solution.slug,
        "solution_name": solution.name,
        "builder": solution.builder.key if solution.builder else None,
        "builder_name": solution.builder.name if solution.builder else None,
        "status": solution.status,
        "maturity": solution.maturity,
        "maturity_model": solution.maturity_model,
        "channel": solution.channel,
        "requires_land_contract": solution.requires_land_contract,
        "land_contracted": c.land_contracted,
        "in_progress": (
            {
                "status": c.in_progress.status,
                "contracted_on": c.in_progress.contracted_on.isoformat()
                if c.in_progress.contracted_on
                else None,
            }
            if c.in_progress
            else None
        ),
        "blocked_reason": c.blocked_reason,
        "adopters": c.adopters,
        "adopters_in_land": c.adopters_in_land,
        "nearby_adopters": [_neighbour(n, seen) for n in c.nearby],
        "similar_adopters": [_neighbour(n, seen) for n in c.similar],
        "cost": _estimate(c.cost, seen),
        "cost_unavailable": c.cost_unavailable,
        # Floats already (registry.logic.candidates._judge): the answer takes them as they are.
        "score": c.score,
        "score_components": c.components,
    }


def gaps(found: Gaps, top: int | None) -> dict[str, Any]:
    """GapsSchema's dump of registry.logic.analysis.gaps_answer(found, top), made from
    `found` in one pass: the bare list of a city's ninety gaps spent as long building
    and rendering the intermediate answer as its statement took to run."""
    in_progress, totals, listed = found.in_progress, found.totals, found.candidates
    seen: dict[int, dict[str, Any]] = {}
    return {
        "organisation": organisation_summary(found.organisation),
        "due": found.due,
        "offered": found.offered,
        "gaps": [
            {
                "service": _local_summary(local),
                "in_progress": [_started(s) for s in in_progress.get(local.id, ())],
                "candidates_total": totals.get(local.id, 0),
                "top_candidates": [candidate(c, seen) for c in listed.get(local.id, [])[:top]],
            }
            for local in found.services
        ],
    }


def _local_summary(local: LocalService) -> dict[str, Any]:
    service = local.service
    return {
        "ozg_id": service.ozg_id,
        "name": service.name,
        "themenfeld": service.themenfeld,
        "executing_level": local.executing_level,
    }


def _started(s: Started) -> dict[str, Any]:
    return {
        "solution": s.solution,
        "solution_name": s.solution_name,
        "status": s.status,
        "contracted_on": s.contracted_on.isoformat() if s.contracted_on else None,
    }


def candidates(view: dict[str, Any]) -> dict[str, Any]:
    seen: dict[int, dict[str, Any]] = {}
    return {
        "organisation": organisation_summary(view["organisation"]),
        "services": [
            {
                "service": service_summary(item["service"]),
                "offered": item["offered"],
                "candidates": [candidate(c, seen) for c in item["candidates"]],
            }
            for item in view["services"]
        ],
    }


def _rank(standing: Any) -> dict[str, int] | None:
    return None if standing is None else {"rank": standing.rank, "peers": standing.peers}


def scorecard(view: dict[str, Any]) -> dict[str, Any]:
    return {
        "organisation": organisation_summary(view["organisation"]),
        "due": view["due"],
        "offered": view["offered"],
        "percent": view["percent"],
        "rank_in_land": _rank(view["rank_in_land"]),
        "rank_nationwide": _rank(view["rank_nationwide"]),
        "offered_services": [
            {"service": service_summary(item.service), "solutions": list(item.solutions)}
            for item in view["offered_services"]
        ],
    }


def cost(view: dict[str, Any]) -> dict[str, Any]:
    return {**jsonable_estimate(view), "organisation": organisation_summary(view["organisation"])}


def coverage(found: Coverage) -> dict[str, Any]:
    """CoverageSchema's dump of a coverage answer."""
    region = found.region
    due, offering = found.due, found.offering
    return {
        "service": service_summary(found.service),
        "region": organisation_summary(region) if region is not None else None,
        "kind": found.kind,
        "due": due,
        "offering": offering,
        "percent": percent(offering, due),
        "per_land": [
            {
                "land_code": land.land_code,
                "land_name": land.land_name,
                "level": land.level,
                "due": land.due,
                "offering": land.offering,
                "percent": percent(land.offering, land.due),
            }
            for land in found.per_land
        ],
        "solutions": [
            {"slug": s["slug"], "name": s["name"], "organisations": s["organisations"]}
            for s in found.solutions
        ],
    }


def budget(found: Budget) -> dict[str, Any]:
    return {
        "organisation": organisation_summary(found.organisation),
        "years": found.years,
        "start": found.start.isoformat(),
        "gaps": found.gaps,
        "lines": [
            {
                "solution": line.solution.slug,
                "solution_name": line.solution.name,
                "builder": line.solution.builder.key if line.solution.builder else None,
                "builder_name": line.solution.builder.name if line.solution.builder else None,
                "status": line.solution.status,
                "chosen": line.chosen,
                "blocked_reason": line.candidate.blocked_reason,
                "services": [service_summary(s) for s in line.services],
                "cost": estimate(line.candidate.cost),
                "cost_unavailable": line.candidate.cost_unavailable,
            }
            for line in found.lines
        ],
        "uncovered": [
            {"service": service_summary(u.service), "reason": u.reason} for u in found.uncovered
        ],
        "complete": found.complete,
        "totals": found.totals,
    }
