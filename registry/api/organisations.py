"""/api/v1/organisations: Bund, Länder, Kreise, cities, Gemeinden and non-territorial bodies."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from registry.api import examples, render
from registry.api.common import Blueprint, PageArgs, page_schema, work
from registry.api.fields import Ref, ags, ars, land_code, slug
from registry.api.guards import etag, if_match
from registry.db import get_session
from registry.logic import organisations
from registry.models.vocab import LEVELS, ORGANISATION_KINDS

blp = Blueprint(
    "organisations",
    __name__,
    url_prefix="/api/v1/organisations",
    description="Territorial bodies (keyed by ARS) and other bodies (keyed by slug).",
)


class OrganisationSchema(Schema):
    key = fields.String(dump_only=True, metadata={"description": "ARS, else slug"})
    ars = ars(allow_none=True)
    ags = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Amtlicher Gemeindeschlüssel: ARS digits 1–5 and 10–12"},
    )
    slug = slug(allow_none=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(ORGANISATION_KINDS))
    land_code = land_code(
        allow_none=True,
        metadata={"description": "Land code 01–16; derived from the ARS when it has one"},
    )
    parent = Ref(
        allow_none=True,
        metadata={"description": "key of the next organisation up (ARS or slug)"},
    )
    parent_name = fields.Function(
        lambda org: org.parent.name if org.parent else None, dump_only=True
    )
    population = fields.Integer(
        strict=True, allow_none=True, validate=validate.Range(min=0, max=200_000_000)
    )
    population_date = fields.Date(allow_none=True, metadata={"description": "reference date"})
    duties = fields.List(
        fields.String(validate=validate.OneOf(LEVELS)),
        allow_none=True,
        metadata={
            "description": "explicit executing levels this body carries, overriding those "
            "of its kind (Berlin and Hamburg: land, kreis and gemeinde); null = by kind"
        },
    )
    source = fields.String(allow_none=True, metadata={"description": "where the facts come from"})
    version = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class OrganisationPatchSchema(OrganisationSchema):
    """Any subset of the fields; null clears an optional field."""

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)


class OrganisationQueryArgs(PageArgs):
    kind = fields.String(validate=validate.OneOf(ORGANISATION_KINDS))
    land = land_code()
    ags = ags()
    parent = Ref(metadata={"description": "key of the parent organisation"})
    name = fields.String(
        validate=validate.Length(min=1, max=100),
        metadata={"description": "part of the name, case-insensitive"},
    )


OrganisationPageSchema = page_schema(OrganisationSchema, "OrganisationPageSchema")


@blp.route("")
class Organisations(MethodView):
    @blp.arguments(OrganisationQueryArgs, location="query")
    @blp.response(200, OrganisationPageSchema, example=examples.page(examples.BOCHUM))
    @blp.reads()
    def get(self, args):
        """List organisations

        Ordered by ARS (bodies without ARS last, by slug). Filter by `kind`, `land`
        (Land code), `ags` (8-digit Gemeindeschlüssel), `parent` (key) and `name`
        (substring, case-insensitive).
        """
        found = organisations.list_organisations(get_session(), rows=True, **args)
        return render.json_response(render.page(found, render.organisation_row))

    @blp.arguments(OrganisationSchema, example=examples.NEW_ORGANISATION)
    @blp.response(201, OrganisationSchema, example=examples.BOCHUM)
    @blp.writes()
    def post(self, data):
        """Create an organisation

        Territorial bodies need their 12-digit ARS (the Land code is derived from it);
        other bodies need a slug. The parent must be a higher level in the same Land.
        """
        org = work().create("organisation", data)
        return org, 201, {"Location": f"{blp.url_prefix}/{org.key}", "ETag": etag(org)}


@blp.route("/<org>")
class OrganisationByKey(MethodView):
    @blp.response(200, OrganisationSchema, example=examples.BOCHUM)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.reads(etag="record")
    def get(self, org):
        """Get one organisation by ARS or slug

        A 12-digit key is read as ARS, anything else as slug. The `ETag` names the
        version to send back in `If-Match` when changing it.
        """
        found = organisations.record(get_session(), org)
        response = render.json_response(render.organisation_row(found))
        response.headers["ETag"] = etag(found)
        return response

    @blp.arguments(OrganisationPatchSchema, example=examples.ORGANISATION_PATCH)
    @blp.response(200, OrganisationSchema, example=examples.BOCHUM)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.writes(precondition=True)
    def patch(self, changes, org):
        """Change some fields of an organisation

        Only the fields sent change; `null` clears an optional field. The hierarchy
        rules of creation apply to the result.
        """
        found = work().update("organisation", org, changes, if_match=if_match())
        return found, 200, {"ETag": etag(found)}

    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.writes(precondition=True)
    def delete(self, org):
        """Delete an organisation

        Refused with 409, listing the referencing records, while subordinate organisations,
        solutions it builds or operates, or its adoptions still exist.
        """
        work().delete("organisation", org, if_match=if_match())
