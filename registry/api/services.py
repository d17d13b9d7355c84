"""/api/v1/services: OZG-Leistungen with Themenfeld, LeiKa keys and executing level."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from registry.api import examples
from registry.api.common import Blueprint, PageArgs, page_schema
from registry.api.fields import leika_key, ozg_id
from registry.api.guards import etag, principal, require_if_match
from registry.db import get_session
from registry.logic import lookup, permissions, services
from registry.models.vocab import LEVEL_SOURCES, LEVELS, THEMENFELDER

blp = Blueprint(
    "services",
    __name__,
    url_prefix="/api/v1/services",
    description="OZG-Leistungen (service bundles of the OZG catalogue), keyed by OZG-ID.",
)


class ServiceSchema(Schema):
    key = fields.String(dump_only=True)
    ozg_id = ozg_id(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    themenfeld = fields.String(required=True, validate=validate.OneOf(THEMENFELDER))
    lebenslage = fields.String(allow_none=True, validate=validate.Length(max=150))
    executing_level = fields.String(
        required=True,
        validate=validate.OneOf(LEVELS),
        metadata={"description": "the administrative level that executes the service"},
    )
    executing_level_source = fields.String(
        validate=validate.OneOf(LEVEL_SOURCES),
        metadata={"description": "`derived` from the LeiKa Typisierung, or `set` by hand"},
    )
    leika_keys = fields.List(leika_key(), metadata={"description": "LeiKa keys it bundles"})
    description = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class ServicePatchSchema(ServiceSchema):
    """Any subset of the fields; `leika_keys` replaces the whole list."""

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)


class ServiceQueryArgs(PageArgs):
    themenfeld = fields.String(validate=validate.OneOf(THEMENFELDER))
    executing_level = fields.String(validate=validate.OneOf(LEVELS))
    leika_key = leika_key()
    name = fields.String(validate=validate.Length(min=1, max=100))


ServicePageSchema = page_schema(ServiceSchema, "ServicePageSchema")


@blp.route("")
class Services(MethodView):
    @blp.arguments(ServiceQueryArgs, location="query")
    @blp.response(200, ServicePageSchema, example=examples.page(examples.ELTERNGELD))
    def get(self, args):
        """List services

        Ordered by OZG-ID. Filter by `themenfeld`, `executing_level`, `leika_key`
        and `name` (substring, case-insensitive).
        """
        result = services.list_services(get_session(), **args)
        return {"items": result.items, "pagination": result.pagination}

    @blp.arguments(ServiceSchema, example=examples.NEW_SERVICE)
    @blp.response(201, ServiceSchema, example=examples.ELTERNGELD)
    @blp.alt_response(409, response="CONFLICT")
    @blp.doc(security=[{"bearerAuth": []}])
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(403, response="FORBIDDEN")
    def post(self, data):
        """Create a service

        The OZG-ID is its key (5 digits); `executing_level` says who is due for it.
        """
        permissions.admin_only(principal(), "create services")
        session = get_session()
        service = services.create(session, data)
        session.commit()
        return (
            service,
            201,
            {"Location": f"{blp.url_prefix}/{service.ozg_id}", "ETag": etag(service)},
        )


@blp.route("/<ozg_id>")
class ServiceByKey(MethodView):
    @blp.response(200, ServiceSchema, example=examples.ELTERNGELD)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, ozg_id):
        """Get one service by OZG-ID

        With its Themenfeld, Lebenslage, LeiKa keys and executing level.
        """
        service = lookup.service(get_session(), ozg_id)
        return service, 200, {"ETag": etag(service)}

    @blp.arguments(ServicePatchSchema, example=examples.SERVICE_PATCH)
    @blp.response(200, ServiceSchema, example=examples.ELTERNGELD)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.doc(security=[{"bearerAuth": []}])
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(412, response="PRECONDITION_FAILED")
    @blp.alt_response(428, response="PRECONDITION_REQUIRED")
    def patch(self, changes, ozg_id):
        """Change some fields of a service

        Only the fields sent change; `leika_keys` is replaced as a whole.
        """
        permissions.admin_only(principal(), "change services")
        session = get_session()
        service = lookup.service(session, ozg_id)
        require_if_match(service)
        services.update(session, service, changes)
        session.commit()
        return service, 200, {"ETag": etag(service)}

    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.doc(security=[{"bearerAuth": []}])
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(412, response="PRECONDITION_FAILED")
    @blp.alt_response(428, response="PRECONDITION_REQUIRED")
    def delete(self, ozg_id):
        """Delete a service

        Refused with 409, listing the solutions, while solutions implement it.
        """
        permissions.admin_only(principal(), "delete services")
        session = get_session()
        service = lookup.service(session, ozg_id)
        require_if_match(service)
        services.delete(session, service)
        session.commit()
