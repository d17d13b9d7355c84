"""Alembic environment: the registry's metadata, a connection handed in or the configured URL."""

from alembic import context
from sqlalchemy import Connection, Engine

import registry.models  # noqa: F401  (registers every table on the metadata)
from registry.config import database_url
from registry.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    given = config.attributes.get("connection")  # a Connection, or an Engine (pytest-alembic)
    if isinstance(given, Connection):
        run_with(given)
        return
    if isinstance(given, Engine):
        with given.connect() as connection:
            run_with(connection)
            connection.commit()
        return
    url = config.attributes.get("url") or database_url("instance")
    engine = make_engine(url)
    with engine.connect() as connection:
        run_with(connection)
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
