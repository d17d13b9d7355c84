"""Every connection the registry opens carries its settings, on each database: SQLite
enforces foreign keys; PostgreSQL runs without JIT (registry.db._no_jit), also on a
connection the pool hands out again, and a reading connection stays out of a
transaction after the SET."""

from sqlalchemy import text

from registry.db import make_engine


def test_each_new_connection_carries_the_registry_settings(database_url, backend):
    engine = make_engine(database_url, pool_size=1, max_overflow=0)
    try:
        for _ in range(2):  # the second checkout is the pooled connection again
            with engine.connect() as connection:
                if backend == "postgresql":
                    assert connection.execute(text("SHOW jit")).scalar() == "off"
                    raw = connection.connection.driver_connection
                    assert raw.autocommit is False  # the driver's default, restored
                else:
                    assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
                connection.rollback()
    finally:
        engine.dispose()
