"""Request guards: bearer tokens, ETag / If-Match, security headers."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request

from registry.api import conditional
from registry.api.revalidation import EarlyRevalidation
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


def security_headers(path: str, mimetype: str | None) -> tuple[tuple[str, str], ...]:
    """The headers every answer carries, by its path and the type of its representation
    (a 304's: the answer it revalidates, registry.api.conditional.not_modified)."""
    if path.startswith("/docs"):  # Swagger UI: its own assets and one inline script
        policy = DOCS_POLICY
    elif mimetype == "text/html":  # the pages: own styles, fonts, icons only
        policy = PAGE_POLICY
    else:
        policy = DATA_POLICY
    return (*FIXED_HEADERS, ("Content-Security-Policy", policy))


FIXED_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
)
DOCS_POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'"
)
PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"


def _security_headers(response: Response) -> Response:
    for name, value in security_headers(request.path, response.mimetype):
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    before = (_authenticate, _limit_request, conditional.revalidate)  # a 401 stays a 401
    after = (_security_headers, conditional.finish)
    for before_hook in before:
        app.before_request(before_hook)
    for after_hook in after:
        app.after_request(after_hook)
    app.teardown_request(_end_write_intent)
    # Stands in for these hooks where a revalidation needs nothing else (its docstring).
    app.wsgi_app = EarlyRevalidation(  # type: ignore[method-assign]
        app,
        app.wsgi_app,
        before=before,
        after=after,
        headers=security_headers,
        max_url_length=MAX_URL_LENGTH,
    )
    origins = app.config["CORS_ORIGINS"]
    if origins:
        from flask_cors import CORS

        CORS(
            app,
            origins=origins,
            expose_headers=["ETag", "Location"],
            allow_headers=["Authorization", "Content-Type", "If-Match"],
        )
