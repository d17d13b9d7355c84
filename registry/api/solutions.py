"""/api/v1/solutions: concrete online services, who built them, and what reuse costs."""

import itertools

from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from registry.api import examples
from registry.api.common import Blueprint, PageArgs, page_schema, work
from registry.api.fields import OZG_ID, Ref, Whole, cents, ozg_id, slug
from registry.api.guards import etag, if_match
from registry.db import get_session
from registry.logic import lookup, solutions
from registry.models.vocab import CHANNELS, MATURITY_MODELS, PRICE_MODELS, SOLUTION_STATUSES

blp = Blueprint(
    "solutions",
    __name__,
    url_prefix="/api/v1/solutions",
    description="Online services that implement OZG-Leistungen, with builder and price model.",
)

# The parameters each price model needs; any other parameter is refused.
PRICE_PARAMETERS = {
    "free": set(),
    "flat": {"annual_fee_cents"},
    "per_capita": {"per_capita_fee_cents"},
    "tiered": {"tiers"},
    "koenigstein": {"total_annual_cost_cents", "koenigstein_year"},
}


# host (a `*.` wildcard, labels of a-z0-9 and hyphens, an optional port), then a path prefix
URL_PATTERN = r"^(?:\*\.)?(?!www\.)[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::[0-9]{1,5})?(?:/[^\s?#]*)?$"


class PriceTierSchema(Schema):
    max_population = fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=200_000_000),
        metadata={"description": "upper bound (inclusive); null or absent in the last tier"},
    )
    annual_fee_cents = cents("annual fee for this tier", required=True)


class PriceSchema(Schema):
    """A price model, replaced as a whole. Money is integer euro cents."""

    model = fields.String(required=True, validate=validate.OneOf(PRICE_MODELS))
    currency = fields.String(validate=validate.Equal("EUR"), metadata={"description": "always EUR"})
    onboarding_fee_cents = cents("one-time onboarding fee (any model)")
    annual_fee_cents = cents("flat: the annual fee")
    per_capita_fee_cents = cents("per_capita: annual fee per inhabitant")
    tiers = fields.List(
        fields.Nested(PriceTierSchema),
        validate=validate.Length(min=1, max=50),
        metadata={"description": "tiered: ascending max_population, the last one null"},
    )
    total_annual_cost_cents = cents("koenigstein: the annual cost shared by the Länder")
    koenigstein_year = fields.Integer(
        strict=True,
        validate=validate.Range(min=1949, max=2200),
        metadata={"description": "koenigstein: the year of the key to apply"},
    )

    @validates_schema
    def _parameters_fit_model(self, data, **_kwargs):
        model = data.get("model")
        if model not in PRICE_PARAMETERS:
            return
        needed = PRICE_PARAMETERS[model]
        others = set().union(*PRICE_PARAMETERS.values()) - needed
        errors = {n: [f"Required by the {model} model."] for n in needed if data.get(n) is None}
        errors |= {n: [f"Not part of the {model} model."] for n in others if n in data}
        if not errors and model == "tiered":
            errors = _tier_errors(data["tiers"])
        if errors:
            raise ValidationError(errors)


def _tier_errors(tiers):
    bounds = [t["max_population"] for t in tiers]
    if bounds[-1] is not None:
        return {"tiers": ["The last tier has max_population null (no upper bound)."]}
    if None in bounds[:-1]:
        return {"tiers": ["Only the last tier may have max_population null."]}
    if any(a >= b for a, b in itertools.pairwise(bounds[:-1])):
        return {"tiers": ["max_population must ascend strictly."]}
    return {}


