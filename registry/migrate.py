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
    """
    config = alembic_config(url=url)
    before = _revision(url)
    command.upgrade(config, revision)
    head = ScriptDirectory.from_config(config).get_current_head()
    if _revision(url) == head and before != head:
        _recount_everything(url, existing=before is not None)


def _revision(url: str) -> str | None:
    from registry.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def _recount_everything(url: str, *, existing: bool) -> None:
    from sqlalchemy import update

    from registry.db import make_engine
    from registry.logic import aggregates
    from registry.models import AuditCounter
    from registry.models.stats import Stale

    engine = make_engine(url)
    try:
        with Session(engine) as session, session.begin():
            aggregates.recount(session, Stale(everything=True))
            if existing:  # a migration can change what answers mean: none stays current
                session.execute(update(AuditCounter).values(last_id=AuditCounter.last_id + 1))
    finally:
        engine.dispose()


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url=url), revision)


def current(url: str) -> None:
    command.current(alembic_config(url=url), verbose=False)
