"""The benchmark keeps working: `tests/bench/run.py --quick` end to end (times not judged)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from registry.db import make_engine
from tests.conftest import BACKENDS, POSTGRES_URL

RUN = Path(__file__).resolve().parent / "bench" / "run.py"
ENDPOINTS = {
    "gaps",
    "gaps_bare",
    "candidates",
    "cost",
    "coverage",
    "scorecard",
    "rankings",
    "organisation",
    "list",
    "page",
}


@pytest.mark.slow
def test_quick_benchmark_writes_its_report(tmp_path):
    if "postgresql" not in BACKENDS:
        pytest.skip("the benchmark runs on PostgreSQL; REGISTRY_TEST_DATABASES excludes it")
    url = make_url(POSTGRES_URL)
    name = f"registry_bench_test_{os.getpid()}"
    # URL.set() ignores None, so the database is dropped from the rendered string instead.
    base = url.set(drivername="postgresql", database="").render_as_string(hide_password=False)
    command = [sys.executable, str(RUN), "--quick", "--fresh", "--out", str(tmp_path)]
    command += ["--cache", str(tmp_path / "cache"), "--postgres", base.rstrip("/")]
    command += ["--database", name]
    writes = [sys.executable, str(RUN.parent / "writes.py"), "--quick", "--repeat", "2"]
    writes += ["--postgres", base.rstrip("/"), "--database", name, "--out", str(tmp_path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900)
        wrote = subprocess.run(writes, capture_output=True, text=True, timeout=900)
    finally:
        admin_url = url.set(database="postgres").render_as_string(hide_password=False)
        admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads((tmp_path / "report.json").read_text())
    assert set(report["endpoints"]) == ENDPOINTS
    for name, row in report["endpoints"].items():
        for concurrency in ("c1", "c8"):
            assert row[concurrency]["requests"] > 0, name
            assert row[concurrency]["errors"] == 0, (name, row[concurrency])
        assert row["sql"]["statements"] > 0 and row["floor_ratio"] > 0, name
    assert set(report["peer"]) == {
        f"{question}: {answer}, {cache}"
        for question, answer in (("gaps", "gaps"), ("gaps", "gaps_bare"), ("coverage", "coverage"))
        for cache in ("cold", "warm")
    }
    assert all(p["latency_ratio"] > 0 for p in report["peer"].values())
    # drawn from organisations of every kind, each asked about once at c=1
    assert 30 <= report["sample"]["gaps"] <= 5 * 12
    assert set(report["warm"]) == {"gaps", "gaps_bare", "candidates", "cost", "coverage"}
    for row in report["warm"].values():
        assert row["c1"]["errors"] == 0 and row["c8"]["errors"] == 0
    assert report["revalidate"]["c1"]["status_counts"] == {
        "304": report["revalidate"]["c1"]["requests"]
    }
    assert len(report["memory_mb"]) == 2 and all(m > 10 for m in report["memory_mb"].values())
    side = report["interleaved"]
    assert side["rounds"] == 2 and side["figures"]["errors"]["high"] == 0
    for name, figure in side["figures"].items():
        assert len(figure["rounds"]) == 2, name
        assert name == "errors" or figure["low"] > 0, name
    assert sum(t["target"].startswith("side by side: ") for t in report["targets"]) == 9
    assert report["targets"] and "| gaps |" in (tmp_path / "report.md").read_text()
    assert wrote.returncode == 0, wrote.stdout[-3000:] + wrote.stderr[-3000:]
    timings = json.loads((tmp_path / "writes.json").read_text())
    assert timings["figures_exact"] is True
    assert {"service create (no solution)", "adoption create"} <= set(timings["writes"])


@pytest.mark.slow
def test_load_without_loss_holds_its_checks(tmp_path):
    if "postgresql" not in BACKENDS:
        pytest.skip("the load test runs on PostgreSQL; REGISTRY_TEST_DATABASES excludes it")
    url = make_url(POSTGRES_URL)
    base = url.set(drivername="postgresql", database="").render_as_string(hide_password=False)
    command = [sys.executable, str(RUN.parent / "load_writes.py"), "--seconds", "5"]
    command += ["--clients", "8", "--postgres", base.rstrip("/"), "--out", str(tmp_path)]
    command += ["--database", f"registry_load_test_{os.getpid()}", "--port", "0"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads((tmp_path / "load_writes.json").read_text())
    assert result["checks"] == dict.fromkeys(result["checks"], True)
    assert result["statuses"].get("patch 200", 0) > 0 and result["unexpected"] == {}
