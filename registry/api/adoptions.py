"""/api/v1/adoptions: who reuses which solution, since when, and says who."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from registry.api import examples
from registry.api.common import Blueprint, PageArgs, page_schema, work
from registry.api.fields import SLUG, Ref
from registry.api.guards import etag, if_match
from registry.db import get_session
from registry.logic import adoptions, lookup
from registry.models.vocab import ADOPTION_STATUSES, PROVENANCES, SCOPES

blp = Blueprint(
    "adoptions",
    __name__,
    url_prefix="/api/v1/adoptions",
    description="An organisation's reuse of a solution: one per organisation and solution.",
)


class AdoptionSchema(Schema):
    id = fields.Integer(dump_only=True)
    organisation = Ref(required=True, metadata={"description": "key of the adopter"})
    organisation_name = fields.Function(lambda a: a.organisation.name, dump_only=True)
    solution = Ref(
        SLUG, "Not a valid slug.", required=True, metadata={"description": "slug of the solution"}
    )
    solution_name = fields.Function(lambda a: a.solution.name, dump_only=True)
    status = fields.String(required=True, validate=validate.OneOf(ADOPTION_STATUSES))
    scope = fields.String(
        validate=validate.OneOf(SCOPES),
        metadata={
            "description": "`self`, or `subordinates`: rolled out for every body below "
            "(landesweit / kreisweit flächendeckend)"
        },
    )
    contracted_on = fields.Date(allow_none=True)
    live_on = fields.Date(allow_none=True)
    ended_on = fields.Date(allow_none=True)
    provenance = fields.String(
        required=True,
        validate=validate.OneOf(PROVENANCES),
        metadata={"description": "where the claim comes from; `illustrative` marks demo data"},
    )
    evidence_url = fields.Url(allow_none=True, validate=validate.Length(max=500))
    confirmed_on = fields.Date(
        allow_none=True, metadata={"description": "when the source last confirmed the claim"}
    )
    contradicted_on = fields.Date(
        allow_none=True,
        metadata={
            "description": "when later evidence said the opposite (an OZG-Dashboard export "
            "listing the service there as `nicht ok` / `nein`); the claim is kept, in doubt, "
            "until confirmed again or curated"
        },
    )
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))
    version = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class AdoptionPatchSchema(AdoptionSchema):
    """Any subset of the fields; null clears an optional field."""

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)


class AdoptionQueryArgs(PageArgs):
    organisation = Ref(metadata={"description": "key of the adopting organisation"})
    solution = Ref(SLUG, "Not a valid slug.", metadata={"description": "slug of the solution"})
    status = fields.String(validate=validate.OneOf(ADOPTION_STATUSES))
    scope = fields.String(validate=validate.OneOf(SCOPES))
    provenance = fields.String(validate=validate.OneOf(PROVENANCES))


AdoptionPageSchema = page_schema(AdoptionSchema, "AdoptionPageSchema")


@blp.route("")
class Adoptions(MethodView):
    @blp.arguments(AdoptionQueryArgs, location="query")
    @blp.response(200, AdoptionPageSchema, example=examples.page(examples.ADOPTION))
    @blp.reads()
    def get(self, args):
        """List adoptions

        Ordered by id. Filter by `organisation` (key), `solution` (slug), `status`,
        `scope` and `provenance`.
        """
        result = adoptions.list_adoptions(get_session(), **args)
        return {"items": result.items, "pagination": result.pagination}

    @blp.arguments(AdoptionSchema, example=examples.NEW_ADOPTION)
    @blp.response(201, AdoptionSchema, example=examples.ADOPTION)
    @blp.writes()
    def post(self, data):
        """Record an adoption

        One adoption per organisation and solution (409 names the existing one).
        Stage dates must be in order: contracted_on ≤ live_on ≤ ended_on.
        """
        adoption = work().create("adoption", data)
        return (
            adoption,
            201,
            {"Location": f"{blp.url_prefix}/{adoption.id}", "ETag": etag(adoption)},
        )


@blp.route("/<int:adoption_id>")
class AdoptionById(MethodView):
    @blp.response(200, AdoptionSchema, example=examples.ADOPTION)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.reads(etag="record")
    def get(self, adoption_id):
        """Get one adoption

        With its status, the stage dates and where the claim comes from.
        """
        adoption = lookup.adoption(get_session(), adoption_id)
        return adoption, 200, {"ETag": etag(adoption)}

    @blp.arguments(AdoptionPatchSchema, example=examples.ADOPTION_PATCH)
    @blp.response(200, AdoptionSchema, example=examples.ADOPTION)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.writes(precondition=True)
    def patch(self, changes, adoption_id):
        """Change some fields of an adoption

        Only the fields sent change; stage dates must stay in order.
        """
        adoption = work().update("adoption", adoption_id, changes, if_match=if_match())
        return adoption, 200, {"ETag": etag(adoption)}

    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.writes(precondition=True)
    def delete(self, adoption_id):
        """Delete an adoption

        Prefer status `ended` with `ended_on` to keep the history; delete only records
        entered by mistake.
        """
        work().delete("adoption", adoption_id, if_match=if_match())
