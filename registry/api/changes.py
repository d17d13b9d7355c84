"""The change feed other systems sync from, the audit trail, bundle export and import."""

from flask import Response, request, stream_with_context
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from registry.api.common import Blueprint, PageArgs, page_schema, work
from registry.db import get_session
from registry.importers import bundle
from registry.logic import audit
from registry.logic.paging import paginate

blp = Blueprint(
    "changes",
    __name__,
    url_prefix="/api/v1",
    description="Every write as an event: the change feed and the audit trail.",
)

EVENT_EXAMPLE = {
    "id": 42,
    "at": "2026-11-21T10:15:00+00:00",
    "actor": "bochum-digital",
    "action": "update",
    "entity_type": "adoption",
    "entity_key": "7",
    "before": {"id": 7, "status": "onboarding"},
    "after": {"id": 7, "status": "live"},
}


class EventSchema(Schema):
    id = fields.Integer(metadata={"description": "monotonic; events appear in id order"})
    at = fields.DateTime(metadata={"description": "UTC"})
    actor = fields.String(metadata={"description": "token name, `cli`, or `system`"})
    action = fields.String(metadata={"description": "create, update or delete"})
    entity_type = fields.String()
    entity_key = fields.String(metadata={"description": "the record's public key"})
    before = fields.Dict(allow_none=True, metadata={"description": "null for create"})
    after = fields.Dict(allow_none=True, metadata={"description": "null for delete"})


MAX_ID = 2**63 - 1  # audit ids are BIGINT


class FeedArgs(Schema):
    after = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=MAX_ID),
        metadata={"description": "the last event id you have (0: from the start)"},
    )
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1, max=1000))


class FeedSchema(Schema):
    events = fields.List(fields.Nested(EventSchema))
    next_after = fields.Integer(metadata={"description": "pass as `after` for the next batch"})
    has_more = fields.Boolean()


class AuditArgs(PageArgs):
    entity = fields.String(
        validate=validate.OneOf([*audit.CATALOGUE, "api_token"]),
        metadata={"description": "entity type"},
    )
    key = fields.String(validate=validate.Length(max=100))
    actor = fields.String(validate=validate.Length(max=100))


AuditPageSchema = page_schema(EventSchema, "AuditPageSchema")


@blp.route("/changes")
class Changes(MethodView):
    @blp.arguments(FeedArgs, location="query")
    @blp.response(
        200,
        FeedSchema,
        example={"events": [EVENT_EXAMPLE], "next_after": 42, "has_more": False},
    )
    @blp.reads()
    def get(self, args):
        """The change feed: catalogue events after a cursor, in id order

        Replaying every event from `after=0` rebuilds the current state: `create` and
        `update` carry the record as GET shows it (`after`), `delete` carries what was
        deleted (`before`). Keep `next_after` and ask again; `has_more` says whether to
        ask at once. Events commit in id order, so no later poll finds an older id.
        """
        limit = args["limit"]
        stmt = audit.events(after=args["after"], catalogue_only=True).limit(limit + 1)
        found = list(get_session().scalars(stmt))
        batch = found[:limit]
        return {
            "events": batch,
            "next_after": batch[-1].id if batch else args["after"],
            "has_more": len(found) > limit,
        }


@blp.route("/audit")
class Audit(MethodView):
    @blp.arguments(AuditArgs, location="query")
    @blp.response(
        200,
        AuditPageSchema,
        example={
            "items": [EVENT_EXAMPLE],
            "pagination": {"page": 1, "page_size": 50, "total_items": 1, "total_pages": 1},
        },
    )
    @blp.doc(security=[{"bearerAuth": []}])
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.reads()
    def get(self, args):
        """The audit trail, for admins

        Who changed what and when, with the record before and after; filter by `entity`
        (type), `key` and `actor`. Includes token creation and revocation.
        """
        work().require_admin("read the audit trail")
        page, page_size = args.pop("page"), args.pop("page_size")
        result = paginate(get_session(), audit.events(**args), page=page, page_size=page_size)
        return {"items": result.items, "pagination": result.pagination}


@blp.route("/export")
class Export(MethodView):
    @blp.response(200, description="NDJSON stream", content_type="application/x-ndjson")
    @blp.doc(security=[{"bearerAuth": []}])
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.reads(snapshot=True)
    def get(self):
        """Every record as NDJSON, streamed (admins)

        One line per record, `{"type": ..., "record": {...}}`, Königstein shares,
        organisations, services, solutions, adoptions in that order, each sorted by key.
        The stream is read from the database in batches, never held in memory whole.
        `POST /import` takes the same format.
        """
        work().require_admin("export the registry")
        session = get_session()
        return Response(
            stream_with_context(bundle.export_stream(session)), mimetype="application/x-ndjson"
        )


class ImportReportSchema(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    skipped = fields.Dict(keys=fields.String(), values=fields.Integer())
    warnings = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "landed, but worth a look: reason -> how many"},
    )
    rejected = fields.List(fields.Dict(keys=fields.String(), values=fields.String()))


@blp.route("/import")
class Import(MethodView):
    @blp.response(
        200,
        ImportReportSchema,
        example={
            "created": 3,
            "updated": 1,
            "unchanged": 40,
            "skipped": {},
            "warnings": {},
            "rejected": [],
        },
    )
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    @blp.doc(
        requestBody={
            "required": True,
            "description": 'NDJSON, one `{"type": ..., "record": {...}}` per line, as '
            "`GET /export` writes it (declared as bytes, which generated clients can send)",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        },
    )
    @blp.writes()
    def post(self):
        """Import a bundle (admins): all of it, or nothing

        The body is NDJSON as `GET /export` writes it. Records are matched by key and
        created, updated or left unchanged; the answer counts them. If any record is
        rejected, nothing is imported and the problem (422) carries the same counts and
        `rejected`, each record with the reason. Bodies up to `REGISTRY_MAX_IMPORT_BYTES`
        (default 64 MB; other requests: `REGISTRY_MAX_BODY_BYTES`); larger ones get 413.
        """
        work().require_admin("import bundles")
        items = bundle.read_stream(request.get_data(as_text=True).splitlines())
        return bundle.import_all(get_session(), items).as_dict()
