"""No lost updates: two editors changing one record, the second gets 412."""

import threading

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from registry import migrate
from registry.app import create_app
from registry.logic import lookup, organisations
from tests import factories as f
from tests.conftest import (
    BACKENDS,
    drop_database,
    fresh_database_url,
    make_token,
    run_database_name,
    token_client,
)


def test_stale_if_match_is_412_and_changes_nothing(app, client):
    f.nrw_with_bochum(client)
    raw = FlaskClient(app)
    auth = {"Authorization": f"Bearer {client.token}"}
    etag = raw.get("/api/v1/organisations/bochum").headers["ETag"]
    first = raw.patch(
        "/api/v1/organisations/bochum",
        json={"population": 1},
        headers={**auth, "If-Match": etag},
    )
    assert first.status_code == 200
    second = raw.patch(
        "/api/v1/organisations/bochum",
        json={"population": 2},
        headers={**auth, "If-Match": etag},
    )
    assert second.status_code == 412
    assert second.content_type == "application/problem+json"
    assert raw.get("/api/v1/organisations/bochum").get_json()["population"] == 1


@pytest.fixture
def committed_app(backend, tmp_path):
    """An app on a database of its own whose requests really commit (no test transaction)."""
    url = fresh_database_url(backend, run_database_name("concurrency"), tmp_path)
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    yield app
    app.extensions["registry_db"].dispose()
    drop_database(backend, url)


def test_two_concurrent_editors_one_wins_the_other_gets_412(committed_app):
    admin = token_client(committed_app, make_token(committed_app, "admin", name="admin"))
    f.nrw_with_bochum(admin)
    editors = [
        token_client(committed_app, make_token(committed_app, "editor", "bochum", name=f"e{i}"))
        for i in (1, 2)
    ]
    etag = admin.get("/api/v1/organisations/bochum").headers["ETag"]
    start = threading.Barrier(2)
    results: dict[int, int] = {}

    def edit(i: int) -> None:
        start.wait()
        response = editors[i].patch(
            "/api/v1/organisations/bochum",
            json={"population": 400_000 + i},
            headers={"If-Match": etag},
        )
        results[i] = response.status_code

    threads = [threading.Thread(target=edit, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == [200, 412]
    winner = next(i for i, status in results.items() if status == 200)
    body = admin.get("/api/v1/organisations/bochum").get_json()
    assert body["population"] == 400_000 + winner
    assert body["version"] == 2


@pytest.fixture
def postgres_app(tmp_path):
    if "postgresql" not in BACKENDS:
        pytest.skip("REGISTRY_TEST_DATABASES excludes PostgreSQL on purpose")
    url = fresh_database_url("postgresql", run_database_name("stale"), tmp_path)
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    yield app
    app.extensions["registry_db"].dispose()
    drop_database("postgresql", url)


def test_database_refuses_a_write_based_on_a_stale_read(postgres_app):
    """Even past the If-Match check, the row version makes the second commit fail.

    PostgreSQL only: SQLite cannot hold two open write transactions at all; there the
    write lock taken at the start of each write request (test above) does this job.
    """
    admin = token_client(postgres_app, make_token(postgres_app, "admin", name="admin"))
    f.nrw_with_bochum(admin)
    factory = sessionmaker(postgres_app.extensions["registry_db"].engine)
    with factory() as first, factory() as second:
        a = lookup.organisation(first, "bochum")
        b = lookup.organisation(second, "bochum")
        organisations.update(first, a, {"population": 1})
        first.commit()
        with pytest.raises(StaleDataError):
            organisations.update(second, b, {"population": 2})
            second.commit()
    assert admin.get("/api/v1/organisations/bochum").get_json()["population"] == 1
