"""/api/v1/services: OZG-Leistungen with Themenfeld, LeiKa keys and executing level."""

from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates

from registry.api import examples
from registry.api.common import Blueprint, PageArgs, page_schema, work
from registry.api.fields import Whole, land_code, leika_key, ozg_id
from registry.api.guards import etag, if_match
from registry.api.prices import decimal_string
from registry.db import get_session
from registry.logic import lookup, services
from registry.models.vocab import LEVEL_SOURCES, LEVELS, THEMENFELDER

blp = Blueprint(
    "services",
    __name__,
    url_prefix="/api/v1/services",
    description="OZG-Leistungen (service bundles of the OZG catalogue), keyed by OZG-ID.",
)


LEVEL_DESCRIPTION = (
    "who executes it: `bund` (federal bodies, social insurance, chambers: due for no "
    "territorial body below the Bund), `land` (Land authorities, courts, Finanzämter), "
    "`kreis` (Kreise and kreisfreie Städte), `gemeindeverband` (Ämter, Samtgemeinden, "
    "Verbandsgemeinden, Verwaltungsgemeinschaften for their member Gemeinden; Gemeinden "
    "outside one carry it themselves), `gemeinde` (Gemeinden and kreisfreie Städte)"
)


class ResponsibilitySchema(Schema):
    """A Land whose law gives the service to another level than the national default."""

    land_code = land_code(required=True)
    level = fields.String(
        required=True, validate=validate.OneOf(LEVELS), metadata={"description": LEVEL_DESCRIPTION}
    )
    reason = fields.String(
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={
            "description": "one line: the executing authority in that Land and its law",
            "example": "Zentrum Bayern Familie und Soziales (ZBFS), Art. 1 AGSG",
        },
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
        metadata={"description": "the national default level; " + LEVEL_DESCRIPTION},
    )
    executing_level_source = fields.String(
        validate=validate.OneOf(LEVEL_SOURCES),
        metadata={
            "description": "`typisierung`: decided by the LeiKa Typisierung (1 -> bund; 5, "
            "6 -> municipal); `curated`: the registry's curated list (seed/), with the "
            "authority and law as reason; `set`: by an admin; `assumed`: nothing known, "
            "municipal by default until curated"
        },
    )
    executing_level_reason = fields.String(
        allow_none=True,
        validate=validate.Length(max=500),
        metadata={"description": "one line: the executing authority and its law"},
    )
    voluntary = fields.Boolean(
        metadata={
            "description": "a freiwillige Leistung (Musikschule, Seniorenpass): offered "
            "where a body chooses to, owed by nobody, so due for nobody (no gap anywhere)"
        }
    )
    responsibilities = fields.List(
        Whole(ResponsibilitySchema),
        validate=validate.Length(max=16),
        metadata={
            "description": "the Länder whose level differs from the default, by Land code; "
            "replaced as a whole. GET /services/{ozg_id}/responsibilities lists all 16."
        },
    )
    leika_keys = fields.List(leika_key(), metadata={"description": "LeiKa keys it bundles"})
    leika_names = fields.List(
        fields.String(validate=validate.Length(min=1, max=300)),
        validate=validate.Length(max=500),
        metadata={
            "description": "names of the LeiKa Leistungen it bundles (as the LeiKa "
            "catalogue names them: 'Hundesteuer' for Hundehaltung); found by /search"
        },
    )
    case_rate_per_1000 = decimal_string(
        "expected cases a year per 1,000 inhabitants, for usage-based prices (cases key)",
        allow_none=True,
    )
    case_rate_source = fields.String(
        allow_none=True, metadata={"description": "where the case rate comes from"}
    )
    case_rate_assumed = fields.Boolean(
        metadata={"description": "the case rate is the registry's assumption, not a statistic"}
    )
    description = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)

    @validates("responsibilities")
    def _one_row_per_land(self, rows, **_kwargs):
        # rows that failed their own validation are reported by it, not here
        codes = [
            r["land_code"]
            for r in rows
            if isinstance(r, dict) and isinstance(r.get("land_code"), str)
        ]
        doubled = sorted({code for code in codes if codes.count(code) > 1})
        if doubled:
            raise ValidationError(f"One row per Land; given twice: {', '.join(doubled)}.")


class ServicePatchSchema(ServiceSchema):
    """Any subset of the fields; `leika_keys` and `responsibilities` replace the whole list."""

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)


