"""The `registry` command: database, seed, tokens, OpenAPI."""

import hashlib
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from registry.cli import main


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    monkeypatch.setenv("REGISTRY_DATABASE_URL", url)
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    return runner, url


def _rows(url, sql):
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(sql)).all()
    engine.dispose()
    return rows


def test_seed_twice_reports_nothing_changed(cli_env):
    runner, url = cli_env
    first = runner.invoke(main, ["seed", "--land", "04"])
    assert first.exit_code == 0, first.output
    # Bund, the 16 Länder, Bremen and Bremerhaven (the GV100AD file narrowed to Bremen)
    assert "organisations: 19 created" in first.output
    assert "services: 557 created" in first.output
    events = _rows(url, "SELECT count(*) FROM audit_event WHERE actor = 'cli'")[0][0]
    second = runner.invoke(main, ["seed", "--land", "04"])
    assert "created" not in second.output and "updated" not in second.output
    assert _rows(url, "SELECT count(*) FROM audit_event")[0][0] == events


def test_token_is_printed_once_and_stored_as_hash(cli_env):
    runner, url = cli_env
    runner.invoke(main, ["seed", "--land", "05"])
    result = runner.invoke(
        main, ["tokens", "create", "--role", "editor", "--org", "bochum", "--name", "bo"]
    )
    assert result.exit_code == 0, result.output
    raw = result.output.splitlines()[1]
    assert raw.startswith("efa_")
    ((stored,),) = _rows(url, "SELECT token_hash FROM api_token WHERE name = 'bo'")
    assert stored == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(_rows(url, "SELECT * FROM api_token"))
    listed = runner.invoke(main, ["tokens", "list"]).output
    assert "bo\teditor\t059110000000\tactive" in listed
    assert raw not in listed


def test_revoked_token_gets_401(cli_env, monkeypatch):
    runner, _ = cli_env
    runner.invoke(main, ["seed", "--land", "04"])
    raw = runner.invoke(main, ["tokens", "create", "--role", "admin", "--name", "ops"]).output
    secret = raw.splitlines()[1]
    from registry.app import create_app

    client = create_app().test_client()
    auth = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/audit", headers=auth).status_code == 200
    assert runner.invoke(main, ["tokens", "revoke", "ops"]).exit_code == 0
    refused = client.get("/api/v1/audit", headers=auth)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert "revoked" in runner.invoke(main, ["tokens", "list"]).output


def test_editor_token_needs_an_organisation(cli_env):
    runner, _ = cli_env
    result = runner.invoke(main, ["tokens", "create", "--role", "editor", "--name", "x"])
    assert result.exit_code == 1
    assert "org" in result.output


def test_openapi_command_writes_the_served_document(cli_env, tmp_path):
    runner, _ = cli_env
    out = tmp_path / "spec.json"
    assert runner.invoke(main, ["openapi", "--out", str(out)]).exit_code == 0
    assert '"openapi": "3.0.3"' in out.read_text()


def test_downgrade_to_base_empties_the_database(cli_env):
    runner, url = cli_env
    assert runner.invoke(main, ["db", "downgrade", "base"]).exit_code == 0
    tables = _rows(url, "SELECT name FROM sqlite_master WHERE type = 'table'")
    assert {t for (t,) in tables} <= {"alembic_version"}


def test_a_server_process_freezes_its_setup_out_of_the_garbage_collector(tmp_path):
    """gunicorn's entry point (registry.wsgi, also `registry serve`'s load): the app's setup
    is frozen, so that a full collection does not walk it (registry.app.serving_app)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
    env["REGISTRY_INSTANCE_DIR"] = str(tmp_path)
    script = "import gc, registry.wsgi; print(gc.get_freeze_count())"
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert int(out.stdout.split()[-1]) > 50_000
