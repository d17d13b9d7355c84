"""The Api object, problem+json documentation, pagination schemas."""

from __future__ import annotations

import http
from typing import Any

import flask_smorest
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields, validate
from webargs.flaskparser import FlaskParser

from registry import errors


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


class PageArgs(Schema):
    page = fields.Integer(
        load_default=1, validate=validate.Range(min=1), metadata={"description": "1-based page"}
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


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = StrictParser()
