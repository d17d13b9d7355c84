"""The questions the registry answers: gaps, candidates, cost, coverage, rankings, search."""

from flask.views import MethodView

from registry.api import analysis_examples as ex
from registry.api import render
from registry.api.analysis_schemas import (
    BudgetArgs,
    BudgetSchema,
    CandidatesArgs,
    CandidatesSchema,
    CompareSchema,
    CostArgs,
    CostSchema,
    CoverageArgs,
    CoverageSchema,
    GapsArgs,
    GapsSchema,
    RankingArgs,
    RankingPageSchema,
    ScorecardSchema,
    SearchArgs,
    SearchPageSchema,
)
from registry.api.common import Blueprint
from registry.db import get_session
from registry.logic import analysis, budget, costs, gaps, lookup
from registry.logic.asking import asking

blp = Blueprint(
    "analysis",
    __name__,
    url_prefix="/api/v1",
    description="Which services an organisation lacks online, who built them, what reuse "
    "costs, who near it uses them.",
)


@blp.route("/organisations/<org>/gaps")
class Gaps(MethodView):
    @blp.arguments(GapsArgs, location="query")
    @blp.response(200, GapsSchema, example=ex.GAPS)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.reads(dated=True)
    def get(self, args, org):
        """Services the organisation is due for and does not offer online

        Due: the services of the executing levels the organisation carries (Kreis-level
        services also for kreisfreie Städte, Gemeinde-level services also for kreisfreie
        Städte and Gemeinden; an explicit `duties` override replaces this). Offered: a
        live solution implementing the service is adopted `live` by the organisation,
        rolled out `live` with scope `subordinates` by any ancestor, or built by it.
        Each gap carries its `top` reuse candidates, ranked as in `/candidates`, and
        `in_progress`: the organisation's own adoptions for it that do not count as
        offered yet. Gaps are in OZG-ID order; with `sort=cost` the gaps too are ranked
        across the whole list, the cheapest to close first (by the total of its
        cheapest unblocked priced candidate; gaps with only blocked priced candidates
        next, then those without an estimate).
        """
        session = get_session()
        if not gaps.priced(args["top"], args["sort"]):  # the bare list: one statement
            return render.json_response(render.gaps(gaps.bare(session, org), 0))
        found = gaps.asked(session, org, **args)  # the lookup in the gap statement
        return render.json_response(render.gaps(found, args["top"]))


@blp.route("/organisations/<org>/candidates")
class Candidates(MethodView):
    @blp.arguments(CandidatesArgs, location="query")
    @blp.response(200, CandidatesSchema, example=ex.CANDIDATES)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.reads(dated=True)
    def get(self, args, org):
        """Ranked reuse candidates for every gap, or for one service

        Candidates are EfA solutions (not retired, not built by the organisation) that
        implement the service. Default order `sort=score`: first a solution the
        organisation has already adopted (`in_progress`; its estimate then has no
        Anbindung), then the unblocked ones, each by score, a weighted sum of components
        in [0, 1]: status 0.30 (live 1, pilot 0.5, development 0.2), maturity 0.20
        (Reifegrad / top level of its model), adoption 0.20 (a/(a+10) for `a` due
        adopters), nearby 0.15 (n/(n+3) for `n` adopters in the same Land), cost 0.15
        (1/(1 + total/10,000 €) over `years`; 0.5 when unknown); halved when a missing
        Land contract blocks reuse. Other orders: `cost` (cheapest first; the services
        too are then ranked by their cheapest candidate, as in `/gaps`), `adopters`,
        `adopters_in_land`, `maturity`. `nearby_adopters` names up to five adopters in
        the same Land, nearest first: same Kreis, same Regierungsbezirk, the Land.
        """
        view = analysis.candidates_view(get_session(), org, **args)  # looked up with them
        return render.json_response(render.candidates(view))


@blp.route("/solutions/<slug>/cost")
class Cost(MethodView):
    @blp.arguments(CostArgs, location="query")
    @blp.response(200, CostSchema, example=ex.COST)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.reads(dated=True)
    def get(self, args, slug):
        """What reusing the solution costs an organisation

        Onboarding (Anbindung), each year's cost and the total over `years` (default 5)
        calendar years from the contract date `start` (default today), in integer euro
        cents, with the `basis` in words. The first year is priced by the period in force
        on `start` (pro rata by months from the contract month when the price says
        `pro_rata`), later years by the period in force on 1 January; after the last
        published period its price continues (`price_known` false, stated). A year's
        price adds its components: a rate × the organisation's units (inhabitants; cases
        a year: `cases`, or its services' case rates × population / 1,000; members of the
        target group: `members`, or the stated rate), a weighted share of the pool
        divided by the key over all participants, the Königsteiner Schlüssel (a Land:
        its share; a body below: share × its population / the Land's), population tiers.
        For a body below a Land the solution's reuse terms for that Land decide who pays
        (`paid_by`): the Land or FITKO's budget (0 a year), the Land passing on a share
        of its own cost by inhabitants, or the reuser. Rounding: each year's exact figure
        is rounded once, half up, to whole cents; total = onboarding + the years.
        422 (field `for`, `cases` or `members`) when a figure the price needs is missing.
        """
        session = get_session()
        solution, org = costs.priced_for(session, slug, args["for_"])  # one statement
        view = analysis.cost_view(
            session,
            solution,
            org,
            args["years"],
            start=args.get("start"),
            cases=args.get("cases"),
            members=args.get("members"),
        )
        return render.json_response(render.cost(view))


