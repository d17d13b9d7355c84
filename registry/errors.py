"""Every error the API can answer, rendered once as application/problem+json (RFC 9457)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, has_request_context, json, request
from sqlalchemy.exc import (
    DataError,
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)


class RegistryError(Exception):
    """A domain error with its HTTP status; logic raises these, never HTTP exceptions."""

    status = 400
    type = "about:blank"
    title = "Bad Request"

    def __init__(self, detail: str, errors: Mapping[str, Any] | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        self.errors = dict(errors) if errors else None
        self.extra = extra


class NotFound(RegistryError):
    status = 404
    type = "urn:efa-registry:problem:not-found"
    title = "Not Found"

    def __init__(self, entity: str, key: str, field: str | None = None):
        detail = f"No {entity} with key '{key}'."
        super().__init__(detail, {field: [detail]} if field else None)


class Invalid(RegistryError):
    """Well-formed input that breaks a domain rule (422 names the fields)."""

    status = 422
    type = "urn:efa-registry:problem:validation-error"
    title = "Unprocessable Content"

    def __init__(self, errors: Mapping[str, Any], detail: str | None = None):
        super().__init__(detail or "The request has invalid fields.", errors)


class Conflict(RegistryError):
    status = 409
    type = "urn:efa-registry:problem:conflict"
    title = "Conflict"


class DatabaseUnavailable(RegistryError):
    """The database does not answer (restarting, unreachable, locked): try again soon."""

    status = 503
    type = "urn:efa-registry:problem:database-unavailable"
    title = "Service Unavailable"
    retry_after = 5  # seconds: about what a PostgreSQL restart takes


class TooDeep(RegistryError):
    """A request body nested deeper than any record of this API is."""

    status = 400
    type = "urn:efa-registry:problem:too-deep"
    title = "Bad Request"


class UriTooLong(RegistryError):
    status = 414
    type = "urn:efa-registry:problem:uri-too-long"
    title = "URI Too Long"


class Referenced(Conflict):
    """A delete refused because other records still point at the target."""

    type = "urn:efa-registry:problem:still-referenced"

    def __init__(self, entity: str, key: str, referenced_by: list[dict[str, str]]):
        names = ", ".join(f"{r['entity']} {r['key']}" for r in referenced_by[:10])
        more = f" and {len(referenced_by) - 10} more" if len(referenced_by) > 10 else ""
        super().__init__(
            f"{entity} '{key}' is still referenced by {names}{more}.",
            referenced_by=referenced_by,
        )


# Database errors recognised by constraint name (never by message text), as a last line of
# defence behind the logic layer's own checks: the database stays the source of truth.
CONSTRAINT_FIELDS = {
    "uq_organisation_ars": ("ars", "An organisation with this ARS exists already."),
    "uq_organisation_slug": ("slug", "An organisation with this slug exists already."),
    "uq_service_ozg_id": ("ozg_id", "A service with this OZG-ID exists already."),
    "uq_solution_slug": ("slug", "A solution with this slug exists already."),
    "uq_adoption_organisation_id_solution_id": (
        "solution",
        "This organisation has an adoption of this solution already.",
    ),
}


PAGE_PREFIXES = ("/kommune/", "/leistung/", "/loesung/", "/gebiet/")


def is_page(path: str) -> bool:
    """The pages' own URL space (registry.web); everything else answers problem+json."""
    return path == "/" or path.startswith(PAGE_PREFIXES)


def problem(status: int, title: str, detail: str, *, type_: str = "about:blank", **extra: Any):
    if has_request_context() and is_page(request.path):  # a person's page: German HTML
        from registry.web import error_page

        return error_page(status, detail)
    body = {"type": type_, "title": title, "status": status, "detail": detail}
    body.update({k: v for k, v in extra.items() if v is not None})
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Marshmallow's nested error dict -> {"price.tiers.1.max_population": [...]}.

    The request location ("json", "query", ...) is dropped: field names are unique per
    operation, and clients address fields, not locations.
    """
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return {prefix or "_schema": list(messages)}
    if isinstance(messages, str):
        return {prefix or "_schema": [messages]}
    flat: dict[str, list[str]] = {}
    items = messages.items() if isinstance(messages, Mapping) else enumerate(messages)
    for key, value in items:
        name = str(key)
        if not prefix and name in {"json", "query", "path", "headers", "form", "files"}:
            name = ""
        path = f"{prefix}.{name}" if prefix and name else (prefix or name)
        flat.update(flatten_errors(value, path))
    return flat


def _http_problem(error: HTTPException):
    data = getattr(error, "data", None) or {}
    raw = data.get("errors") or data.get("messages")
    errors = flatten_errors(raw) if raw else None
    status = error.code or 500
    if status == 422:
        detail = "The request has invalid fields: " + ", ".join(sorted(errors or {})) + "."
        return problem(
            422,
            "Unprocessable Content",
            detail,
            type_=Invalid.type,
            errors=errors,
        )
    first = next(iter(errors.values()))[0] if errors else None
    detail = data.get("message") or first or error.description or error.name
    response = problem(status, error.name, detail, errors=errors)
    if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    return response


def handle_http_exception(error: HTTPException):
    if isinstance(error, InternalServerError):
        original = getattr(error, "original_exception", None)
        if original is not None:
            log.error("unhandled error", exc_info=original)
        return problem(500, "Internal Server Error", "The server failed; the error is logged.")
    return _http_problem(error)


def handle_registry_error(error: RegistryError):
    response = problem(
        error.status,
        error.title,
        error.detail,
        type_=error.type,
        errors=error.errors,
        **error.extra,
    )
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="efa-registry"'
    if error.status == 503:
        response.headers["Retry-After"] = str(DatabaseUnavailable.retry_after)
    return response


def handle_database_unavailable(error: Exception):
    # SQLAlchemy replaces the pool's connections after a disconnect (and probes idle ones
    # before use: registry.db), so the process serves again by itself once the database
    # is back; no restart needed.
    log.warning("database unavailable: %s", error.__class__.__name__)
    return handle_registry_error(
        DatabaseUnavailable("The database does not answer right now; retry shortly.")
    )


def handle_integrity_error(error: IntegrityError):
    constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
    field, message = CONSTRAINT_FIELDS.get(constraint or "", (None, None))
    detail = message or "The change conflicts with existing data."
    return problem(
        409,
        "Conflict",
        detail,
        type_=Conflict.type,
        errors={field: [detail]} if field else None,
        constraint=constraint,
    )


def handle_data_error(_error: DataError):
    # The schemas catch bad values first; this answers for anything that slips past them.
    return problem(
        422,
        "Unprocessable Content",
        "A value does not fit its column (too long, or out of range).",
        type_=Invalid.type,
    )


def handle_stale_data(_error: StaleDataError):
    return problem(
        412,
        "Precondition Failed",
        "The record was changed by someone else meanwhile; fetch it again and retry.",
    )


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(RegistryError, handle_registry_error)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(StaleDataError, handle_stale_data)
    for unavailable in (OperationalError, InterfaceError, DisconnectionError, PoolTimeout):
        app.register_error_handler(unavailable, handle_database_unavailable)
