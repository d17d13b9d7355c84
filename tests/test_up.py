"""`registry up` on a fresh machine: the embedded SQLite default, all of Germany, serving;
a second start loads nothing new and says so."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from registry.paths import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(instance: Path, port: int) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
    env["REGISTRY_INSTANCE_DIR"] = str(instance)  # the embedded default, in a fresh folder
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "registry"), "up", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def get(port: int, path: str) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:
        return json.load(answer)


def serve_and_read(instance: Path) -> tuple[str, dict[str, int]]:
    port = free_port()
    process = start(instance, port)
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                get(port, "/health")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"registry up did not serve: {process.communicate()[0]}")
                time.sleep(0.5)

        def total(query: str) -> int:
            return get(port, f"/api/v1/{query}&page_size=1")["pagination"]["total_items"]

        figures = {
            "land": total("organisations?kind=land"),
            "kreis": total("organisations?kind=kreis"),
            "kreisfreie_stadt": total("organisations?kind=kreisfreie_stadt"),
            "gemeindeverband": total("organisations?kind=gemeindeverband"),
            "gemeinde": total("organisations?kind=gemeinde"),
            "services": total("services?page=1"),
            "efa_solutions": total("solutions?efa=true"),
            "illustrative": total("adoptions?provenance=illustrative"),
        }
        figures["bochum_due"] = get(port, "/api/v1/organisations/bochum/scorecard")["due"]
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    return output, figures


@pytest.mark.slow
def test_registry_up_serves_all_of_germany_and_a_second_start_loads_nothing_new(tmp_path):
    output, figures = serve_and_read(tmp_path)
    assert figures == {
        "land": 16,
        "kreis": 294,
        "kreisfreie_stadt": 104,
        "gemeindeverband": 1_203,
        "gemeinde": 10_645,
        "services": 557,
        "efa_solutions": 44,
        "illustrative": 37,
        "bochum_due": figures["bochum_due"],
    }
    assert 150 <= figures["bochum_due"] <= 190
    assert "organisations: 12292 created" in output
    assert "services: 557 created" in output
    again, same = serve_and_read(tmp_path)
    assert same == figures
    assert "created" not in again and "updated" not in again, again
