"""Settings from the environment; an embedded SQLite file is the default."""

import os
from pathlib import Path


def database_url(instance_path: str) -> str:
    """REGISTRY_DATABASE_URL, else a SQLite file in the instance folder."""
    url = os.environ.get("REGISTRY_DATABASE_URL")
    if url:
        # Accept the usual postgres:// spellings and route them to psycopg 3.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(instance_path) / 'registry.sqlite3'}"


def from_environment(instance_path: str) -> dict:
    return {
        "DATABASE_URL": database_url(instance_path),
        "MAX_CONTENT_LENGTH": int(os.environ.get("REGISTRY_MAX_BODY_BYTES", 1_000_000)),
        # A bundle is a Land's or Germany's data, not one record: its own, larger limit.
        "MAX_IMPORT_BYTES": int(os.environ.get("REGISTRY_MAX_IMPORT_BYTES", 64_000_000)),
        # Analysis answers kept per worker, by ETag (registry.api.answer_cache); 0: off.
        "ANSWER_CACHE_BYTES": int(float(os.environ.get("REGISTRY_ANSWER_CACHE_MB", 32)) * 2**20),
        "READS_REQUIRE_TOKEN": _flag("REGISTRY_READS_REQUIRE_TOKEN"),
        # Comma-separated origins allowed by CORS; empty (the default) sends no CORS headers.
        "CORS_ORIGINS": [
            o.strip() for o in os.environ.get("REGISTRY_CORS_ORIGINS", "").split(",") if o.strip()
        ],
    }


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")
