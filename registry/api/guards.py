"""Request guards: bearer tokens, ETag / If-Match, security headers."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request

from registry.db import get_db, write_intent
from registry.errors import TooDeep, UriTooLong
from registry.logic import tokens
from registry.logic.permissions import Principal, Unauthorized
from registry.uow import etag  # noqa: F401  (the views' ETag header)

OPEN_PATHS = ("/health", "/ready", "/openapi.json", "/docs")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


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


# No record of this API nests deeper than a handful of levels (a price's tiers); a body
# nested deeper would only make the JSON parser recurse until it fails.
MAX_BODY_DEPTH = 32


def body_depth(raw: bytes) -> int:
    """How deep arrays and objects nest in a JSON text (strings are skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


MAX_URL_LENGTH = 8192
IMPORT_PATH = "/api/v1/import"


def _limit_request() -> None:
    if len(request.full_path) > MAX_URL_LENGTH:
        raise UriTooLong(
            f"The URL has {len(request.full_path)} characters; at most {MAX_URL_LENGTH}."
        )
    if request.path == IMPORT_PATH:  # a bundle: a Land's or Germany's data at once
        request.max_content_length = current_app.config["MAX_IMPORT_BYTES"]
    if request.method in WRITE_METHODS and request.content_length:
        depth = body_depth(request.get_data(cache=True))
        if depth > MAX_BODY_DEPTH:
            raise TooDeep(
                f"The body nests {depth} levels deep; this API needs at most {MAX_BODY_DEPTH}."
            )


def _end_write_intent(_exc: BaseException | None) -> None:
    token = g.pop("write_intent_token", None)
    if token is not None:
        write_intent.reset(token)


def if_match() -> str | None:
    """The request's If-Match header, for the unit of work to judge."""
    return request.headers.get("If-Match")


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if request.path.startswith("/docs"):  # Swagger UI: its own assets and one inline script
        policy = (
            "default-src 'none'; script-src 'self' 'unsafe-inline'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'"
        )
    elif response.mimetype == "text/html":  # the pages: own styles, fonts, icons only
        policy = (
            "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self' data:; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        )
    else:
        policy = "default-src 'none'; frame-ancestors 'none'"
    response.headers.setdefault("Content-Security-Policy", policy)
    return response


def init_app(app: Flask) -> None:
    from registry.api import conditional

    app.before_request(_authenticate)
    app.before_request(_limit_request)
    app.before_request(conditional.revalidate)  # after authentication: a 401 stays a 401
    app.teardown_request(_end_write_intent)
    app.after_request(_security_headers)
    app.after_request(conditional.finish)
    origins = app.config["CORS_ORIGINS"]
    if origins:
        from flask_cors import CORS

        CORS(
            app,
            origins=origins,
            expose_headers=["ETag", "Location"],
            allow_headers=["Authorization", "Content-Type", "If-Match"],
        )