class SolutionSchema(Schema):
    key = fields.String(dump_only=True)
    slug = slug(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    description = fields.String(allow_none=True)
    builder = Ref(
        required=True,
        allow_none=True,
        metadata={
            "description": "key of the building organisation; null: not known yet (a solution "
            "first seen in an OZG-Dashboard export; builders are never guessed), listed by "
            "`?builder_unknown=true` for curation"
        },
    )
    builder_name = fields.Function(
        lambda s: s.builder.name if s.builder else None,
        dump_only=True,
        allow_none=True,
        metadata={"type": "string"},
    )
    operator = Ref(allow_none=True, metadata={"description": "key of the operator"})
    efa = fields.Boolean(metadata={"description": "meets the EfA minimum requirements"})
    status = fields.String(required=True, validate=validate.OneOf(SOLUTION_STATUSES))
    maturity = fields.Integer(
        strict=True,
        allow_none=True,
        validate=validate.Range(min=0, max=7),
        metadata={"description": "OZG Reifegrad: 0–4 in model 1.1, 0–7 in model 2.0"},
    )
    maturity_model = fields.String(allow_none=True, validate=validate.OneOf(MATURITY_MODELS))
    channel = fields.String(allow_none=True, validate=validate.OneOf(CHANNELS))
    requires_land_contract = fields.Boolean(
        metadata={"description": "municipalities can reuse it only once their Land signed"}
    )
    url = fields.Url(allow_none=True, validate=validate.Length(max=500))
    services = fields.List(
        Ref(OZG_ID, "An OZG-ID has exactly 5 digits.", metadata={"example": "10000"}),
        metadata={"description": "OZG-IDs of the services it implements"},
    )
    url_patterns = fields.List(
        fields.String(
            validate=validate.Regexp(
                URL_PATTERN,
                error="A host (lowercase, `*.` for any subdomain) and an optional path "
                "prefix, without scheme and without `www.`: `elterngeld-digital.de/ams`.",
            )
        ),
        validate=validate.Length(max=50),
        metadata={
            "description": "where it runs, to recognise it in OZG-Dashboard exports: a host "
            "(`*.` for any subdomain) and optional path prefix, compared without scheme, "
            "`www.` and case",
            "example": ["elterngeld-digital.de"],
        },
    )
    price = Whole(PriceSchema)
    price_source = fields.String(
        allow_none=True, metadata={"description": "where the price figures come from"}
    )
    source = fields.String(allow_none=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)

    @post_load
    def _patterns_in_lowercase(self, data, **_kwargs):
        # compared without case, so stored (and shown) as they are compared
        if data.get("url_patterns"):
            data["url_patterns"] = sorted({p.lower() for p in data["url_patterns"]})
        return data

    @validates_schema
    def _maturity_fits_model(self, data, partial=None, **_kwargs):
        maturity, model = data.get("maturity"), data.get("maturity_model")
        if partial and ("maturity" in data) != ("maturity_model" in data):
            raise ValidationError("Change maturity and maturity_model together.", "maturity")
        if (maturity is None) != (model is None):
            raise ValidationError("Give maturity and maturity_model together.", "maturity")
        if maturity is not None and maturity > MATURITY_MODELS[model]:
            raise ValidationError(
                f"Model {model} counts 0 to {MATURITY_MODELS[model]}.", "maturity"
            )


class SolutionPatchSchema(SolutionSchema):
    """Any subset of the fields; `services` and `price` are replaced as a whole."""

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)


class SolutionQueryArgs(PageArgs):
    builder = Ref(metadata={"description": "key of the building organisation"})
    builder_unknown = fields.Boolean(
        metadata={"description": "true: only solutions whose builder nobody has confirmed"}
    )
    status = fields.String(validate=validate.OneOf(SOLUTION_STATUSES))
    efa = fields.Boolean()
    service = ozg_id(metadata={"description": "OZG-ID of an implemented service"})
    channel = fields.String(validate=validate.OneOf(CHANNELS))


SolutionPageSchema = page_schema(SolutionSchema, "SolutionPageSchema")


@blp.route("")
class Solutions(MethodView):
    @blp.arguments(SolutionQueryArgs, location="query")
    @blp.response(200, SolutionPageSchema, example=examples.page(examples.ELFE))
    @blp.reads()
    def get(self, args):
        """List solutions

        Ordered by slug. Filter by `builder` (key), `builder_unknown`, `status`, `efa`,
        `channel` and `service` (OZG-ID).
        """
        result = solutions.list_solutions(get_session(), **args)
        return {"items": result.items, "pagination": result.pagination}

    @blp.arguments(SolutionSchema, example=examples.NEW_SOLUTION)
    @blp.response(201, SolutionSchema, example=examples.ELFE)
    @blp.writes()
    def post(self, data):
        """Create a solution

        Without `price` the solution is free. Money is integer euro cents.
        """
        solution = work().create("solution", data)
        return (
            solution,
            201,
            {"Location": f"{blp.url_prefix}/{solution.slug}", "ETag": etag(solution)},
        )


@blp.route("/<slug>")
class SolutionByKey(MethodView):
    @blp.response(200, SolutionSchema, example=examples.ELFE)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.reads(etag="record")
    def get(self, slug):
        """Get one solution by slug

        With builder, operator, implemented services and price model.
        """
        solution = lookup.solution(get_session(), slug)
        return solution, 200, {"ETag": etag(solution)}

    @blp.arguments(SolutionPatchSchema, example=examples.SOLUTION_PATCH)
    @blp.response(200, SolutionSchema, example=examples.ELFE)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.writes(precondition=True)
    def patch(self, changes, slug):
        """Change some fields of a solution

        Only the fields sent change; `services` and `price` are replaced as a whole.
        """
        solution = work().update("solution", slug, changes, if_match=if_match())
        return solution, 200, {"ETag": etag(solution)}

    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.writes(precondition=True)
    def delete(self, slug):
        """Delete a solution

        Refused with 409, listing the adoptions, while adoptions of it exist.
        """
        work().delete("solution", slug, if_match=if_match())
