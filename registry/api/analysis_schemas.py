"""Response and query schemas of the analysis endpoints."""

from datetime import date

from marshmallow import Schema, fields, validate

from registry.api.common import PageArgs, PaginationSchema
from registry.api.fields import ORG_KEY, Ref, ozg_id, slug
from registry.logic.candidates import SORTS
from registry.logic.coverage import percent
from registry.logic.prices import PAYERS
from registry.logic.search import TYPES
from registry.models.vocab import ORGANISATION_KINDS


class OrganisationSummary(Schema):
    key = fields.String()
    name = fields.String()
    kind = fields.String()
    land_code = fields.String(allow_none=True)


class ServiceSummary(Schema):
    ozg_id = fields.String()
    name = fields.String()
    themenfeld = fields.String()
    executing_level = fields.String(
        metadata={
            "description": "the level that executes it in the organisation's Land (in "
            "coverage: the national default; per_land gives each Land's)"
        }
    )


class YearCostSchema(Schema):
    year = fields.Integer()
    months = fields.Integer(
        metadata={"description": "months charged: 12, fewer in a pro-rata first year"}
    )
    cents = fields.Integer(metadata={"description": "the year's cost, rounded once, half up"})
    price_valid_from = fields.String(
        allow_none=True, metadata={"description": "valid_from of the price period applied"}
    )
    price_known = fields.Boolean(
        metadata={"description": "false: no price published for this year; the last continues"}
    )


class EstimateSchema(Schema):
    currency = fields.Constant("EUR")
    onboarding_cents = fields.Integer(
        metadata={"description": "one-time Anbindung the organisation pays, integer cents"}
    )
    annual_cents = fields.Integer(
        metadata={"description": "a full year at the price in force on `start`, integer cents"}
    )
    first_year_cents = fields.Integer(
        metadata={"description": "the first year as charged (pro rata where the price says so)"}
    )
    years = fields.Integer()
    start = fields.Date(metadata={"description": "the contract date the estimate starts on"})
    total_cents = fields.Integer(
        metadata={"description": "onboarding + the sum of `per_year` (each rounded once)"}
    )
    paid_by = fields.String(
        validate=validate.OneOf(PAYERS),
        metadata={
            "description": "who pays the yearly cost under the Land's reuse terms: reuser, "
            "land, fitko, land_passes_on"
        },
    )
    per_year = fields.List(fields.Nested(YearCostSchema))
    basis = fields.String(
        metadata={"description": "which figures, keys, periods and terms, in words"}
    )


class NeighbourSchema(Schema):
    key = fields.String(metadata={"description": "ARS or slug"})
    name = fields.String()
    kind = fields.String()
    population = fields.Integer(allow_none=True)
    distance = fields.String(
        validate=validate.OneOf(("kreis", "regierungsbezirk", "land", "similar")),
        metadata={"description": "same Kreis, same Regierungsbezirk, the same Land; or `similar`"},
    )


class InProgressSchema(Schema):
    status = fields.String(metadata={"description": "contracted, onboarding or live"})
    contracted_on = fields.Date(allow_none=True)


class SolutionFacts(Schema):
    """Who built the solution and how far it is: a candidate's and a budget line's."""

    solution = fields.String(attribute="solution.slug")
    solution_name = fields.String(attribute="solution.name")
    builder = fields.Function(
        lambda c: c.solution.builder.key if c.solution.builder else None,
        allow_none=True,
        metadata={"description": "null: builder not known yet", "type": "string"},
    )
    builder_name = fields.Function(
        lambda c: c.solution.builder.name if c.solution.builder else None,
        allow_none=True,
        metadata={"type": "string"},
    )
    status = fields.String(attribute="solution.status")


class CandidateSchema(SolutionFacts):
    maturity = fields.Integer(attribute="solution.maturity", allow_none=True)
    maturity_model = fields.String(attribute="solution.maturity_model", allow_none=True)
    channel = fields.String(attribute="solution.channel", allow_none=True)
    requires_land_contract = fields.Boolean(attribute="solution.requires_land_contract")
    land_contracted = fields.Boolean(
        metadata={"description": "the asking organisation's Land has contracted (or built) it"}
    )
    in_progress = fields.Nested(
        InProgressSchema,
        allow_none=True,
        metadata={
            "description": "the organisation's own adoption, not yet counting as offered "
            "(then the estimate does not charge the Anbindung again); null: none"
        },
    )
    blocked_reason = fields.String(
        allow_none=True, metadata={"description": "why reuse is blocked; null when it is not"}
    )
    adopters = fields.Integer(
        metadata={"description": "due organisations offering the service through it"}
    )
    adopters_in_land = fields.Integer(metadata={"description": "… of them in the same Land"})
    nearby_adopters = fields.List(
        fields.Nested(NeighbourSchema),
        attribute="nearby",
        metadata={
            "description": "up to 5 of the adopters in the same Land, named, nearest first: "
            "same Kreis, same Regierungsbezirk, elsewhere in the Land (then by name)"
        },
    )
    similar_adopters = fields.List(
        fields.Nested(NeighbourSchema),
        attribute="similar",
        metadata={
            "description": "up to 3 due adopters anywhere of the same kind and a similar "
            "population (within a factor of 1.5; among the 50 of its kind closest in "
            "population), the closest population first; `distance` is `similar`"
        },
    )
    cost = fields.Nested(EstimateSchema, allow_none=True)
    cost_unavailable = fields.String(
        allow_none=True, metadata={"description": "why no estimate could be made"}
    )
    score = fields.Float(metadata={"description": "0–1, see the ranking rule"})
    score_components = fields.Dict(
        attribute="components", keys=fields.String(), values=fields.Float()
    )


