"""Start the servers under test as processes of their own, and read their workers' memory."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
WORKERS = 2  # one per core of the reference machine
THREADS = 4  # gthread: keep-alive connections, 8 concurrent requests over 2 workers
# As `registry serve` runs it (registry/server.py): a listening socket per worker.
GUNICORN = [
    *("--workers", str(WORKERS), "--worker-class", "gthread", "--threads", str(THREADS)),
    "--reuse-port",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_ready(port: int, path: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} not ready after {seconds} s")


@contextmanager
def serve(
    command: list[str], port: int, ready: str, env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            wait_ready(port, ready, process)
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def gunicorn(app: str, port: int, chdir: Path) -> list[str]:
    bind = f"127.0.0.1:{port}"
    return [str(BIN / "gunicorn"), "--chdir", str(chdir), "--bind", bind, *GUNICORN, app]


def datasette(database: Path, metadata: Path, port: int) -> list[str]:
    return [
        str(BIN / "datasette"),
        "serve",
        str(database),
        "--metadata",
        str(metadata),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "60000",
    ]


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(child) for child in text)
    return found


def peak_memory_mb(pids: list[int]) -> dict[int, float]:
    """VmHWM (the peak resident set) of each process, in MB."""
    peaks = {}
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks[pid] = int(line.split()[1]) / 1024
    return peaks
