"""The migrations build the schema from empty, match the models, and round-trip, on both DBs."""

import json

import pytest
from pytest_alembic.tests import (  # noqa: F401  (collected as this module's tests)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import inspect, text

from registry.db import make_engine
from registry.paths import project_dir
from tests.conftest import drop_database, fresh_database_url, run_database_name


@pytest.fixture
def alembic_config():
    return {"script_location": str(project_dir("migrations"))}


@pytest.fixture
def alembic_engine(backend, tmp_path):
    url = fresh_database_url(backend, run_database_name("migrations"), tmp_path)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    drop_database(backend, url)


def test_downgrade_to_base_and_upgrade_again(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("heads")
    alembic_runner.migrate_down_to("base")
    assert set(inspect(alembic_engine).get_table_names()) <= {"alembic_version"}
    alembic_runner.migrate_up_to("heads")
    assert {"organisation", "service", "solution", "adoption", "koenigstein_share"} <= set(
        inspect(alembic_engine).get_table_names()
    )


OLD_PRICES = {
    # slug: (price_model, onboarding, annual, per_capita, total, year)
    "frei": ("free", None, None, None, None, None),
    "pauschal": ("flat", 50_000, 123_456, None, None, None),
    "pro-kopf": ("per_capita", 250_000, None, 3, None, None),
    "gestaffelt": ("tiered", None, None, None, None, None),
    "koenig": ("koenigstein", 500_000, None, None, 10_625_000, 2016),
}


def test_0007_converts_the_five_old_price_models_without_loss(alembic_runner, alembic_engine):
    """Each old model becomes one open period in the composite form, and back."""
    alembic_runner.migrate_up_to("0006")
    now = "2025-01-01 00:00:00"
    with alembic_engine.begin() as connection:
        for number, (slug, row) in enumerate(OLD_PRICES.items(), start=1):
            model, onboarding, annual, per_capita, total, year = row
            connection.execute(
                text(
                    "INSERT INTO solution (id, slug, name, efa, status, requires_land_contract,"
                    " search_name, search_text, price_model, onboarding_fee_cents,"
                    " annual_fee_cents, per_capita_fee_cents, total_annual_cost_cents,"
                    " koenigstein_year, version, created_at, updated_at) VALUES (:id, :slug,"
                    " :slug, true, 'live', false, ' ', ' ', :model, :onboarding, :annual,"
                    " :per_capita, :total, :year, 1, :now, :now)"
                ),
                {
                    "id": number,
                    "slug": slug,
                    "model": model,
                    "onboarding": onboarding,
                    "annual": annual,
                    "per_capita": per_capita,
                    "total": total,
                    "year": year,
                    "now": now,
                },
            )
        connection.execute(
            text("INSERT INTO solution_url_pattern (solution_id, pattern) VALUES (2, 'a.de')")
        )
        for position, (bound, fee) in enumerate(((10_000, 50_000), (None, 750_000))):
            connection.execute(
                text(
                    "INSERT INTO price_tier (solution_id, position, max_population,"
                    " annual_fee_cents) VALUES (4, :position, :bound, :fee)"
                ),
                {"position": position, "bound": bound, "fee": fee},
            )
    alembic_runner.migrate_up_to("heads")
    with alembic_engine.connect() as connection:
        # SQLite rebuilds the solution table: the rows referring to it must survive.
        patterns = connection.execute(text("SELECT solution_id, pattern FROM solution_url_pattern"))
        assert [tuple(p) for p in patterns] == [(2, "a.de")]
        rows = connection.execute(text("SELECT slug, prices, reuse_terms FROM solution"))
        stored = {slug: (json.loads(p) if isinstance(p, str) else p, t) for slug, p, t in rows}
    period = {"valid_from": None, "valid_to": None, "first_year": "full", "pool_cents": None}
    assert stored["frei"][0] == [{**period, "onboarding_fee_cents": 0, "components": []}]
    assert stored["pauschal"][0] == [
        {
            **period,
            "onboarding_fee_cents": 50_000,
            "components": [{"key": "flat", "amount_cents": 123_456}],
        }
    ]
    assert stored["pro-kopf"][0][0]["components"] == [
        {"key": "inhabitants", "amount_cents": 3, "per_units": 1}
    ]
    assert stored["gestaffelt"][0][0]["components"] == [
        {
            "key": "tiers",
            "tiers": [
                {"max_population": 10_000, "annual_fee_cents": 50_000},
                {"max_population": None, "annual_fee_cents": 750_000},
            ],
        }
    ]
    assert stored["koenig"][0] == [
        {
            **period,
            "onboarding_fee_cents": 500_000,
            "pool_cents": 10_625_000,
            "components": [{"key": "koenigstein", "weight_bp": 10_000, "year": 2016}],
        }
    ]
    alembic_runner.migrate_down_to("0006")
    with alembic_engine.connect() as connection:
        back = connection.execute(
            text(
                "SELECT slug, price_model, onboarding_fee_cents, annual_fee_cents,"
                " per_capita_fee_cents, total_annual_cost_cents, koenigstein_year"
                " FROM solution ORDER BY id"
            )
        ).all()
        tiers = connection.execute(
            text("SELECT max_population, annual_fee_cents FROM price_tier ORDER BY position")
        ).all()
    assert {row[0]: tuple(row[1:]) for row in back} == OLD_PRICES
    assert [tuple(t) for t in tiers] == [(10_000, 50_000), (None, 750_000)]


def test_0007_downgrade_refuses_prices_the_old_models_cannot_hold(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("heads")
    period = {
        "valid_from": "2027-01-01",
        "valid_to": None,
        "onboarding_fee_cents": 0,
        "first_year": "pro_rata",
        "pool_cents": None,
        "components": [{"key": "flat", "amount_cents": 1}],
    }
    with alembic_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO solution (id, slug, name, efa, status, requires_land_contract,"
                " search_name, search_text, prices, reuse_terms, version, created_at,"
                " updated_at) VALUES (1, 'neu', 'Neu', true, 'live', false, ' ', ' ',"
                " :prices, '[]', 1, '2025-01-01', '2025-01-01')"
            ),
            {"prices": json.dumps([period])},
        )
    with pytest.raises(Exception, match="price period the old models lack"):
        alembic_runner.migrate_down_to("0006")
    with alembic_engine.connect() as connection:  # nothing was lost
        stored = connection.execute(text("SELECT prices FROM solution")).scalar_one()
    assert (json.loads(stored) if isinstance(stored, str) else stored) == [period]


def test_an_interrupted_recount_leaves_the_schema_to_migrate_again(backend, tmp_path, monkeypatch):
    """The migrations and the figures' recount are one transaction (registry.migrate):
    a recount that fails (or is stopped) takes the migrations with it, so the next
    upgrade migrates and recounts again instead of finding the head with old figures."""
    from registry import migrate
    from registry.logic import aggregates

    url = fresh_database_url(backend, run_database_name("recount"), tmp_path)
    counted = aggregates.recount
    calls: list[str] = []

    def failing(session, mark):  # the process stopped during the recount
        raise RuntimeError("stopped")

    def watched(session, mark):
        calls.append("recount")
        counted(session, mark)

    try:
        migrate.upgrade(url, "0013")  # short of the head: nothing recounted
        monkeypatch.setattr(aggregates, "recount", failing)
        with pytest.raises(RuntimeError, match="stopped"):
            migrate.upgrade(url)
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                version = connection.execute(text("SELECT version_num FROM alembic_version"))
                assert version.scalar() == "0013"
            assert "service_candidates" not in inspect(engine).get_table_names()
        finally:
            engine.dispose()
        monkeypatch.setattr(aggregates, "recount", watched)
        migrate.upgrade(url)
        assert calls == ["recount"]
        engine = make_engine(url)
        try:
            assert "service_candidates" in inspect(engine).get_table_names()
        finally:
            engine.dispose()
    finally:
        drop_database(backend, url)