class StartedSchema(Schema):
    solution = fields.String()
    solution_name = fields.String()
    status = fields.String(metadata={"description": "contracted, onboarding or live"})
    contracted_on = fields.Date(allow_none=True)


class GapSchema(Schema):
    service = fields.Nested(ServiceSummary)
    in_progress = fields.List(
        fields.Nested(StartedSchema),
        metadata={
            "description": "the organisation's own adoptions for it that do not count as "
            "offered yet (contracted, onboarding, or live while the solution is not)"
        },
    )
    candidates_total = fields.Integer()
    top_candidates = fields.List(fields.Nested(CandidateSchema))


class GapsSchema(Schema):
    organisation = fields.Nested(OrganisationSummary)
    due = fields.Integer(metadata={"description": "services the organisation is due for"})
    offered = fields.Integer(metadata={"description": "… of them offered online"})
    gaps = fields.List(fields.Nested(GapSchema))


class ServiceCandidatesSchema(Schema):
    service = fields.Nested(ServiceSummary)
    offered = fields.Boolean(metadata={"description": "the organisation offers it already"})
    candidates = fields.List(fields.Nested(CandidateSchema))


class CandidatesSchema(Schema):
    organisation = fields.Nested(OrganisationSummary)
    services = fields.List(fields.Nested(ServiceCandidatesSchema))


class BudgetLineSchema(SolutionFacts):
    chosen = fields.String(
        validate=validate.OneOf(("picked", "best")),
        metadata={"description": "picked by the caller, or the best by the stated rule"},
    )
    blocked_reason = fields.String(attribute="candidate.blocked_reason", allow_none=True)
    services = fields.List(
        fields.Nested(ServiceSummary), metadata={"description": "the gaps it closes"}
    )
    cost = fields.Nested(EstimateSchema, attribute="candidate.cost", allow_none=True)
    cost_unavailable = fields.String(attribute="candidate.cost_unavailable", allow_none=True)


class UncoveredSchema(Schema):
    service = fields.Nested(ServiceSummary)
    reason = fields.String()


class YearTotalSchema(Schema):
    year = fields.Integer()
    cents = fields.Integer()


class BudgetTotalsSchema(Schema):
    currency = fields.Constant("EUR")
    onboarding_cents = fields.Integer()
    annual_cents = fields.Integer(metadata={"description": "the lines' full years, added"})
    first_year_cents = fields.Integer()
    total_cents = fields.Integer(metadata={"description": "the lines' totals, added"})
    per_year = fields.List(fields.Nested(YearTotalSchema))


class BudgetSchema(Schema):
    organisation = fields.Nested(OrganisationSummary)
    years = fields.Integer()
    start = fields.Date()
    gaps = fields.Integer(metadata={"description": "the organisation's gaps"})
    lines = fields.List(fields.Nested(BudgetLineSchema))
    uncovered = fields.List(fields.Nested(UncoveredSchema))
    complete = fields.Boolean(
        metadata={"description": "false: a line has no estimate and is not in the totals"}
    )
    totals = fields.Nested(BudgetTotalsSchema)


class CostSchema(EstimateSchema):
    solution = fields.String()
    organisation = fields.Nested(OrganisationSummary)
    price_model = fields.String()


class LandCoverageSchema(Schema):
    land_code = fields.String(allow_none=True)
    land_name = fields.String(allow_none=True)
    level = fields.String(
        allow_none=True, metadata={"description": "the level executing the service there"}
    )
    due = fields.Integer()
    offering = fields.Integer()
    percent = fields.Function(lambda c: percent(c.offering, c.due), allow_none=True)


class SolutionUseSchema(Schema):
    slug = fields.String()
    name = fields.String()
    organisations = fields.Integer(metadata={"description": "due organisations using it"})


class CoverageSchema(Schema):
    service = fields.Nested(ServiceSummary)
    region = fields.Nested(OrganisationSummary, allow_none=True)
    kind = fields.String(allow_none=True)
    due = fields.Integer()
    offering = fields.Integer()
    percent = fields.Function(lambda c: percent(c.offering, c.due), allow_none=True)
    per_land = fields.List(fields.Nested(LandCoverageSchema))
    solutions = fields.List(fields.Nested(SolutionUseSchema))


class RankSchema(Schema):
    rank = fields.Integer()
    peers = fields.Integer(metadata={"description": "organisations of the same kind compared"})


