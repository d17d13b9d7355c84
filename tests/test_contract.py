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
from pathlib import Path

import pytest

from tests.conftest import seeded_server

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)


@pytest.fixture
def live(backend, tmp_path):
    # Bremen: small, with every kind of record
    with seeded_server(backend, tmp_path, "contract", frozenset({"04"})) as served:
        yield served


@pytest.mark.slow
def test_no_server_error_and_no_undocumented_answer(live, tmp_path):
    base, token = live
    st = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    command = [st, "run", f"{base}/openapi.json", "-H", f"Authorization: Bearer {token}"]
    command += ["--checks", ",".join(CHECKS), "-n", "8", "--seed", "20261202"]
    command += ["--report", "junit", "--report-dir", str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "36 operations" in done.stdout or "Tested: 36" in done.stdout, done.stdout[-2000:]
