"""HTTP latency benchmark driver, run as a process of its own beside the server under test.

Why it exists: CI machines have no third-party load tool (wrk, hey, locust), and a client
that opens a fresh connection per request mostly measures connect(). This one is standard
library only: asyncio streams, one persistent HTTP/1.1 keep-alive connection per worker, so
the figures are the server's. Connecting is never inside a measured latency; a server that
answers ``Connection: close`` (gunicorn's sync workers) is reconnected to before the next
request's clock starts, so there only ``rps`` shows the cost of connecting.

Usage::

    python tests/bench/loadgen.py --host 127.0.0.1 --port 8000 --concurrency 8 \\
        --requests 500 --warmup 20 [--header 'Name: value' ...] [--etags FILE] PATH [PATH ...]

`--etags`: a JSON object of path -> ETag, sent as each path's If-None-Match (revalidations:
a tag names one question's answer, so each path needs its own).

prints one JSON object and exits 0 even when requests failed: the caller judges.
"""

import argparse
import asyncio
import contextlib
import json
import math
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIRST_ERROR_BODY_BYTES = 300
STREAM_LIMIT = 1 << 20  # the longest status or header line we accept


class ProtocolError(Exception):
    """The server's response is not HTTP/1.x as we read it."""


class CapReached(Exception):
    """The duration cap ran out while a request was in flight."""


class IdleClosed(ConnectionError):
    """The server closed the connection before sending any byte of the response."""


@dataclass
class _Response:
    status: int
    body_head: bytes
    keep_alive: bool


@dataclass
class _Phase:
    """Hands out request numbers to the workers; one per phase (warm-up, measured)."""

    total: int
    deadline: float
    measured: bool
    issued: int = 0
    latencies: list[float] = field(default_factory=list)
    status_counts: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    exceptions: int = 0
    first_error: dict[str, Any] | None = None
    capped: bool = False

    def next_index(self) -> int | None:
        # Single-threaded event loop: no lock needed between check and increment.
        if self.issued >= self.total:
            return None
        if time.perf_counter() >= self.deadline:
            self.capped = True
            return None
        self.issued += 1
        return self.issued - 1

    def record_error(self, error: dict[str, Any]) -> None:
        self.errors += 1
        if self.first_error is None:
            self.first_error = error


