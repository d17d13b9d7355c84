"""The Api object, problem+json documentation, pagination schemas."""

from __future__ import annotations

import http
from collections.abc import Callable
from functools import wraps
from typing import Any

import flask_smorest
from flask import g
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields, validate
from webargs.flaskparser import FlaskParser

from registry import errors
from registry.api import answer_cache, conditional
from registry.uow import UnitOfWork


class ProblemSchema(Schema):
    """RFC 9457 problem details, the body of every error response."""

    type = fields.String(
        metadata={"description": "URI naming the kind of problem", "example": "about:blank"}
    )
    title = fields.String(metadata={"description": "short summary of the kind of problem"})
    status = fields.Integer(metadata={"description": "the HTTP status code"})
    detail = fields.String(metadata={"description": "what went wrong with this request"})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={
            "description": "messages per offending field, by dotted path",
            "example": {"ars": ["An ARS has exactly 12 digits."]},
        },
    )
    referenced_by = fields.List(
        fields.Dict(keys=fields.String(), values=fields.String()),
        metadata={"description": "409 on delete: the records that still refer to the target"},
    )
    existing = fields.Integer(
        metadata={"description": "409 on a second adoption: the id of the one that exists"}
    )
    constraint = fields.String(
        allow_none=True,
        metadata={"description": "409 from the database: the constraint the change broke"},
    )
    # 422 of POST /import: the report of what would have been imported
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    skipped = fields.Dict(keys=fields.String(), values=fields.Integer())
    warnings = fields.Dict(keys=fields.String(), values=fields.Integer())
    rejected = fields.List(
        fields.Dict(keys=fields.String(), values=fields.String()),
        metadata={"description": "422 of an import: each refused record with the reason"},
    )


class RegistryApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error):  # type: ignore[override]
        return errors.handle_http_exception(error)

    def _register_responses(self) -> None:
        """Document every error response as application/problem+json."""
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, errors.PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, errors.PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


MAX_PAGE = 1_000_000  # far past the end of any list (12,000 organisations, 1M adoptions)


class PageArgs(Schema):
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=MAX_PAGE),
        metadata={"description": "1-based page"},
    )
    page_size = fields.Integer(
        load_default=50,
        validate=validate.Range(min=1, max=500),
        metadata={"description": "items per page, at most 500"},
    )


class PaginationSchema(Schema):
    page = fields.Integer()
    page_size = fields.Integer()
    total_items = fields.Integer()
    total_pages = fields.Integer()


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """`{items: [...], pagination: {...}}` for one resource."""
    return type(
        name,
        (Schema,),
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "pagination": fields.Nested(PaginationSchema, required=True),
            "__doc__": f"One page of {item_schema.__name__.removesuffix('Schema')} records.",
        },
    )


class StrictParser(FlaskParser):
    """Unknown query parameters are refused like unknown body fields, never ignored."""

    DEFAULT_UNKNOWN_BY_LOCATION: dict[str, str | None] = {}


def work() -> UnitOfWork:
    """The request's unit of work, for the principal of its bearer token."""
    from registry.api.guards import principal
    from registry.db import get_session

    if "uow" not in g:
        g.uow = UnitOfWork(get_session(), principal())
    return g.uow


IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string"},
    "description": "the ETag of the version you change (GET gives it), or `*` for any "
    "current version; a weak tag (`W/…`) never matches",
}


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = StrictParser()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.append(self._prepare_header_doc)

    def arguments(self, schema: Any, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
        """Query arguments are parsed by one schema instance per view: given a class,
        webargs built a new instance (its fields copied) on every request. Bodies keep
        their classes (their OpenAPI components are named after them)."""
        if kwargs.get("location") == "query" and isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)

    @staticmethod
    def _prepare_header_doc(doc: dict[str, Any], doc_info: dict[str, Any], **_kw: Any):
        """The headers a `reads`/`writes` decorator names, beside the generated parameters
        (a manual `doc(parameters=...)` would replace those)."""
        for header in doc_info.get("headers", ()):
            doc.setdefault("parameters", []).append(header)
        return doc

    @staticmethod
    def _with_header(view: Any, header: dict[str, Any]) -> Any:
        view._apidoc = {**getattr(view, "_apidoc", {})}
        view._apidoc["headers"] = [*view._apidoc.get("headers", ()), header]
        return view

    def reads(
        self, etag: str = conditional.SEQUENCE, *, dated: bool = False, snapshot: bool = False
    ) -> Callable[[Any], Any]:
        """A read view: its answer carries an ETag — the record's version (`record`) or
        the audit sequence (`sequence`, checked before the view runs; `dated`: with
        today's date, for answers that depend on it) — and a current `If-None-Match`
        gets 304; documented with the operation. It reads outside a transaction
        (registry.db.Database.read_sessionmaker) unless it needs one (`snapshot`: a
        stream read by a server-side cursor)."""

        def decorator(view: Any) -> Any:
            @wraps(view)
            def conditional_view(*args: Any, **kwargs: Any) -> Any:
                g.read_only = not snapshot
                if etag != conditional.SEQUENCE:
                    return view(*args, **kwargs)
                tag = g.get("sequence_etag")  # read before parsing (conditional.revalidate)
                if tag is None:
                    return view(*args, **kwargs)
                kept = answer_cache.lookup(tag)
                if kept is not None:
                    return kept
                g.answer_cache_tag = tag  # the finished answer is kept (conditional.finish)
                return view(*args, **kwargs)

            conditional.mark(conditional_view, etag, dated, snapshot)
            decorated = self._with_header(conditional_view, conditional.IF_NONE_MATCH)
            return self.alt_response(304, response="NOT_MODIFIED")(decorated)

        return decorator

    def writes(self, *, precondition: bool = False) -> Callable[[Any], Any]:
        """A write view: the unit of work commits once after it returns, and the operation
        documents what every write can answer (a bearer token, 401, 403, 409; with
        `precondition` the required `If-Match` header, 412 and 428)."""

        def decorator(view: Any) -> Any:
            @wraps(view)
            def committed(*args: Any, **kwargs: Any) -> Any:
                result = view(*args, **kwargs)
                work().commit()
                return result

            decorated = self.doc(security=[{"bearerAuth": []}])(committed)
            statuses = ["UNAUTHORIZED", "FORBIDDEN", "CONFLICT"]
            if precondition:
                decorated = self._with_header(decorated, IF_MATCH)
                statuses += ["PRECONDITION_FAILED", "PRECONDITION_REQUIRED"]
            for status in statuses:
                code = http.HTTPStatus[status].value
                decorated = self.alt_response(code, response=status)(decorated)
            return decorated

        return decorator
