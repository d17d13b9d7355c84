"""Request guards: bearer tokens, ETag / If-Match, security headers."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g, request

from registry.db import get_db, write_intent
from registry.errors import RegistryError
from registry.logic import tokens
from registry.logic.permissions import Principal, Unauthorized

OPEN_PATHS = ("/health", "/ready", "/openapi.json", "/docs")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class PreconditionRequired(RegistryError):
    status = 428
    type = "urn:efa-registry:problem:precondition-required"
    title = "Precondition Required"


class PreconditionFailed(RegistryError):
    status = 412
    type = "urn:efa-registry:problem:stale"
    title = "Precondition Failed"


def principal() -> Principal | None:
    return g.get("principal")


def _authenticate() -> None:
    """Resolve the bearer token (if any) before the view; refuse what needs one."""
    g.write_intent_token = write_intent.set(request.method in WRITE_METHODS)
    if request.path.startswith(OPEN_PATHS):
        return
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise Unauthorized("Use 'Authorization: Bearer <token>'.")
        with get_db().sessionmaker() as session:
            token = tokens.authenticate(session, raw.strip())
            if token is None:
                raise Unauthorized("The token is unknown or revoked.")
            g.principal = Principal.of(token)
        g.actor = g.principal.name
        return
    if request.method in WRITE_METHODS:
        raise Unauthorized("Writes need 'Authorization: Bearer <token>'.")
    if current_app.config["READS_REQUIRE_TOKEN"]:
        raise Unauthorized("This registry answers only requests with a token.")


def _end_write_intent(_exc: BaseException | None) -> None:
    token = g.pop("write_intent_token", None)
    if token is not None:
        write_intent.reset(token)


def etag(entity: Any) -> str:
    return f'"{entity.version}"'


def require_if_match(entity: Any) -> None:
    """PATCH and DELETE name the version they change: no lost updates between editors."""
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired(
            "Send 'If-Match' with the ETag of the version you change (GET gives it)."
        )
    offered = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if etag(entity) not in offered:
        raise PreconditionFailed(
            f"The record is at version {etag(entity)} now; fetch it again and retry."
        )


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if request.path.startswith("/docs"):  # Swagger UI loads its script and style from a CDN
        policy = (
            "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: "
            "https://cdn.jsdelivr.net; connect-src 'self'"
        )
    else:
        policy = "default-src 'none'; frame-ancestors 'none'"
    response.headers.setdefault("Content-Security-Policy", policy)
    return response


def init_app(app: Flask) -> None:
    app.before_request(_authenticate)
    app.teardown_request(_end_write_intent)
    app.after_request(_security_headers)
    origins = app.config["CORS_ORIGINS"]
    if origins:
        from flask_cors import CORS

        CORS(
            app,
            origins=origins,
            expose_headers=["ETag", "Location"],
            allow_headers=["Authorization", "Content-Type", "If-Match"],
        )