class _Connection:
    """One worker's persistent connection, opened lazily and reopened after a close."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.used = False  # has this connection already carried a full exchange?

    async def ensure_open(self) -> None:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(
                self.host, self.port, limit=STREAM_LIMIT
            )
            self.used = False

    async def close(self) -> None:
        writer, self.reader, self.writer = self.writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):  # the peer may have reset it: gone either way
                await writer.wait_closed()

    async def exchange(self, request: bytes) -> _Response:
        assert self.reader is not None and self.writer is not None
        self.writer.write(request)
        await self.writer.drain()
        response = await _read_response(self.reader)
        self.used = True
        return response


async def _read_line(reader: asyncio.StreamReader) -> bytes:
    line = await reader.readline()
    if not line.endswith(b"\n"):
        raise asyncio.IncompleteReadError(line, None)
    return line.rstrip(b"\r\n")


async def _read_response(reader: asyncio.StreamReader) -> _Response:
    """Read one whole response, body included, so the connection can carry the next one."""
    line = await reader.readline()
    if not line:
        raise IdleClosed("connection closed before the response started")
    while True:
        if not line.endswith(b"\n"):
            raise asyncio.IncompleteReadError(line, None)
        status_line = line.rstrip(b"\r\n")
        parts = status_line.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            raise ProtocolError(f"bad status line: {status_line[:100]!r}")
        version, status = parts[0], int(parts[1])
        headers: dict[str, str] = {}
        while header := await _read_line(reader):
            name, sep, value = header.decode("latin-1").partition(":")
            if not sep:
                raise ProtocolError(f"bad header line: {header[:100]!r}")
            name = name.strip().lower()
            value = value.strip()
            # Repeated headers (Connection, Transfer-Encoding) are comma-joined lists.
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        if not 100 <= status < 200:
            break
        line = await reader.readline()  # a 1xx is interim; the real response follows it

    tokens = {t.strip().lower() for t in headers.get("connection", "").split(",")}
    # HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless told not to.
    keep_alive = "keep-alive" in tokens if version == b"HTTP/1.0" else "close" not in tokens

    head = bytearray()
    if status in (204, 304):
        pass  # no body by definition
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        while True:
            size_line = await _read_line(reader)
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                while await _read_line(reader):
                    pass  # trailers, up to the empty line
                break
            chunk = await reader.readexactly(size)
            if len(head) < FIRST_ERROR_BODY_BYTES:
                head += chunk[: FIRST_ERROR_BODY_BYTES - len(head)]
            if await reader.readexactly(2) != b"\r\n":
                raise ProtocolError("chunk not followed by CRLF")
    elif "content-length" in headers:
        remaining = int(headers["content-length"])
        while remaining:
            chunk = await reader.readexactly(min(remaining, 1 << 16))
            remaining -= len(chunk)
            if len(head) < FIRST_ERROR_BODY_BYTES:
                head += chunk[: FIRST_ERROR_BODY_BYTES - len(head)]
    else:
        # Neither length nor chunking: the body runs to EOF, so the connection ends here.
        while chunk := await reader.read(1 << 16):
            if len(head) < FIRST_ERROR_BODY_BYTES:
                head += chunk[: FIRST_ERROR_BODY_BYTES - len(head)]
        keep_alive = False
    return _Response(status, bytes(head), keep_alive)


def _build_requests(
    host: str,
    port: int,
    paths: list[str],
    headers: dict[str, str],
    etags: dict[str, str] | None = None,
) -> list[bytes]:
    host_value = f"[{host}]" if ":" in host else host
    merged = {"Host": f"{host_value}:{port}", "Accept": "application/json"}
    lowered = {name.lower(): name for name in merged}
    for name, value in headers.items():
        # Extra headers replace a default of the same name, whatever its case.
        merged.pop(lowered.get(name.lower(), name), None)
        merged[name] = value
    head = "".join(f"{name}: {value}\r\n" for name, value in merged.items())
    tags = etags or {}
    built = [
        f"GET {path} HTTP/1.1\r\n{head}"
        + (f"If-None-Match: {tags[path]}\r\n" if path in tags else "")
        + "\r\n"
        for path in paths
    ]
    return [request.encode("latin-1") for request in built]


async def _one_request(conn: _Connection, request: bytes) -> tuple[_Response, float]:
    """Send one request and read its response; return it with the latency in seconds."""
    await conn.ensure_open()
    reused = conn.used
    start = time.perf_counter()
    try:
        response = await conn.exchange(request)
    except (IdleClosed, ConnectionResetError, BrokenPipeError):
        # A kept-alive connection the server closed while idle fails before any byte of the
        # answer arrives; like any HTTP client, retry (the GET) once on a fresh connection.
        if not reused:
            raise
        await conn.close()
        await conn.ensure_open()
        start = time.perf_counter()
        response = await conn.exchange(request)
    latency = time.perf_counter() - start
    if not response.keep_alive:
        await conn.close()
    return response, latency


async def _worker(
    phase: _Phase, conn: _Connection, requests: list[bytes], paths: list[str]
) -> None:
    while (index := phase.next_index()) is not None:
        slot = index % len(paths)
        remaining = phase.deadline - time.perf_counter()
        try:
            try:
                response, latency = await asyncio.wait_for(
                    _one_request(conn, requests[slot]), timeout=max(remaining, 0.0)
                )
            except TimeoutError as exc:
                phase.capped = True
                raise CapReached("duration cap reached with the request in flight") from exc
        except (OSError, EOFError, ValueError, ProtocolError, CapReached) as exc:
            # EOFError covers IncompleteReadError; ValueError a bad number or an overlong line.
            await conn.close()
            phase.exceptions += 1
            phase.record_error(
                {"status": None, "path": paths[slot], "exception": f"{type(exc).__name__}: {exc}"}
            )
            continue
        if not phase.measured:
            continue
        phase.latencies.append(latency)
        phase.status_counts[response.status] = phase.status_counts.get(response.status, 0) + 1
        if not 200 <= response.status < 300:
            phase.record_error(
                {
                    "status": response.status,
                    "path": paths[slot],
                    "body": response.body_head.decode("utf-8", errors="replace"),
                }
            )


def _nearest_rank(sorted_values: list[float], percent: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `percent`% of values <= it."""
    rank = max(1, math.ceil(percent / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def _summary(phase: _Phase, concurrency: int, requested: int, duration: float) -> dict[str, Any]:
    done = len(phase.latencies) + phase.exceptions
    result: dict[str, Any] = {
        "requests": done,
        "requested": requested,
        "errors": phase.errors,
        "exceptions": phase.exceptions,
        "status_counts": dict(sorted(phase.status_counts.items())),
        "median_ms": None,
        "p95_ms": None,
        "p99_ms": None,
        "mean_ms": None,
        "min_ms": None,
        "max_ms": None,
        "rps": round(done / duration, 1) if duration > 0 else None,
        "duration_s": round(duration, 3),
        "concurrency": concurrency,
        "capped": phase.capped,
    }
    if phase.latencies:
        ordered = sorted(seconds * 1000 for seconds in phase.latencies)
        result.update(
            median_ms=round(_nearest_rank(ordered, 50), 3),
            p95_ms=round(_nearest_rank(ordered, 95), 3),
            p99_ms=round(_nearest_rank(ordered, 99), 3),
            mean_ms=round(statistics.fmean(ordered), 3),
            min_ms=round(ordered[0], 3),
            max_ms=round(ordered[-1], 3),
        )
    if phase.first_error is not None:
        result["first_error"] = phase.first_error
    return result


async def _run(
    host: str,
    port: int,
    paths: list[str],
    *,
    concurrency: int,
    requests: int,
    warmup: int,
    headers: dict[str, str],
    duration_cap: float,
    etags: dict[str, str] | None = None,
) -> dict[str, Any]:
    deadline = time.perf_counter() + duration_cap
    wire = _build_requests(host, port, paths, headers, etags)
    conns = [_Connection(host, port) for _ in range(concurrency)]
    try:
        warm = _Phase(total=warmup, deadline=deadline, measured=False)
        await asyncio.gather(*(_worker(warm, conn, wire, paths) for conn in conns))
        measured = _Phase(total=requests, deadline=deadline, measured=True)
        start = time.perf_counter()
        await asyncio.gather(*(_worker(measured, conn, wire, paths) for conn in conns))
        duration = time.perf_counter() - start
    finally:
        await asyncio.gather(*(conn.close() for conn in conns))
    return _summary(measured, concurrency, requests, duration)


def run(
    host: str,
    port: int,
    paths: list[str],
    *,
    concurrency: int,
    requests: int,
    warmup: int,
    headers: dict[str, str] | None = None,
    duration_cap: float = 120.0,
    etags: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Send `warmup` unmeasured then `requests` measured GETs over `concurrency` connections.

    Paths are used round-robin. Latency is send plus full response read; the percentiles are
    nearest-rank over the responses of any status (exceptions have no latency), so the median
    of an even count is the lower middle value. `rps` is the measured requests (responses and
    exceptions) over the measured phase's wall time. `errors` counts non-2xx responses plus
    exceptions. No new request starts after `duration_cap` seconds from the start (warm-up
    included), and one in flight then is abandoned as an error; `capped` says this happened.
    Uses asyncio.run, so it must not be called from a running event loop.
    """
    if concurrency < 1 or requests < 0 or warmup < 0 or duration_cap <= 0:
        raise ValueError("concurrency must be >= 1, requests and warmup >= 0, duration_cap > 0")
    if not paths or not all(path.startswith("/") for path in paths):
        raise ValueError("give at least one path, each starting with '/'")
    return asyncio.run(
        _run(
            host,
            port,
            list(paths),
            concurrency=concurrency,
            requests=requests,
            warmup=warmup,
            headers=dict(headers or {}),
            duration_cap=duration_cap,
            etags=etags,
        )
    )


def _header(text: str) -> tuple[str, str]:
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected 'Name: value', got {text!r}")
    return name.strip(), value.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Measure HTTP GET latency on loopback; print one JSON object."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--header", type=_header, action="append", default=[])
    parser.add_argument("--duration-cap", type=float, default=120.0, metavar="SECONDS")
    parser.add_argument("--etags", type=Path, help="JSON object: path -> its If-None-Match")
    parser.add_argument("paths", nargs="+", metavar="PATH")
    args = parser.parse_args(argv)
    try:
        result = run(
            args.host,
            args.port,
            args.paths,
            concurrency=args.concurrency,
            requests=args.requests,
            warmup=args.warmup,
            headers=dict(args.header),
            duration_cap=args.duration_cap,
            etags=json.loads(args.etags.read_text()) if args.etags else None,
        )
    except ValueError as exc:
        parser.error(str(exc))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
