"""Alembic, driven from Python: the CLI, the container start and the tests use this."""

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from registry.paths import project_dir


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(project_dir("migrations")))
    if connection is not None:
        config.attributes["connection"] = connection
    if url is not None:
        config.attributes["url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate; on reaching the head, recount the materialised offering figures.

    Migrations change what the figures depend on (who is due, per Land) but must not run
    the app's queries themselves: those are written for the newest schema. So the figures
    are counted here, once, with the code that matches the schema just reached.

    The migrations and the recount are one transaction. Committed apart, a recount that
    failed or was stopped (a container killed during its start: the recount takes most of
    a minute at Germany size) left the schema at the head with the figures of the old
    one, and the next upgrade, finding nothing to migrate, never counted them.
    """
    from registry.db import make_engine, sqlite_pragma

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            # SQLite: before the transaction, where the pragma is ignored (migrations/env.py)
            sqlite_pragma(connection, "foreign_keys=OFF")
            try:
                with connection.begin():
                    before = _revision(connection)
                    config = alembic_config(connection=connection)
                    command.upgrade(config, revision)  # in this transaction (env.py)
                    head = ScriptDirectory.from_config(config).get_current_head()
                    if _revision(connection) == head and before != head:
                        _recount_everything(connection, existing=before is not None)
            finally:
                sqlite_pragma(connection, "foreign_keys=ON")
    finally:
        engine.dispose()


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _recount_everything(connection: Connection, *, existing: bool) -> None:
    from sqlalchemy import update

    from registry.logic import aggregates
    from registry.models import AuditCounter
    from registry.models.stats import Stale

    # A savepoint in the caller's transaction, which commits it with the migrations.
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        aggregates.recount(session, Stale(everything=True))
        if existing:  # a migration can change what answers mean: none stays current
            session.execute(update(AuditCounter).values(last_id=AuditCounter.last_id + 1))
        session.commit()


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url=url), revision)


def current(url: str) -> None:
    command.current(alembic_config(url=url), verbose=False)
