"""A budget for an organisation's gaps: one reuse candidate per gap, costed and summed.

A solution is paid once however many of the gaps it closes (one contract, one Anbindung),
so the budget has one line per solution, naming the gaps it closes. Without a choice
(`pick`), each gap, in OZG-ID order, takes an unblocked candidate with an estimate: one
already in the budget when there is one (it costs nothing more), else the best by score.
Gaps no such candidate closes are listed as uncovered, with the reason.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from registry.errors import Invalid
from registry.logic import costs, duties, gaps
from registry.logic.asking import Asking, Body
from registry.logic.candidates import Candidate, CandidateSolution


@dataclass
class Line:
    candidate: Candidate  # the solution's candidacy for the first gap it closes
    chosen: str  # "picked" or "best"
    services: list[duties.LocalService] = field(default_factory=list)

    @property
    def solution(self) -> CandidateSolution:
        return self.candidate.solution


@dataclass(frozen=True)
class Uncovered:
    service: duties.LocalService
    reason: str


@dataclass
class Budget:
    organisation: Body
    years: int
    start: date
    lines: list[Line]
    uncovered: list[Uncovered]

    @property
    def gaps(self) -> int:
        return sum(len(line.services) for line in self.lines) + len(self.uncovered)

    @property
    def priced(self) -> list[costs.Estimate]:
        return [line.candidate.cost for line in self.lines if line.candidate.cost is not None]

    @property
    def complete(self) -> bool:
        return len(self.priced) == len(self.lines)

    @property
    def totals(self) -> dict[str, object]:
        per_year: dict[int, int] = defaultdict(int)
        for estimate in self.priced:
            for year in estimate.per_year:
                per_year[year.year] += year.cents
        return {
            "currency": "EUR",
            "onboarding_cents": sum(e.onboarding_cents for e in self.priced),
            "annual_cents": sum(e.annual_cents for e in self.priced),
            "first_year_cents": sum(e.first_year_cents for e in self.priced),
            "total_cents": sum(e.total_cents for e in self.priced),
            "per_year": [{"year": y, "cents": c} for y, c in sorted(per_year.items())],
        }


def budget(
    session: Session,
    org: Body,
    *,
    years: int = 5,
    start: date | None = None,
    pick: list[str] | None = None,
) -> Budget:
    start = start or date.today()
    # A budget shows no neighbours: none named (the nearby statement over every candidate).
    found = gaps.gaps(session, org, years=years, sort="score", start=start, named="nobody")
    return _budget(found, org, years, start, pick)


def budget_for(
    session: Session,
    key: str,
    *,
    years: int = 5,
    start: date | None = None,
    pick: list[str] | None = None,
) -> Budget:
    """`budget` for the organisation with this key (ARS or slug; 404 if none), looked up
    in the gap statement (registry.logic.gaps.asked): a round trip less."""
    start = start or date.today()
    found = gaps.asked(session, key, years=years, sort="score", start=start, named="nobody")
    assert isinstance(found.organisation, Asking)  # as `asked` reads it
    return _budget(found, found.organisation, years, start, pick)


def _budget(found: gaps.Gaps, org: Body, years: int, start: date, pick: list[str] | None) -> Budget:
    if pick:
        lines, uncovered = _picked(found, list(dict.fromkeys(pick)))
    else:
        lines, uncovered = _best(found)
    return Budget(org, years, start, lines, uncovered)


def _picked(found: gaps.Gaps, pick: list[str]):
    lines: dict[str, Line] = {}
    covered_by: dict[int, str] = {}
    for service in found.services:
        for c in found.candidates.get(service.id, []):
            slug = c.solution.slug
            if slug not in pick:
                continue
            if service.id in covered_by:
                raise Invalid(
                    {
                        "pick": [
                            f"{covered_by[service.id]} and {slug} both close the gap "
                            f"{service.ozg_id} ({service.name}); pick one."
                        ]
                    }
                )
            covered_by[service.id] = slug
            lines.setdefault(slug, Line(c, "picked")).services.append(service)
    strays = [slug for slug in pick if slug not in lines]
    if strays:
        raise Invalid(
            {
                "pick": [
                    f"{slug} is no reuse candidate for any gap of {found.organisation.name}."
                    for slug in strays
                ]
            }
        )
    uncovered = [Uncovered(s, "not picked") for s in found.services if s.id not in covered_by]
    return [lines[slug] for slug in pick], uncovered


def _best(found: gaps.Gaps):
    lines: dict[str, Line] = {}
    uncovered = []
    for service in found.services:
        listed = found.candidates.get(service.id, [])
        usable = [c for c in listed if c.blocked_reason is None and c.cost is not None]
        if not usable:
            uncovered.append(Uncovered(service, _why_not(listed)))
            continue
        chosen = next((c for c in usable if c.solution.slug in lines), usable[0])
        lines.setdefault(chosen.solution.slug, Line(chosen, "best")).services.append(service)
    return list(lines.values()), uncovered


def _why_not(listed: list[Candidate]) -> str:
    if not listed:
        return "no EfA solution implements it yet"
    blocked = [c for c in listed if c.blocked_reason]
    if len(blocked) == len(listed):
        return "every candidate is blocked: " + blocked[0].blocked_reason  # type: ignore[operator]
    unpriced = next(c for c in listed if c.blocked_reason is None)
    return f"no estimate possible: {unpriced.cost_unavailable}"
