"""Alembic, driven from Python: the CLI, the container start and the tests use this."""

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

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
    command.upgrade(alembic_config(url=url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url=url), revision)


def current(url: str) -> None:
    command.current(alembic_config(url=url), verbose=False)
