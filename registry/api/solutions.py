"""/api/v1/solutions: concrete online services, who built them, and what reuse costs."""

from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from registry.api import examples
from registry.api.common import Blueprint, PageArgs, page_schema, work
from registry.api.fields import OZG_ID, Ref, Whole, ozg_id, slug
from registry.api.guards import etag, if_match
from registry.api.prices import PriceSchema, ReuseTermsSchema, period_list_errors, terms_errors
from registry.db import get_session
from registry.logic import lookup, solutions
from registry.models.vocab import CHANNELS, MATURITY_MODELS, SOLUTION_STATUSES

blp = Blueprint(
    "solutions",
    __name__,
    url_prefix="/api/v1/solutions",
    description="Online services that implement OZG-Leistungen, with builder and price model.",
)

# host (a `*.` wildcard, labels of a-z0-9 and hyphens, an optional port), then a path prefix
URL_PATTERN = r"^(?:\*\.)?(?!www\.)[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::[0-9]{1,5})?(?:/[^\s?#]*)?$"


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
    price = Whole(
        PriceSchema,
        metadata={
            "description": "the latest price period (in force now, or announced); writing "
            "it replaces every period with this one"
        },
    )
    prices = fields.List(
        Whole(PriceSchema),
        attribute="price_periods",
        validate=validate.Length(min=1, max=50),
        metadata={
            "description": "every price period, in order, not overlapping; replaced as a "
            "whole (`price`, when also sent, must equal the last)"
        },
    )
    reuse_terms = fields.List(
        Whole(ReuseTermsSchema),
        validate=validate.Length(max=16),
        metadata={
            "description": "who pays, per Land, for the bodies below it; replaced as a whole"
        },
    )
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
    def _periods_fit(self, data, **_kwargs):
        periods = data.get("price_periods")
        if periods is not None:
            errors = period_list_errors(periods)
            if errors:
                raise ValidationError(errors, "prices")
            if "price" in data and data["price"] != periods[-1]:
                raise ValidationError("Sent with `prices`, it must equal the last period.", "price")
        if data.get("reuse_terms"):
            errors = terms_errors(data["reuse_terms"])
            if errors:
                raise ValidationError(errors, "reuse_terms")

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
    """Any subset of the fields; `services`, `price`/`prices` and `reuse_terms` are
    replaced as a whole."""

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
