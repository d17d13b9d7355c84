"""Every database test runs on SQLite and on PostgreSQL, on a schema built by the migrations.

Each test runs inside a transaction that is rolled back afterwards; the app's commits
become SAVEPOINT releases inside it.

PostgreSQL: REGISTRY_TEST_POSTGRES_URL (default: the local server, database
registry_test, created when missing). It must answer: an unreachable PostgreSQL fails the
run. Only REGISTRY_TEST_DATABASES=sqlite, set on purpose, runs SQLite alone.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from registry import migrate
from registry.app import create_app
from registry.db import Database, make_engine, make_sessionmaker

POSTGRES_URL = os.environ.get(
    "REGISTRY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/registry_test"
)
BACKENDS = [
    b.strip() for b in os.environ.get("REGISTRY_TEST_DATABASES", "sqlite,postgresql").split(",")
]


def pytest_report_header() -> str:
    return f"registry test databases: {', '.join(BACKENDS)} (PostgreSQL: {POSTGRES_URL})"


def fresh_database_url(backend: str, name: str, tmp: Path) -> str:
    """An empty database of the given backend, ready for migrations."""
    if backend == "sqlite":
        path = tmp / f"{name}.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    url = make_url(POSTGRES_URL).set(database=name)
    admin = make_engine(
        make_url(POSTGRES_URL).set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # a clear failure, never a skip
        pytest.fail(
            f"PostgreSQL at {POSTGRES_URL} cannot be reached ({error.__class__.__name__}: "
            f"{error}). Start it, or set REGISTRY_TEST_DATABASES=sqlite on purpose.",
            pytrace=False,
        )
    finally:
        admin.dispose()
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def run_database_name(purpose: str) -> str:
    """Per test run, so that two runs on one machine never drop each other's database."""
    return f"registry_{purpose}_{os.getpid()}"


def drop_database(backend: str, url: str) -> None:
    if backend != "postgresql":
        return
    admin = make_engine(
        make_url(POSTGRES_URL).set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of this backend with the schema built by the real migrations."""
    url = fresh_database_url(backend, run_database_name("test"), tmp_path_factory.mktemp("db"))
    migrate.upgrade(url)
    yield url
    drop_database(backend, url)


def release(pooled: Engine | Database) -> None:
    """Before its database is dropped: connections nobody returned (a response never
    read to its end) are rolled back now, while the database still answers, not when
    the garbage collector finds them (SQLAlchemy then logged "Exception during reset"
    with the AdminShutdown of the dropped database); then the pools are closed (an
    app's Database has two)."""
    gc.collect()
    pooled.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:  # disposed before the database is dropped
    engine = make_engine(database_url)
    yield engine
    release(engine)


@pytest.fixture(scope="session")
def base_app(database_url: str) -> Iterator[Flask]:
    # No answer cache: every test rolls its transaction back, so the audit sequence (the
    # cache's key) repeats across tests with other data. tests/test_answer_cache.py
    # switches it on where a test's data lives as long as its cache.
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "ANSWER_CACHE_BYTES": 0})
    yield app
    release(app.extensions["registry_db"])


# Seeded worlds, built once per backend and run when a test asks for them with
# `@pytest.mark.world(name)`: "nrw" is `registry seed` narrowed to Nordrhein-Westfalen and
# Bremen (every Land, the whole catalogue, the real solutions, the demo adoptions);
# "germany" is `registry seed` itself, all of Germany.
WORLDS: dict[str, frozenset[str] | None] = {"nrw": frozenset({"04", "05"}), "germany": None}


