"""The contract, checked from outside: schemathesis generates requests from the served
OpenAPI document (every operation; examples, boundary coverage, fuzzing and stateful
sequences) against a live registry with an admin token, and checks that no answer is a
server error, an undeclared status, a wrong content type, undeclared headers or a body the
schema does not describe. Bounded (examples per operation, a fixed seed) so CI stays fast;
run it with more examples by hand: `schemathesis run http://…/openapi.json -n 200`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from registry import migrate
from registry.app import create_app
from registry.seed import seed
from tests.conftest import drop_database, fresh_database_url, make_token, run_database_name

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)


@pytest.fixture
def live(backend, tmp_path):
    url = fresh_database_url(backend, run_database_name("contract"), tmp_path)
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url})
    with app.app_context():
        from registry.db import get_session

        session = get_session()
        seed(session, lands=frozenset({"04"}))  # Bremen: small, with every kind of record
        session.commit()
    token = make_token(app, "admin", name="contract")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", token
    server.shutdown()
    app.extensions["registry_db"].engine.dispose()
    drop_database(backend, url)


@pytest.mark.slow
def test_no_server_error_and_no_undocumented_answer(live, tmp_path):
    base, token = live
    st = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    command = [st, "run", f"{base}/openapi.json", "-H", f"Authorization: Bearer {token}"]
    command += ["--checks", ",".join(CHECKS), "-n", "8", "--seed", "20261202"]
    command += ["--report", "junit", "--report-dir", str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "35 operations" in done.stdout or "Tested: 35" in done.stdout, done.stdout[-2000:]
