"""The application factory: config → database → API → blueprints → errors → CLI."""

from __future__ import annotations

import gc
import os
from typing import Any

from flask import Flask

from registry import config as settings
from registry import web
from registry.api import (
    adoptions,
    analysis,
    answer_cache,
    changes,
    docs_assets,
    guards,
    health,
    organisations,
    services,
    solutions,
)
from registry.api.common import RegistryApi
from registry.api.json_provider import OrjsonProvider
from registry.db import Database
from registry.errors import register_error_handlers

API_DESCRIPTION = """\
The EfA service-sharing registry records which German Land or city built each OZG online
service ("Einer für Alle"), what it costs others to reuse it, and who has adopted it.

Conventions:
- Organisations are addressed by ARS (12 digits) or, without one, by slug; services by
  OZG-ID; solutions by slug; adoptions by id.
- Money is integer euro cents (`*_cents`), always with `currency: "EUR"`.
- Lists are paginated: `page`, `page_size`; the body carries `items` and `pagination`.
- Unknown fields are rejected. Every error is `application/problem+json` (RFC 9457) with
  `type`, `title`, `status`, `detail` and, where fields are at fault, `errors` by field.
- PATCH changes only the fields sent; `null` clears an optional field.
"""


def create_app(config: dict[str, Any] | None = None) -> Flask:
    # The instance folder holds the embedded SQLite file; containers point it somewhere writable.
    app = Flask("registry", instance_path=os.environ.get("REGISTRY_INSTANCE_DIR") or None)
    app.config.update(settings.from_environment(app.instance_path))
    app.config.update(
        API_TITLE="EfA service-sharing registry",
        API_VERSION="1.0.0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        # served by the registry itself (registry.api.docs_assets), not by a CDN
        OPENAPI_SWAGGER_UI_URL=docs_assets.URL,
        API_SPEC_OPTIONS={
            "info": {
                "description": API_DESCRIPTION,
                "license": {"name": "EUPL-1.2"},
            },
        },
    )
    if config:
        app.config.update(config)
    app.json = OrjsonProvider(app)  # schema field order, UTF-8, fast (json_provider)

    Database(app.config["DATABASE_URL"]).init_app(app)
    answer_cache.init_app(app)

    api = RegistryApi(app)
    api.spec.components.security_scheme(
        "bearerAuth",
        {
            "type": "http",
            "scheme": "bearer",
            "description": "a token from `registry tokens create`",
        },
    )
    for module in (organisations, services, solutions, adoptions, analysis, changes, health):
        api.register_blueprint(module.blp)
    app.register_blueprint(docs_assets.blp)
    app.register_blueprint(web.blp)  # the German pages (not part of the API contract)
    register_error_handlers(app)
    guards.init_app(app)
    return app


def serving_app() -> Flask:
    """The app of a server process (gunicorn's workers, `registry serve`), its setup frozen
    out of the garbage collector: the 120,000 objects of modules, mappers and the OpenAPI
    document are never garbage, yet every full collection walked them (40-120 ms here,
    a pause in whichever request set it off: the p99). Tests build many apps and do not
    freeze them."""
    app = create_app()
    gc.collect()
    gc.freeze()
    return app
