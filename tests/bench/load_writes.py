"""Load without loss: mixed reads and If-Match writes from many clients, then an audit.

    python tests/bench/load_writes.py [--seconds 60] [--clients 32] [--out DIR]

A fresh PostgreSQL database seeded with NRW and Bremen (`registry seed --land 04 --land 05`),
the registry under gunicorn (`registry serve`, 2 workers × 4 threads), and N client threads
on loopback for the given time. A third of them write: read an organisation's ETag, PATCH
its population with If-Match (a concurrent writer makes it 412: expected), or record and
delete an adoption of their own; the rest read gaps, scorecards, lists and records (with
If-None-Match half the time). Afterwards:
  - no answer other than 2xx, 304 and the expected 412;
  - every successful PATCH is in the audit trail, and every organisation's final population
    is the one of its last successful PATCH (no lost update);
  - replaying the change feed gives every written record as GET shows it;
  - the materialised figures equal a full recount.
Prints the figures and writes DIR/load_writes.json; exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent


class Http:
    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token

    def call(self, method: str, path: str, body: Any = None, **headers: str):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in headers.items():
            request.add_header(name.replace("_", "-"), value)
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                raw = answer.read()
                return answer.status, answer.headers, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, error.headers, json.loads(raw) if raw else None


def cli(url: str, *args: str) -> str:
    env = {**os.environ, "REGISTRY_DATABASE_URL": url}
    done = subprocess.run(
        [str(BIN / "registry"), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=f"registry_load_{os.getpid()}")
    parser.add_argument("--port", type=int, default=5391)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out")
    args = parser.parse_args()

    import psycopg

    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{args.database}"')
    url = f"{args.postgres}/{args.database}".replace("postgresql://", "postgresql+psycopg://", 1)
    if args.port == 0:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    server = None
    try:
        cli(url, "db", "upgrade")
        cli(url, "seed", "--land", "04", "--land", "05")
        token = cli(url, "tokens", "create", "--role", "admin", "--name", "load").splitlines()[1]
        env = {**os.environ, "REGISTRY_DATABASE_URL": url}
        server = subprocess.Popen(
            [str(BIN / "registry"), "serve", "--port", str(args.port), "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        http = Http(f"http://127.0.0.1:{args.port}", token)
        for _ in range(120):
            try:
                if http.call("GET", "/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        result = drive(http, args.seconds, args.clients)
        result.update(audit(http, url, result))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "load_writes.json").write_text(json.dumps(result, indent=2, default=str))
    print(json.dumps({k: v for k, v in result.items() if k != "last_patch"}, indent=2))
    return 0 if result["ok"] else 1


def drive(http: Http, seconds: float, clients: int) -> dict[str, Any]:
    kreisfreie = http.call(
        "GET", "/api/v1/organisations?kind=kreisfreie_stadt&land=05&page_size=50"
    )
    targets = [o["key"] for o in kreisfreie[2]["items"]][:12]
    gemeinden = http.call("GET", "/api/v1/organisations?kind=gemeinde&land=05&page_size=200")
    taken = http.call("GET", "/api/v1/adoptions?solution=ewa&page_size=500")[2]["items"]
    own = [
        o["key"]
        for o in gemeinden[2]["items"]
        if o["key"] not in {a["organisation"] for a in taken}
    ]
    statuses: Counter[str] = Counter()
    patched: list[tuple[str, int, int]] = []  # (org, population, version after)
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    requests = Counter[str]()

    def note(kind: str, status: int) -> None:
        with lock:
            statuses[f"{kind} {status}"] += 1
            requests[kind] += 1

    def writer(n: int) -> None:
        rng = random.Random(n)
        mine = own[n % len(own)]
        while time.monotonic() < stop:
            if rng.random() < 0.7:
                org = rng.choice(targets)
                status, headers, _ = http.call("GET", f"/api/v1/organisations/{org}")
                value = rng.randrange(100_000, 2_000_000)
                status, headers, body = http.call(
                    "PATCH",
                    f"/api/v1/organisations/{org}",
                    {"population": value},
                    If_Match=headers["ETag"],
                )
                note("patch", status)
                if status == 200:
                    with lock:
                        patched.append((org, value, body["version"]))
            else:
                record = {
                    "organisation": mine,
                    "solution": "ewa",
                    "status": "live",
                    "provenance": "self_declared",
                }
                status, _, body = http.call("POST", "/api/v1/adoptions", record)
                note("adopt", status)
                if status == 201:
                    status, _, _ = http.call(
                        "DELETE", f"/api/v1/adoptions/{body['id']}", If_Match="*"
                    )
                    note("unadopt", status)

    def reader(n: int) -> None:
        rng = random.Random(1000 + n)
        tags: dict[str, str] = {}
        while time.monotonic() < stop:
            org = rng.choice(targets)
            path = rng.choice(
                [
                    f"/api/v1/organisations/{org}/gaps?top=1",
                    f"/api/v1/organisations/{org}/scorecard",
                    f"/api/v1/organisations/{org}",
                    "/api/v1/solutions?page_size=20",
                ]
            )
            extra = {"If_None_Match": tags[path]} if path in tags and rng.random() < 0.5 else {}
            status, headers, _ = http.call("GET", path, **extra)
            note("read", status)
            if status == 200 and headers.get("ETag"):
                tags[path] = headers["ETag"]

    threads = [
        threading.Thread(target=writer if n % 3 == 0 else reader, args=(n,)) for n in range(clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    expected = {"patch 200", "patch 412", "adopt 201", "unadopt 204", "read 200", "read 304"}
    unexpected = {k: v for k, v in statuses.items() if k not in expected}
    last: dict[str, tuple[int, int]] = {}
    for org, value, version in patched:
        if org not in last or version > last[org][1]:
            last[org] = (value, version)
    return {
        "seconds": round(elapsed, 1),
        "clients": clients,
        "requests": sum(requests.values()),
        "requests_per_second": round(sum(requests.values()) / elapsed, 1),
        "statuses": dict(statuses),
        "unexpected": unexpected,
        "successful_patches": len(patched),
        "last_patch": last,
    }


def audit(http: Http, url: str, result: dict[str, Any]) -> dict[str, Any]:
    from sqlalchemy import create_engine, text

    from registry.db import make_sessionmaker
    from registry.logic import aggregates

    lost = []
    for org, (value, version) in result["last_patch"].items():
        _, _, body = http.call("GET", f"/api/v1/organisations/{org}")
        if (body["population"], body["version"]) != (value, version):
            lost.append(org)
    engine = create_engine(url)
    with engine.connect() as connection:
        logged = connection.execute(
            text(
                "SELECT count(*) FROM audit_event WHERE entity_type = 'organisation' "
                "AND action = 'update' AND actor = 'load'"
            )
        ).scalar()
        # the feed, replayed: each written record's last event shows it as GET does
        last_events = connection.execute(
            text(
                "SELECT DISTINCT ON (entity_key) entity_key, after FROM audit_event "
                "WHERE entity_type = 'organisation' AND actor = 'load' ORDER BY entity_key, id DESC"
            )
        ).all()
    replay_differs = []
    for key, after in last_events:
        _, _, body = http.call("GET", f"/api/v1/organisations/{key}")
        if {k: body[k] for k in after} != after:
            replay_differs.append(key)
    with make_sessionmaker(engine)() as session:
        exact = aggregates.equals_full_recount(session)
    engine.dispose()
    checks = {
        "no_unexpected_status": not result["unexpected"],
        "every_patch_audited": logged == result["successful_patches"],
        "no_lost_update": not lost,
        "feed_replays_to_current_state": not replay_differs,
        "figures_exact": exact,
    }
    return {
        "audited_patches": logged,
        "lost": lost,
        "replay_differs": replay_differs,
        "checks": checks,
        "ok": all(checks.values()),
    }


if __name__ == "__main__":
    sys.exit(main())