class OfferedSchema(Schema):
    service = fields.Nested(ServiceSummary)
    solutions = fields.List(
        fields.String(), metadata={"description": "slugs of the solutions it offers it through"}
    )


class ScorecardSchema(Schema):
    organisation = fields.Nested(OrganisationSummary)
    due = fields.Integer()
    offered = fields.Integer()
    percent = fields.Float(allow_none=True)
    rank_in_land = fields.Nested(RankSchema, allow_none=True)
    rank_nationwide = fields.Nested(RankSchema, allow_none=True)
    offered_services = fields.List(
        fields.Nested(OfferedSchema),
        metadata={"description": "the due services it offers online, by OZG-ID (`offered`)"},
    )


class SolutionUsedSchema(Schema):
    slug = fields.String()
    name = fields.String()
    via = fields.String(
        metadata={"description": "`adoption`, `rollout` (by an ancestor) or `built`"}
    )


class DifferenceItemSchema(Schema):
    service = fields.Nested(ServiceSummary)
    solutions = fields.List(fields.Nested(SolutionUsedSchema))


class CompareSchema(Schema):
    a = fields.Nested(OrganisationSummary)
    b = fields.Nested(OrganisationSummary)
    b_offers_a_lacks = fields.List(fields.Nested(DifferenceItemSchema))
    a_offers_b_lacks = fields.List(fields.Nested(DifferenceItemSchema))


class RankingItemSchema(Schema):
    organisation = fields.Nested(OrganisationSummary)
    due = fields.Integer()
    offered = fields.Integer()
    percent = fields.Function(lambda s: percent(s.offered, s.due), allow_none=True)
    rank = fields.Integer()


class RankingPageSchema(Schema):
    items = fields.List(fields.Nested(RankingItemSchema))
    pagination = fields.Nested(PaginationSchema)


class SearchHitSchema(Schema):
    type = fields.String(metadata={"description": "service, solution or organisation"})
    key = fields.String()
    name = fields.String()
    detail = fields.String(allow_none=True)
    score = fields.Integer()
    href = fields.String(metadata={"description": "the record's path in this API"})


class SearchPageSchema(Schema):
    items = fields.List(fields.Nested(SearchHitSchema))
    pagination = fields.Nested(PaginationSchema)


def years_field():
    return fields.Integer(
        load_default=5,
        validate=validate.Range(min=1, max=30),
        metadata={"description": "years for the total cost (1–30)"},
    )


def sort_field():
    return fields.String(
        load_default="score",
        validate=validate.OneOf(SORTS),
        metadata={"description": "order of candidates: " + ", ".join(SORTS)},
    )


def start_field():
    return fields.Date(
        validate=validate.Range(min=date(1990, 1, 1), max=date(2200, 12, 31)),
        metadata={
            "description": "the contract date estimates start on (ISO date; default today): "
            "the first year may be pro rata, later years follow the price periods"
        },
    )


class GapsArgs(Schema):
    years = years_field()
    sort = sort_field()
    start = start_field()
    top = fields.Integer(
        load_default=3,
        validate=validate.Range(min=0, max=20),
        metadata={"description": "candidates shown inline per gap"},
    )


class CandidatesArgs(Schema):
    service = ozg_id(metadata={"description": "one service (OZG-ID); default: every gap"})
    years = years_field()
    sort = sort_field()
    start = start_field()


class CostArgs(Schema):
    for_ = Ref(ORG_KEY, data_key="for", required=True, metadata={"description": "key of O"})
    years = years_field()
    start = start_field()
    cases = fields.Integer(
        validate=validate.Range(min=0, max=1_000_000_000),
        metadata={
            "description": "expected cases a year, for usage-based prices (default: the "
            "services' case rates × population)"
        },
    )
    members = fields.Integer(
        validate=validate.Range(min=0, max=1_000_000_000),
        metadata={"description": "size of the target group, for prices per member"},
    )


class BudgetArgs(Schema):
    years = years_field()
    start = start_field()
    pick = fields.List(
        slug(),
        validate=validate.Length(max=100),
        metadata={
            "description": "the solutions chosen (slugs, repeat the parameter); default: "
            "for each gap an unblocked candidate with an estimate, one already in the "
            "budget first, else the best by score"
        },
    )


class CoverageArgs(Schema):
    region = Ref(metadata={"description": "count only organisations below this one"})
    kind = fields.String(validate=validate.OneOf(ORGANISATION_KINDS))


class RankingArgs(PageArgs):
    region = Ref(metadata={"description": "rank only organisations below this one"})
    kind = fields.String(validate=validate.OneOf(ORGANISATION_KINDS))


class SearchArgs(PageArgs):
    q = fields.String(
        required=True,
        validate=validate.Length(min=2, max=200),
        metadata={"description": "German words; case and umlauts do not matter"},
    )
    type = fields.List(
        fields.String(validate=validate.OneOf(TYPES)),
        metadata={"description": "restrict to these types"},
    )
