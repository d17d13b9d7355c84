"""The analysis answers shaped for the API: one function per endpoint, no commits."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from registry.logic import (
    candidates,
    compare,
    costs,
    coverage,
    gaps,
    prices,
    scorecard,
    search,
)
from registry.logic.asking import Asking, Body
from registry.logic.paging import Page
from registry.models import Organisation, Service

PATHS = {
    "service": "/api/v1/services/",
    "solution": "/api/v1/solutions/",
    "organisation": "/api/v1/organisations/",
}


def gaps_view(
    session: Session,
    key: str,
    *,
    years: int,
    sort: str,
    top: int,
    start: date | None = None,
    named: gaps.Naming = "nearby and similar",
):
    """The gap answer (with candidates) for the organisation with this key, looked up
    in the gap statement (registry.logic.gaps.asked; 404 if none)."""
    found = gaps.asked(session, key, years=years, sort=sort, start=start, top=top, named=named)
    return gaps_answer(found, top)


def gaps_answer(found: gaps.Gaps, top: int | None):
    """A gap answer as GapsSchema dumps it (the pages read it so too); the API renders
    `found` itself (registry.api.render.gaps), which tests/test_render.py checks."""
    return {
        "organisation": found.organisation,
        "due": found.due,
        "offered": found.offered,
        "gaps": [
            {
                "service": service,
                "in_progress": found.in_progress.get(service.id, []),
                "candidates_total": found.totals.get(service.id, 0),
                "top_candidates": found.candidates.get(service.id, [])[:top],
            }
            for service in found.services
        ],
    }


def candidates_view(
    session: Session,
    key: str,
    *,
    years: int,
    sort: str,
    service: str | None = None,
    start: date | None = None,
):
    """The candidates answer for the organisation with this key (ARS or slug), looked
    up in the statement of its gaps or of the one service."""
    org: Body
    if service is None:  # every gap: the gap query finds their candidates already
        found_gaps = gaps.asked(session, key, years=years, sort=sort, start=start)
        assert isinstance(found_gaps.organisation, Asking)  # as `asked` reads it
        org = found_gaps.organisation
        wanted, offered, found = found_gaps.services, set(), found_gaps.candidates
    else:
        org, local, offers = gaps.asked_one_service(session, key, service)
        wanted, offered = [local], {local.id} if offers else set()
        found = candidates.candidates_for(
            session, org, [wanted[0].id], years=years, sort=sort, start=start
        )
    return {
        "organisation": org,
        "services": [
            {"service": s, "offered": s.id in offered, "candidates": found.get(s.id, [])}
            for s in wanted
        ],
    }


def cost_view(
    session: Session,
    solution: costs.Priced,
    org: Body,
    years: int,
    *,
    start: date | None = None,
    cases: int | None = None,
    members: int | None = None,
):
    ctx = costs.context(session, org, [solution], start=start, cases=cases, members=members)
    estimate = costs.estimate(solution, ctx, years)
    period, _ = prices.period_on(solution.prices, estimate.start)
    return {
        **estimate.as_dict(),
        "solution": solution.slug,
        "organisation": org,
        "price_model": prices.model_of(period),
    }


def coverage_view(
    session: Session, service: Service, region: Organisation | None, kind: str | None
):
    return coverage.coverage(session, service, region=region, kind=kind)


def scorecard_view(session: Session, key: str) -> dict[str, Any]:
    """The scorecard of the organisation with this key (ARS or slug; 404 if none),
    looked up in the scorecard's statement (registry.logic.scorecard.asked)."""
    return scorecard_answer(*scorecard.asked(session, key))


def scorecard_of(session: Session, org: Body) -> dict[str, Any]:
    """The scorecard of an organisation at hand (the pages: read with its gaps, or two
    compared)."""
    return scorecard_answer(org, scorecard.card(session, org))


def scorecard_answer(org: Body, card: scorecard.Card) -> dict[str, Any]:
    """A scorecard as ScorecardSchema dumps it."""
    mine = card.nationwide or card.in_land
    due = mine.due if mine else 0
    offered = mine.offered if mine else 0
    return {
        "organisation": org,
        "due": due,
        "offered": offered,
        "percent": coverage.percent(offered, due),
        "rank_in_land": card.in_land,
        "rank_nationwide": card.nationwide,
        "offered_services": card.offered,
    }


def compare_view(session: Session, a: Body, b: Body) -> dict[str, Any]:
    def items(diff: compare.Difference) -> list[dict[str, Any]]:
        return [
            {
                "service": service,
                "solutions": [{"slug": s.slug, "name": s.name, "via": via} for s, via in used],
            }
            for service, used in diff.services
        ]

    return {
        "a": a,
        "b": b,
        "b_offers_a_lacks": items(compare.difference(session, has=b, lacks=a)),
        "a_offers_b_lacks": items(compare.difference(session, has=a, lacks=b)),
    }


def rankings_view(
    session: Session, *, region: Organisation | None, page: int, page_size: int, kind=None
):
    result: Page = scorecard.rankings(
        session, page=page, page_size=page_size, kind=kind, region=region
    )
    return {"items": result.items, "pagination": result.pagination}


def search_view(
    session: Session, *, q: str, page: int, page_size: int, type: list[str] | None = None
):
    hits, total = search.search(session, q, types=type, page=page, page_size=page_size)
    items = [{**hit.__dict__, "href": PATHS[hit.type] + hit.key} for hit in hits]
    return {"items": items, "pagination": Page(items, page, page_size, total).pagination}
