"""The hand-built analysis answers (registry.api.render) equal what the schemas dump.

The schemas are the documented contract; render builds the same JSON without marshmallow
for speed. Every organisation of a world with each price model, blocked and unpriced
candidates, rollouts and a city-state is asked for its gaps, candidates, costs, budget
and scorecard.
"""

from sqlalchemy import select

from registry.api import render
from registry.api.analysis_schemas import (
    BudgetSchema,
    CandidatesSchema,
    CostSchema,
    CoverageSchema,
    GapsSchema,
    ScorecardSchema,
)
from registry.logic import analysis, budget, gaps
from registry.logic.costs import CostUnavailable
from registry.models import Organisation, Service, Solution
from tests.test_analysis_statements import grow, small  # noqa: F401  (fixture)


def test_render_equals_schema_dump(app, client, anonymous, session, small):  # noqa: F811
    grow(client)
    organisations = session.scalars(select(Organisation).order_by(Organisation.id)).all()
    solutions = session.scalars(select(Solution).order_by(Solution.id)).all()
    seen = {"candidates": 0, "blocked": 0, "unpriced": 0, "costs": 0, "cost_errors": 0}
    seen |= {"budget_lines": 0, "uncovered": 0, "offered": 0, "ranked": 0}
    seen |= {"coverage_solutions": 0, "coverage_nobody_due": 0}
    seen |= {"bare_in_progress": 0, "bare_counted": 0}
    with app.test_request_context():
        for org in organisations:
            for sort in ("score", "cost"):
                found = gaps.gaps(session, org, years=3, sort=sort, top=3)
                assert render.gaps(found, 3) == GapsSchema().dump(analysis.gaps_answer(found, 3))
                view = analysis.candidates_view(session, org.key, years=5, sort=sort)
                assert render.candidates(view) == CandidatesSchema().dump(view)
                for item in view["services"]:
                    for c in item["candidates"]:
                        seen["candidates"] += 1
                        seen["blocked"] += c.blocked_reason is not None
                        seen["unpriced"] += c.cost is None
            bare = gaps.bare(session, org.key)  # the bare list: its own statement
            assert render.gaps(bare, 0) == GapsSchema().dump(analysis.gaps_answer(bare, 0))
            seen["bare_in_progress"] += bool(bare.in_progress)
            seen["bare_counted"] += any(bare.totals.values())
            view = analysis.scorecard_of(session, org)
            assert render.scorecard(view) == ScorecardSchema().dump(view)
            # Looked up by its key in the scorecard's statement: the same answer.
            by_key = analysis.scorecard_view(session, org.key)
            assert ScorecardSchema().dump(by_key) == ScorecardSchema().dump(view)
            seen["offered"] += len(view["offered_services"])
            seen["ranked"] += view["rank_in_land"] is not None
            found = budget.budget(session, org, years=3)
            assert render.budget(found) == BudgetSchema().dump(found)
            by_key = budget.budget_for(session, org.key, years=3)  # looked up with its gaps
            assert BudgetSchema().dump(by_key) == BudgetSchema().dump(found)
            seen["budget_lines"] += len(found.lines)
            seen["uncovered"] += len(found.uncovered)
            for solution in solutions:
                try:
                    view = analysis.cost_view(session, solution, org, 4)
                except CostUnavailable:
                    seen["cost_errors"] += 1
                    continue
                assert render.cost(view) == CostSchema().dump(view)
                seen["costs"] += 1
        # Coverage: every service, nationwide, below a Land or a Kreis, of one kind.
        services = session.scalars(select(Service).order_by(Service.id)).all()
        regions = [None] + [o for o in organisations if o.kind in ("land", "kreis")]
        for service in services:
            for region in regions:
                for kind in (None, "gemeinde"):
                    view = analysis.coverage_view(session, service, region, kind)
                    assert render.coverage(view) == CoverageSchema().dump(view)
                    seen["coverage_solutions"] += len(view.solutions)
                    seen["coverage_nobody_due"] += view.due == 0
    # The comparison covered every shape an answer can take.
    assert all(seen.values()), seen
    # And the HTTP answer is that rendering.
    witten = "059540036036"
    answer = anonymous.get(f"/api/v1/organisations/{witten}/gaps?top=2")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    with app.test_request_context():
        org = session.scalar(select(Organisation).where(Organisation.ars == witten))
        view = analysis.gaps_view(session, witten, years=5, sort="score", top=2)
        assert answer.get_json() == GapsSchema().dump(view)
        assert answer.get_json()["gaps"], "Witten has gaps in this world"
    answer = anonymous.get(f"/api/v1/organisations/{witten}/scorecard")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    with app.test_request_context():
        assert answer.get_json() == ScorecardSchema().dump(analysis.scorecard_view(session, witten))
        assert answer.get_json()["offered_services"], "Witten offers services in this world"
    hundesteuer = session.scalar(select(Service).where(Service.ozg_id == "10601"))
    answer = anonymous.get("/api/v1/services/10601/coverage?kind=gemeinde")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    with app.test_request_context():
        view = analysis.coverage_view(session, hundesteuer, None, "gemeinde")
        assert answer.get_json() == CoverageSchema().dump(view)
        assert answer.get_json()["per_land"], "Hundesteuer is due somewhere in this world"


def test_organisation_records_and_lists_equal_the_schema_dump(
    app,
    client,
    anonymous,
    session,
    small,  # noqa: F811
):
    """Every organisation of the world (Länder, Kreise, Gemeinden, a city-state with
    explicit duties, the Bund), alone and in list pages, as OrganisationSchema dumps it."""
    from registry.api.organisations import OrganisationPageSchema, OrganisationSchema
    from registry.logic import organisations

    grow(client)
    everyone = session.scalars(select(Organisation).order_by(Organisation.id)).all()
    assert any(org.duties for org in everyone) and any(org.parent is None for org in everyone)
    with app.test_request_context():
        for org in everyone:
            row = organisations.record(session, org.key)  # GET /organisations/<key>
            assert render.organisation_row(row) == OrganisationSchema().dump(org)
        for size in (1, 3, 500):
            found = organisations.list_organisations(session, page=1, page_size=size)
            dumped = OrganisationPageSchema().dump(
                {"items": found.items, "pagination": found.pagination}
            )
            # the API's lists: rows, not objects, rendered to the same records
            rows = organisations.list_organisations(session, page=1, page_size=size, rows=True)
            assert render.page(rows, render.organisation_row) == dumped
    listed = anonymous.get("/api/v1/organisations?page_size=500").get_json()
    assert len(listed["items"]) == len(everyone)
    for item in listed["items"]:
        one = anonymous.get(f"/api/v1/organisations/{item['key']}")
        assert one.get_json() == item and one.headers["ETag"]
