"""Early revalidation: an anonymous `If-None-Match` on a sequence-tagged answer is judged
before Flask builds a request for it.

Answering such a revalidation 304 takes one read of the audit sequence and a comparison
of tags (registry.api.conditional). Through Flask it also paid for a request context,
three before-request hooks, a Response object and two after-request hooks: 0.23 ms in one
process, of which the read is 0.06; here 0.14 (issue 13 asks for a 304 within 1.5 × a
bare route; README, Performance).

This WSGI middleware answers only requests whose whole way through Flask it stands in
for: GET or HEAD with If-None-Match and no Authorization header, to a registry that
answers reads without a token, with a URL within the limit, routed to a view marked
sequence-tagged whose hooks are exactly the ones given (registry.api.guards.init_app; a
hook added for some routes, CORS's for instance, makes it step aside for them). For
everything else, and for a tag that is not current, Flask answers as before; it gets the
sequence already read (conditional.SEQUENCE_KEY) and does not read it again.
tests/test_revalidation.py holds the 304s of both ways equal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from registry.api import conditional
from registry.db import Database

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Hooks = tuple[Callable[..., Any], ...]
HeadersOf = Callable[[str, str | None], tuple[tuple[str, str], ...]]


class EarlyRevalidation:
    def __init__(
        self,
        app: Flask,
        inner: WsgiApp,
        *,
        before: Hooks,
        after: Hooks,
        headers: HeadersOf,
        max_url_length: int,
    ) -> None:
        """`before` / `after`: the request hooks this stands in for, in the order they
        were registered; `headers(path, mimetype)`: what the after hooks add to a 304."""
        self.app = app
        self.inner = inner
        self.before, self.after = before, after
        self.security_headers = headers
        self.max_url_length = max_url_length

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if (
            environ.get("HTTP_IF_NONE_MATCH")
            and environ.get("REQUEST_METHOD") in conditional.CONDITIONAL_METHODS
            and "HTTP_AUTHORIZATION" not in environ
        ):
            try:
                headers = self._not_modified(environ)
            except Exception:  # whatever it is, Flask answers it (its error handlers too)
                headers = None
            if headers is not None:
                start_response("304 NOT MODIFIED", headers)
                return []
        return self.inner(environ, start_response)

    def _not_modified(self, environ: dict[str, Any]) -> list[tuple[str, str]] | None:
        """The 304's headers, or None: Flask answers."""
        app = self.app
        db: Database = app.extensions["registry_db"]
        # Both read per request: a registry's settings (and the tests) may change them.
        if not db.revalidate_on_pool or app.config["READS_REQUIRE_TOKEN"]:
            return None
        request = app.request_class(environ, populate_request=False)
        full_path = request.full_path
        if len(full_path) > self.max_url_length:
            return None  # refused by registry.api.guards
        try:
            adapter = app.create_url_adapter(request)
            endpoint = adapter.match()[0] if adapter is not None else None
        except HTTPException:  # not found, another method, a redirect, an untrusted host
            return None
        dated = self._dated(endpoint) if isinstance(endpoint, str) else None
        if dated is None:
            return None
        try:
            seen = db.audit_sequence()
        except SQLAlchemyError as error:
            environ[conditional.SEQUENCE_KEY] = error  # Flask answers 503 without waiting again
            return None
        environ[conditional.SEQUENCE_KEY] = seen
        tag = conditional.sequence_tag(seen, dated, full_path, None)
        if not conditional.matches(environ["HTTP_IF_NONE_MATCH"], tag, star=False):
            return None
        return [
            *conditional.not_modified_headers(tag),
            *self.security_headers(request.path, conditional.API_MIMETYPE),
        ]

    def _dated(self, endpoint: str) -> bool | None:
        """Whether the endpoint's tag is dated; None where this does not answer it. Judged
        on each request: hooks may still be added until Flask has dispatched one."""
        reads = conditional.reads_of(self.app, endpoint)
        if reads is None or reads[0] != conditional.SEQUENCE:
            return None
        app = self.app
        names: list[str | None] = [None]
        blueprint = endpoint.rpartition(".")[0]
        while blueprint:  # a nested blueprint's hooks, and its parents'
            names.append(blueprint)
            blueprint = blueprint.rpartition(".")[0]
        before = tuple(f for n in names for f in app.before_request_funcs.get(n, ()))
        after = tuple(f for n in names for f in app.after_request_funcs.get(n, ()))
        preprocess = [f for n in names for f in app.url_value_preprocessors.get(n, ())]
        if (before, after) != (self.before, self.after) or preprocess:
            return None
        return reads[1]
