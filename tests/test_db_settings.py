"""Every connection the registry opens carries its settings, on each database: SQLite
enforces foreign keys; PostgreSQL runs without JIT (registry.db._no_jit), also on a
connection the pool hands out again, and a reading connection stays out of a
transaction after the SET."""

from sqlalchemy import JSON, text

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


def test_json_columns_are_decoded_by_orjson(database_url, backend, monkeypatch):
    """A gap answer decodes the prices of about sixty solutions (registry.db.make_engine)."""
    import orjson

    decoded: list[object] = []
    loads = orjson.loads

    def spy(text_: object) -> object:
        decoded.append(text_)
        return loads(text_)

    monkeypatch.setattr(orjson, "loads", spy)
    engine = make_engine(database_url, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as connection:
            cast = "CAST(:doc AS JSON)" if backend == "postgresql" else ":doc"
            value = connection.execute(
                text(f"SELECT {cast} AS doc").columns(doc=JSON()), {"doc": '[{"a": 1}]'}
            ).scalar()
            connection.rollback()
    finally:
        engine.dispose()
    assert value == [{"a": 1}]
    assert decoded, "not decoded by orjson"