@blp.route("/organisations/<org>/budget")
class Budget(MethodView):
    @blp.arguments(BudgetArgs, location="query")
    @blp.response(200, BudgetSchema, example=ex.BUDGET)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    @blp.reads(dated=True)
    def get(self, args, org):
        """A budget for the organisation's gaps: one candidate per gap, costed and summed

        One line per solution (paid once, however many gaps it closes) with the gaps it
        closes and its estimate as in `/solutions/{slug}/cost`; the totals add the lines'
        onboarding, full years, first years, totals and each calendar year. Without
        `pick`, each gap (in OZG-ID order) takes an unblocked candidate with an estimate:
        one already in the budget when there is one, else the best by score; gaps left
        are `uncovered`, with the reason. With `pick`, the chosen solutions close the
        gaps they are candidates for; 422 (field `pick`) for a solution that is no
        candidate of any gap, or two that close the same gap.
        """
        session = get_session()
        found = budget.budget_for(session, org, **args)  # the lookup in the gap statement
        return render.json_response(render.budget(found))


@blp.route("/services/<ozg_id>/coverage")
class Coverage(MethodView):
    @blp.arguments(CoverageArgs, location="query")
    @blp.response(200, CoverageSchema, example=ex.COVERAGE)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.reads()
    def get(self, args, ozg_id):
        """How many due organisations offer the service online, per Land

        Counts the organisations due for the service (optionally only below `region`
        and of one `kind`), how many of them offer it online, the percentage (one
        decimal, half up; null when nobody is due), per Land, and which solutions they
        use.
        """
        session = get_session()
        service = lookup.service(session, ozg_id, leika=False)  # levels per Land, no keys
        region = (
            lookup.organisation(session, args["region"], duties=False, parent=False)
            if args.get("region")
            else None
        )
        found = analysis.coverage_view(session, service, region, args.get("kind"))
        return render.json_response(render.coverage(found))


@blp.route("/organisations/<org>/scorecard")
class Scorecard(MethodView):
    @blp.response(200, ScorecardSchema, example=ex.SCORECARD)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.reads()
    def get(self, org):
        """Services due, offered online, percent, and rank among peers

        Peers are the organisations of the same kind, in its Land and nationwide, ranked
        by the number of due services they offer online; equal counts share a rank.
        """
        session = get_session()
        view = analysis.scorecard_view(session, org)  # the lookup in its statement
        return render.json_response(render.scorecard(view))


@blp.route("/organisations/<a>/compare/<b>")
class Compare(MethodView):
    @blp.response(200, CompareSchema, example=ex.COMPARE)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.reads()
    def get(self, a, b):
        """What b offers online that a lacks, and the reverse

        `b_offers_a_lacks`: services b offers that a is due for and does not offer, each
        with the solutions b uses (and how: own adoption, rollout by an ancestor, or
        built; a solution reaching b more than one way is named once, by the way most
        its own: built, then adoption, then rollout); `a_offers_b_lacks` the same the
        other way round.
        """
        session = get_session()
        return analysis.compare_view(session, asking(session, a), asking(session, b))


@blp.route("/rankings")
class Rankings(MethodView):
    @blp.arguments(RankingArgs, location="query")
    @blp.response(200, RankingPageSchema, example=ex.RANKINGS)
    @blp.reads()
    def get(self, args):
        """Organisations ordered by the number of due services they offer online

        The data behind a state map. Only organisations that are due for services are
        ranked; filter by `region` (organisations below it) and `kind`.
        """
        session = get_session()
        region = (
            lookup.organisation(session, args.pop("region"), duties=False, parent=False)
            if "region" in args
            else None
        )
        return analysis.rankings_view(session, region=region, **args)


@blp.route("/search")
class Search(MethodView):
    @blp.arguments(SearchArgs, location="query")
    @blp.response(200, SearchPageSchema, example=ex.SEARCH)
    @blp.reads()
    def get(self, args):
        """Find services, solutions and organisations by German words

        Case, umlauts ("muelheim" = "Mülheim") and common inflection endings do not
        matter; a word also matches inside compounds ("hund" finds "Hundesteuer"). Every
        word must match. Ranked: a name word starting with the query word scores 3, the
        name containing it 2, other fields 1; then by type and name.
        """
        return analysis.search_view(get_session(), **args)
