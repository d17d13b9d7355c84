"""`registry serve` as it runs in production (and in the Dockerfile): a real gunicorn."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

WORKERS = 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _listening(port: int) -> int:
    """How many sockets listen on 127.0.0.1:port (IPv4, /proc/net/tcp: state 0A)."""
    wanted = f"0100007F:{port:04X}"
    lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for line in lines if line.split()[1] == wanted and line.split()[3] == "0A")


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[int]:
    home = tmp_path_factory.mktemp("served")
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
    env["REGISTRY_INSTANCE_DIR"] = str(home)
    env["REGISTRY_DATABASE_URL"] = f"sqlite:///{home}/served.sqlite3"
    registry = [str(Path(sys.executable).parent / "registry")]  # the installed command
    subprocess.run([*registry, "db", "upgrade"], env=env, check=True, capture_output=True)
    port = _free_port()
    command = [*registry, "serve", "--port", str(port), "--workers", str(WORKERS)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while _listening(port) == 0:
            assert process.poll() is None, "registry serve exited"
            assert time.monotonic() < deadline, "registry serve did not listen"
            time.sleep(0.1)
        settled = time.monotonic() + 10  # the other workers boot a moment later
        while _listening(port) < WORKERS and time.monotonic() < settled:
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_every_worker_listens_on_a_socket_of_its_own(served):
    """SO_REUSEPORT: the kernel spreads connections over the workers; on one shared
    socket a burst of keep-alive connections could all land in one worker."""
    assert _listening(served) == WORKERS


def test_an_over_long_request_line_reaches_the_app(served):
    """gunicorn's own limit would answer a long request line with its HTML page; lifted,
    the app answers problem+json."""
    connection = http.client.HTTPConnection("127.0.0.1", served, timeout=30)
    connection.request("GET", "/api/v1/search?q=" + "a" * 20_000)
    answer = connection.getresponse()
    assert answer.status == 414
    assert answer.getheader("Content-Type") == "application/problem+json"
    connection.close()
