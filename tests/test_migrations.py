"""The migrations build the schema from empty, match the models, and round-trip, on both DBs."""

import pytest
from pytest_alembic.tests import (  # noqa: F401  (collected as this module's tests)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import inspect

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
