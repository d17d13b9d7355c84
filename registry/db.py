"""Declarative base with a constraint naming convention, engine and per-request session."""

from __future__ import annotations

import time
from contextvars import ContextVar
from typing import Any, NamedTuple

import orjson
from flask import Flask, current_app, g
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

# Set for the duration of a write request (see registry.api.guards).
write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)

# Deterministic constraint names: migrations stay stable and IntegrityErrors map by name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str, **kwargs: Any) -> Engine:
    # JSON columns (a solution's prices and reuse terms) decoded by orjson: a gap answer
    # reads those of about sixty solutions, and the standard library's decoder took a
    # tenth of its Python time. The same values (orjson refuses only what JSON columns
    # never hold: integers past 64 bits, NaN).
    kwargs.setdefault("json_deserializer", orjson.loads)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        _make_sqlite_sane(engine)
        return engine
    engine = create_engine(url, **kwargs)
    _no_jit(engine)
    _ping_when_idle(engine)
    return engine


def _no_jit(engine: Engine) -> None:
    """No JIT on the registry's connections: PostgreSQL compiles a statement whose
    estimated cost passes jit_above_cost, which a generic plan of the first nearby-adopters
    statement did (its initplans counted once per candidate): 28 ms of compiling for a
    3 ms statement. Its statements are index lookups of milliseconds. A SET on each new
    connection, not the `options` startup parameter, which PgBouncer refuses by default."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True  # a session setting, not a transaction's
        try:
            dbapi_connection.execute("SET jit = off")
        finally:
            dbapi_connection.autocommit = autocommit


# A pooled connection idle longer than this is probed before use. Not every checkout:
# pool_pre_ping's probe was a round trip on every request (about 0.2 ms here, as much as
# the audit-sequence read that answers a revalidation). A connection broken while in
# busy use (the database restarted within seconds) fails its request with 503 instead,
# and SQLAlchemy then replaces every pooled connection (errors.DatabaseUnavailable).
IDLE_BEFORE_PING = 5.0


def _ping_when_idle(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get("returned_at")
        if returned is None or time.monotonic() - returned < IDLE_BEFORE_PING:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # the pool retries with a new connection
            raise DisconnectionError() from error


def sqlite_pragma(connection: Connection, setting: str) -> None:
    """A PRAGMA on an SQLite connection outside a transaction (inside one SQLite ignores
    it; a caller's open transaction is left alone); nothing on PostgreSQL. On the
    driver's connection: SQLAlchemy's would BEGIN first."""
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.driver_connection
    if raw is not None and not raw.in_transaction:
        raw.execute(f"PRAGMA {setting}")


def _make_sqlite_sane(engine: Engine) -> None:
    """Foreign keys on, and real transactions (pysqlite's own BEGIN handling breaks SAVEPOINTs)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        # SQLite's lower() folds ASCII only; ilike must match "Ü" to "ü" as PostgreSQL does.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        # Write-ahead log: readers (a long export stream, say) never block the writer.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # A write request takes the write lock up front: a second writer then waits and
        # reads the first one's result (and gets 412), instead of deadlocking on upgrade.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


class RegistrySession(Session):
    """The registry's sessions: the commit recounts what the writes made stale, once.

    registry.models.stats notes after every flush what a change can affect (listening on
    this class only, never on SQLAlchemy's Session); the marks survive rolled-back
    savepoints (recounting too much is harmless, too little is not) and are forgotten only
    when the whole transaction rolls back. Post-commit work runs after a successful commit.
    """

    def commit(self) -> None:
        from registry.logic import aggregates  # the queries live with the analysis logic

        self.flush()
        mark = self.info.get("stale_figures")
        if mark:
            aggregates.recount(self, mark)
        super().commit()
        self.info.pop("stale_figures", None)
        for work in self.info.pop("post_commit", []):
            work()

    def rollback(self) -> None:
        super().rollback()
        self.info.pop("stale_figures", None)
        self.info.pop("post_commit", None)


def make_sessionmaker(bind: Any, **kwargs: Any) -> sessionmaker[RegistrySession]:
    return sessionmaker(bind, class_=RegistrySession, expire_on_commit=False, **kwargs)


# registry.models.AuditCounter's one row (not imported here: the models import this module):
# the audit sequence and the key of the answers' tags (registry.api.conditional).
AUDIT_SEQUENCE_SQL = "SELECT last_id, tag_key FROM audit_counter WHERE id = 1"


class AuditSequence(NamedTuple):
    last_id: int
    tag_key: str  # hex


def audit_sequence_of(row: Any) -> AuditSequence:
    """The row of AUDIT_SEQUENCE_SQL. Migration 0003 writes it and 0017 its key; without
    them no tag can be made that a client could not make as well."""
    if row is None or not row[1]:
        raise LookupError("audit_counter has no row or no key: run `registry db upgrade`")
    return AuditSequence(int(row[0]), row[1])


class Database:
    """The engine and session factory of one app."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessionmaker = make_sessionmaker(self.engine)
        # Reads on PostgreSQL run outside a transaction: at READ COMMITTED each statement
        # sees its own snapshot inside one as well, so a transaction adds nothing to a read
        # but its BEGIN and ROLLBACK round trips. SQLite keeps its transaction: there it is
        # the snapshot that makes an answer's statements agree.
        # On a pool of their own whose connections are in autocommit from their start:
        # switching a shared pool's connection to autocommit at checkout and back at
        # checkin (what the AUTOCOMMIT execution option does) cost 0.05-0.09 ms of every
        # read request, a tenth of an organisation record's. Writes never get one of these.
        postgres = self.engine.dialect.name == "postgresql"
        self.read_engine = (
            make_engine(url, isolation_level="AUTOCOMMIT") if postgres else self.engine
        )
        self.read_sessionmaker = (
            make_sessionmaker(self.read_engine) if postgres else self.sessionmaker
        )

        # Revalidations read the audit sequence on a pooled connection without a session
        # (audit_sequence). Off where reads are bound to one connection instead (the
        # tests' rolled-back transaction, which a pooled connection cannot see).
        self.revalidate_on_pool = True

    def audit_sequence(self) -> AuditSequence:
        """The audit sequence (registry.api.conditional), read on a pooled connection by
        the driver itself: a session and SQLAlchemy's execution path cost twice the
        statement's round trip, and this read is all a revalidation (304) does."""
        # Outside SQLAlchemy's execution path nothing maps the driver's errors or
        # invalidates a broken connection: done here (the error handlers answer 503).
        driver_error = self.read_engine.dialect.loaded_dbapi.Error
        try:
            fairy = self.read_engine.raw_connection()  # on PostgreSQL in autocommit
        except driver_error as error:
            raise DisconnectionError(f"audit sequence: {error.__class__.__name__}") from error
        try:
            cursor = fairy.cursor()
            cursor.execute(AUDIT_SEQUENCE_SQL)  # psycopg prepares it from the fifth time on
            row = cursor.fetchone()
            cursor.close()
        except driver_error as error:
            fairy.invalidate(error)
            raise DisconnectionError(f"audit sequence: {error.__class__.__name__}") from error
        finally:
            fairy.close()
        return audit_sequence_of(row)

    def dispose(self) -> None:
        """Close both pools (before the database is dropped, or after a fork)."""
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()

    def init_app(self, app: Flask) -> None:
        app.extensions["registry_db"] = self
        app.teardown_appcontext(_close_session)


def get_db() -> Database:
    return current_app.extensions["registry_db"]


def get_session() -> Session:
    """The unit of work of the current request (or CLI command)."""
    if "db_session" not in g:
        db = get_db()
        # g.read_only: set by read views that need no transaction (Blueprint.reads).
        factory = db.read_sessionmaker if g.get("read_only") else db.sessionmaker
        # The actor (token name, or "cli") goes into every audit event of this unit of work.
        g.db_session = factory(info={"actor": g.get("actor", "system")})
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        session.close()
    except DBAPIError:
        # The database went away mid-request (the answer was 503 already): rolling back
        # on a dead connection fails; drop the connection instead of failing the teardown.
        session.invalidate()
