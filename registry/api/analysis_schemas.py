"""Response and query schemas of the analysis endpoints."""

from marshmallow import Schema, fields, validate

from registry.api.common import PageArgs, PaginationSchema
from registry.api.fields import ORG_KEY, Ref, ozg_id
from registry.logic.candidates import SORTS
from registry.logic.coverage import percent
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


class EstimateSchema(Schema):
    currency = fields.Constant("EUR")
    onboarding_cents = fields.Integer(metadata={"description": "one-time, integer cents"})
    annual_cents = fields.Integer(metadata={"description": "per year, integer cents"})
    years = fields.Integer()
    total_cents = fields.Integer(metadata={"description": "onboarding + years × annual"})
    basis = fields.String(metadata={"description": "which figures and year, in words"})


class CandidateSchema(Schema):
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
    maturity = fields.Integer(attribute="solution.maturity", allow_none=True)
    maturity_model = fields.String(attribute="solution.maturity_model", allow_none=True)
    channel = fields.String(attribute="solution.channel", allow_none=True)
    requires_land_contract = fields.Boolean(attribute="solution.requires_land_contract")
    land_contracted = fields.Boolean(
        metadata={"description": "the asking organisation's Land has contracted (or built) it"}
    )
    blocked_reason = fields.String(
        allow_none=True, metadata={"description": "why reuse is blocked; null when it is not"}
    )
    adopters = fields.Integer(
        metadata={"description": "due organisations offering the service through it"}
    )
    adopters_in_land = fields.Integer(metadata={"description": "… of them in the same Land"})
    cost = fields.Nested(EstimateSchema, allow_none=True)
    cost_unavailable = fields.String(
        allow_none=True, metadata={"description": "why no estimate could be made"}
    )
    score = fields.Float(metadata={"description": "0–1, see the ranking rule"})
    score_components = fields.Dict(
        attribute="components", keys=fields.String(), values=fields.Float()
    )


class GapSchema(Schema):
    service = fields.Nested(ServiceSummary)
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


class ScorecardSchema(Schema):
    organisation = fields.Nested(OrganisationSummary)
    due = fields.Integer()
    offered = fields.Integer()
    percent = fields.Float(allow_none=True)
    rank_in_land = fields.Nested(RankSchema, allow_none=True)
    rank_nationwide = fields.Nested(RankSchema, allow_none=True)


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


class GapsArgs(Schema):
    years = years_field()
    sort = sort_field()
    top = fields.Integer(
        load_default=3,
        validate=validate.Range(min=0, max=20),
        metadata={"description": "candidates shown inline per gap"},
    )


class CandidatesArgs(Schema):
    service = ozg_id(metadata={"description": "one service (OZG-ID); default: every gap"})
    years = years_field()
    sort = sort_field()


class CostArgs(Schema):
    for_ = Ref(ORG_KEY, data_key="for", required=True, metadata={"description": "key of O"})
    years = years_field()


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