@pytest.fixture(scope="session")
def worlds(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from registry.seed import seed

    built: dict[str, tuple[str, Engine]] = {}

    def world(name: str) -> Engine:
        if name not in built:
            url = fresh_database_url(
                backend, run_database_name(f"world_{name}"), tmp_path_factory.mktemp(name)
            )
            migrate.upgrade(url)
            engine = make_engine(url)
            with make_sessionmaker(engine)() as session:
                seed(session, lands=WORLDS[name])
                session.commit()
            built[name] = (url, engine)
        return built[name][1]

    yield world
    for url, engine in built.values():
        release(engine)
        drop_database(backend, url)


@pytest.fixture
def connection(request: pytest.FixtureRequest, engine: Engine, worlds: Any) -> Iterator[Connection]:
    marker = request.node.get_closest_marker("world")
    with (worlds(marker.args[0]) if marker else engine).connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def own_database(backend: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on a database of its own: commits are real, as in production (the other
    tests' writes stay in a rolled-back transaction no pooled connection sees, and
    psycopg forgets its prepared statements at every rollback)."""
    url = fresh_database_url(backend, run_database_name("own"), tmp_path)
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "TESTING": True, "ANSWER_CACHE_BYTES": 0})
    yield app
    app.extensions["registry_db"].dispose()
    drop_database(backend, url)


@pytest.fixture
def app(base_app: Flask, connection: Connection) -> Iterator[Flask]:
    """The app, its sessions joined to the test's rolled-back transaction."""
    db = base_app.extensions["registry_db"]
    original = db.sessionmaker, db.read_sessionmaker
    # Reads too: inside the test's transaction, not outside it (live servers test those).
    db.sessionmaker = db.read_sessionmaker = make_sessionmaker(
        connection, join_transaction_mode="create_savepoint"
    )
    db.revalidate_on_pool = False  # tests/test_conditional.py covers it on its own database
    yield base_app
    db.sessionmaker, db.read_sessionmaker = original
    db.revalidate_on_pool = True


class TokenClient(FlaskClient):
    """Sends a bearer token; PATCH/DELETE without If-Match send the current ETag.

    Most tests are about what a write does, not about its preconditions; the tests of
    authentication and concurrency use `anonymous` and explicit headers instead.
    """

    token: str | None = None

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        headers = dict(kwargs.pop("headers", None) or {})
        if self.token and "Authorization" not in headers:
            headers["Authorization"] = f"Bearer {self.token}"
        method = kwargs.get("method", "GET").upper()
        if method in ("PATCH", "DELETE") and "If-Match" not in headers and args:
            current = super().open(args[0], method="GET", headers=headers)
            if "ETag" in current.headers:
                headers["If-Match"] = current.headers["ETag"]
        return super().open(*args, headers=headers, **kwargs)


def make_token(app: Flask, role: str, org_key: str | None = None, name: str | None = None) -> str:
    from registry.logic import lookup, tokens

    with app.extensions["registry_db"].sessionmaker() as s:
        org = lookup.organisation(s, org_key) if org_key else None
        _, raw = tokens.create(
            s, role=role, name=name or f"{role}-{org_key or 'test'}", organisation=org
        )
        s.commit()
    return raw


def token_client(app: Flask, raw: str | None) -> TokenClient:
    app.test_client_class = TokenClient
    client = app.test_client()
    client.token = raw
    return client


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """An admin's client."""
    return token_client(app, make_token(app, "admin", name="test-admin"))


@pytest.fixture
def anonymous(app: Flask) -> FlaskClient:
    return token_client(app, None)


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A session for arranging and checking data directly, outside any request."""
    s = app.extensions["registry_db"].sessionmaker()
    yield s
    s.close()


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_statements(connection: Connection) -> Iterator[StatementCounter]:
    counter = StatementCounter()

    def _count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            counter.statements.append(statement)

    event.listen(connection, "before_cursor_execute", _count)
    yield counter
    event.remove(connection, "before_cursor_execute", _count)


@contextmanager
def seeded_server(backend: str, tmp_path: Path, purpose: str, lands: frozenset[str]):
    """A live registry (a threaded server on loopback) on its own database, seeded with
    `lands`; yields its base URL and an admin token."""
    import threading

    from werkzeug.serving import make_server

    from registry.seed import seed

    url = fresh_database_url(backend, run_database_name(purpose), tmp_path)
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url})
    with make_sessionmaker(app.extensions["registry_db"].engine)() as session:
        seed(session, lands=lands)
        session.commit()
    token = make_token(app, "admin", name=purpose)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", token
    finally:
        server.shutdown()
        app.extensions["registry_db"].dispose()
        drop_database(backend, url)