class ServiceQueryArgs(PageArgs):
    themenfeld = fields.String(validate=validate.OneOf(THEMENFELDER))
    executing_level = fields.String(validate=validate.OneOf(LEVELS))
    leika_key = leika_key()
    name = fields.String(validate=validate.Length(min=1, max=100))


ServicePageSchema = page_schema(ServiceSchema, "ServicePageSchema")


class LandLevelSchema(Schema):
    land_code = land_code(required=True)
    land_name = fields.String(allow_none=True)
    level = fields.String(required=True, metadata={"description": LEVEL_DESCRIPTION})
    reason = fields.String(allow_none=True, metadata={"description": "authority and law"})
    per_land = fields.Boolean(
        required=True,
        metadata={"description": "true: the Land's own row; false: the national default"},
    )


class ResponsibilityListSchema(Schema):
    """The level that executes a service in each of the 16 Länder."""

    ozg_id = ozg_id(required=True)
    name = fields.String(required=True)
    executing_level = fields.String(required=True, metadata={"description": "the default"})
    executing_level_source = fields.String(required=True)
    executing_level_reason = fields.String(allow_none=True)
    voluntary = fields.Boolean(required=True, metadata={"description": "due for nobody"})
    items = fields.List(fields.Nested(LandLevelSchema), required=True)


@blp.route("")
class Services(MethodView):
    @blp.arguments(ServiceQueryArgs, location="query")
    @blp.response(200, ServicePageSchema, example=examples.page(examples.ELTERNGELD))
    @blp.reads()
    def get(self, args):
        """List services

        Ordered by OZG-ID. Filter by `themenfeld`, `executing_level`, `leika_key`
        and `name` (substring, case-insensitive).
        """
        result = services.list_services(get_session(), **args)
        return {"items": result.items, "pagination": result.pagination}

    @blp.arguments(ServiceSchema, example=examples.NEW_SERVICE)
    @blp.response(201, ServiceSchema, example=examples.ELTERNGELD)
    @blp.writes()
    def post(self, data):
        """Create a service

        The OZG-ID is its key (5 digits); `executing_level` says who is due for it.
        """
        service = work().create("service", data)
        return (
            service,
            201,
            {"Location": f"{blp.url_prefix}/{service.ozg_id}", "ETag": etag(service)},
        )


@blp.route("/<ozg_id>")
class ServiceByKey(MethodView):
    @blp.response(200, ServiceSchema, example=examples.ELTERNGELD)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.reads(etag="record")
    def get(self, ozg_id):
        """Get one service by OZG-ID

        With its Themenfeld, Lebenslage, LeiKa keys, its national executing level and
        the Länder whose level differs (`responsibilities`).
        """
        service = lookup.service(get_session(), ozg_id)
        return service, 200, {"ETag": etag(service)}

    @blp.arguments(ServicePatchSchema, example=examples.SERVICE_PATCH)
    @blp.response(200, ServiceSchema, example=examples.ELTERNGELD)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.writes(precondition=True)
    def patch(self, changes, ozg_id):
        """Change some fields of a service

        Only the fields sent change; `leika_keys` and `responsibilities` (the per-Land
        levels) are replaced as a whole. A change of level recounts who is due for the
        service, and like every write it appends an audit event.
        """
        service = work().update("service", ozg_id, changes, if_match=if_match())
        return service, 200, {"ETag": etag(service)}

    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.writes(precondition=True)
    def delete(self, ozg_id):
        """Delete a service

        Refused with 409, listing the solutions, while solutions implement it.
        """
        work().delete("service", ozg_id, if_match=if_match())


@blp.route("/<ozg_id>/responsibilities")
class ServiceResponsibilities(MethodView):
    @blp.response(200, ResponsibilityListSchema, example=examples.ELTERNGELD_RESPONSIBILITIES)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.reads()
    def get(self, ozg_id):
        """Who executes a service, Land by Land

        All 16 Länder with the level that executes the service there: the Land's own row
        (`per_land: true`, with its authority and law) or the national default. An
        organisation is due for the service when it carries that level in its Land. Change
        the per-Land rows with `PATCH /services/{ozg_id}` (`responsibilities`).
        """
        session = get_session()
        service = lookup.service(session, ozg_id)
        return services.responsibilities(session, service)
