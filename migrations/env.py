"""Alembic environment: the registry's metadata, a connection handed in or the configured URL."""

from alembic import context
from sqlalchemy import Connection, Engine

import registry.models  # noqa: F401  (registers every table on the metadata)
from registry.config import database_url
from registry.db import Base, make_engine, sqlite_pragma

config = context.config
target_metadata = Base.metadata


def run_with(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,  # SQLite cannot ALTER much
        compare_type=True,
    )
    # SQLite: a batch migration rebuilds a table: copy, DROP, rename. With foreign keys
    # on, the DROP would cascade to every row referring to it (a solution's services,
    # adoptions, URL patterns). The pragma only works outside a transaction.
    sqlite_pragma(connection, "foreign_keys=OFF")
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    given = config.attributes.get("connection")  # a Connection, or an Engine (pytest-alembic)
    if isinstance(given, Connection):
        run_with(given)  # the caller's transaction: the caller commits
        return
    if isinstance(given, Engine):
        with given.connect() as connection:
            try:
                run_with(connection)
                connection.commit()
            finally:  # also after a failed migration: the pool expects them on
                connection.rollback()
                sqlite_pragma(connection, "foreign_keys=ON")
        return
    url = config.attributes.get("url") or database_url("instance")
    engine = make_engine(url)
    with engine.connect() as connection:
        run_with(connection)
        connection.commit()
    engine.dispose()


if context.is_offline_mode():
    context.configure(
        url=config.attributes.get("url") or database_url("instance"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    run_online()
