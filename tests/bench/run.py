"""Benchmark the registry against its floor and a peer, on Germany-sized data.

    python tests/bench/run.py [--quick] [--out DIR] [--fresh]

Builds (or reuses) a PostgreSQL database with `registry seed --synthetic germany` (quick:
the small profile) and an SQLite copy for Datasette, starts the registry under gunicorn,
a bare Flask route under the same gunicorn settings and Datasette, and drives each from a
separate load-generator process on loopback at concurrency 1 and 8. Writes DIR/report.json
and DIR/report.md (default DIR: bench-out/). See README "Performance".
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))  # siblings, when run as a script

import floor  # noqa: E402
import interleaved  # noqa: E402
import peer  # noqa: E402
import psycopg  # noqa: E402
import report  # noqa: E402
import servers  # noqa: E402

# `sample`: organisations per kind the analysis requests are drawn from (every kind, all
# Länder), so that no cache or buffer flatters the figures; c1 covers each of them once.
MODES = {
    "quick": {
        "profile": "quick",
        "c1": 60,
        "c8": 120,
        "warmup": 8,
        "land": "12",
        "sample": 12,
        "rounds": 2,
    },
    "germany": {
        "profile": "germany",
        "c1": 260,
        "c8": 520,
        "warmup": 16,
        "land": "09",
        "sample": 50,
        "rounds": 7,  # interleaved side by side (interleaved.py); odd: a median round
    },
}
KINDS = ("gemeinde", "gemeindeverband", "kreisfreie_stadt", "kreis", "land")
# Answers the answer cache keeps (registry.api.answer_cache): measured cold and warm.
CACHED = ("gaps", "gaps_bare", "candidates", "cost", "coverage")
SCALING = ("gaps", "gaps_bare", "candidates", "cost", "coverage")
PEER_DB = "registry"  # Datasette names a database after its file


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small data, few requests (CI)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--database", help="PostgreSQL database [registry_bench_PROFILE_SEED]")
    parser.add_argument("--cache", type=Path, default=ROOT / "bench-out" / "cache")
    parser.add_argument("--fresh", action="store_true", help="rebuild the data even if cached")
    args = parser.parse_args()
    mode = MODES["quick" if args.quick else "germany"]
    name = args.database or f"registry_bench_{mode['profile']}_{args.seed}"
    pg_url = f"{args.postgres}/{name}"
    sa_url = pg_url.replace("postgresql://", "postgresql+psycopg://", 1)
    args.out.mkdir(parents=True, exist_ok=True)
    args.cache.mkdir(parents=True, exist_ok=True)

    print(f"data: PostgreSQL database {name}", flush=True)
    loaded = prepare_postgres(args.postgres, name, sa_url, mode["profile"], args.seed, args.fresh)
    sqlite_file = args.cache / f"{mode['profile']}-{args.seed}" / f"{PEER_DB}.db"
    sqlite_file.parent.mkdir(parents=True, exist_ok=True)
    print(f"data: SQLite copy {sqlite_file}", flush=True)
    prepare_sqlite(sqlite_file, mode["profile"], args.seed, args.fresh)

    os.environ["REGISTRY_DATABASE_URL"] = sa_url
    os.environ["REGISTRY_ANSWER_CACHE_MB"] = "0"  # the floor captures what a miss runs
    from registry.app import create_app

    app = create_app()
    endpoints, questions = pick_targets(app, pg_url, mode["land"], mode["sample"])
    print("floor: capturing and replaying each endpoint's SQL", flush=True)
    # Over the same paths the load generator asks (up to 40 of them, evenly spread): one
    # organisation's SQL is no floor for another's answer.
    captured = {
        endpoint: [floor.capture(app, path) for path in paths[:: max(1, len(paths) // 40)]]
        for endpoint, paths in endpoints.items()
    }
    with floor.connect(pg_url) as replaying:  # one for all, in the load generator's order
        sql = {
            endpoint: floor.replay(replaying, statements, mode["c1"])
            for endpoint, statements in captured.items()
        }
    result: dict[str, Any] = {
        "mode": "quick" if args.quick else "germany",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "postgresql": postgres_version(pg_url),
        "gunicorn": " ".join(servers.GUNICORN),
        "dataset": loaded,
        "requests": {"c1": mode["c1"], "c8": mode["c8"], "warmup": mode["warmup"]},
        "sample": {name: len(set(paths)) for name, paths in endpoints.items()},
        "endpoints": {},
        "warm": {},
        "peer": {},
    }
    logs = args.out / "logs"
    logs.mkdir(exist_ok=True)
    reg_port, bare_port, peer_port = servers.free_port(), servers.free_port(), servers.free_port()
    cold_env = {"REGISTRY_DATABASE_URL": sa_url, "REGISTRY_ANSWER_CACHE_MB": "0"}
    with (
        servers.serve(
            servers.gunicorn("registry.wsgi:app", reg_port, ROOT),
            reg_port,
            "/health",
            cold_env,
            logs / "registry.log",
        ) as registry_server,
        servers.serve(
            servers.gunicorn("bare_app:app", bare_port, HERE),
            bare_port,
            "/bare",
            {},
            logs / "bare.log",
        ),
    ):
        result["bare"] = {c: load(bare_port, ["/bare"], c, mode) for c in ("c1", "c8")}
        for endpoint, paths in endpoints.items():
            print(f"load: {endpoint}", flush=True)
            row = {c: load(reg_port, paths, c, mode) for c in ("c1", "c8")}
            row["sql"] = sql[endpoint]
            row["paths"] = len(set(paths))
            row["floor_ratio"] = row["c1"]["median_ms"] / (
                result["bare"]["c1"]["median_ms"] + row["sql"]["median_ms"]
            )
            result["endpoints"][endpoint] = row
        print("load: gaps revalidated (If-None-Match)", flush=True)
        # A tag names one question's answer: each path is revalidated with its own.
        etags = args.out / "etags.json"
        etags.write_text(json.dumps({p: etag_of(reg_port, p) for p in endpoints["gaps"]}))
        result["revalidate"] = {
            c: load(reg_port, endpoints["gaps"], c, mode, etags=etags) for c in ("c1", "c8")
        }
        result["memory_mb"] = servers.peak_memory_mb(servers.children(registry_server.pid))
    warm_port = servers.free_port()
    with servers.serve(
        servers.gunicorn("registry.wsgi:app", warm_port, ROOT),
        warm_port,
        "/health",
        {"REGISTRY_DATABASE_URL": sa_url, "REGISTRY_ANSWER_CACHE_MB": "32"},
        logs / "registry-warm.log",
    ):
        for endpoint in CACHED:
            paths = endpoints[endpoint]
            print(f"load: {endpoint}, answer cache warm", flush=True)
            # Each gunicorn worker has its own cache, and a keep-alive connection stays with
            # the worker that accepted it: a separate priming run's connections may all
            # have landed on the other worker (runs H and L measured misses as "warm").
            # So every measurement primes on its own connections first: one pass over the
            # paths at c=1, four at c=8 (its eight connections spread over both workers).
            result["warm"][endpoint] = {
                c: load(warm_port, paths, c, {**mode, "warmup": passes * len(paths)})
                for c, passes in (("c1", 1), ("c8", 4))
            }
    metadata = args.cache / "datasette-metadata.json"
    peer.write_metadata(metadata, PEER_DB)
    with servers.serve(
        servers.datasette(sqlite_file, metadata, peer_port),
        peer_port,
        "/-/versions.json",
        {},
        logs / "datasette.log",
    ):
        for question, (registry_paths, peer_paths) in questions.items():
            print(f"peer: {question}", flush=True)
            agree(app, registry_paths[0], peer_port, peer_paths[0], question)
            # Datasette needs seconds per coverage answer on the full data: two minutes per
            # leg give enough requests for a median without holding the run for half an hour.
            theirs = {c: load(peer_port, peer_paths, c, mode, cap=120) for c in ("c1", "c8")}
            # The gap question both ways: Datasette's canned query lists the gaps only
            # (like top=0); the default answer also prices and ranks their candidates.
            ours_as = {"gaps": ("gaps_bare", "gaps"), "coverage": ("coverage",)}[question]
            for endpoint in ours_as:
                for cache, rows in (("cold", result["endpoints"]), ("warm", result["warm"])):
                    ours = rows[endpoint]
                    result["peer"][f"{question}: {endpoint}, {cache}"] = {
                        "registry_c1_ms": ours["c1"]["median_ms"],
                        "datasette_c1_ms": theirs["c1"]["median_ms"],
                        "latency_ratio": ours["c1"]["median_ms"] / theirs["c1"]["median_ms"],
                        "registry_c8_rps": ours["c8"]["rps"],
                        "datasette_c8_rps": theirs["c8"]["rps"],
                        "throughput_ratio": ours["c8"]["rps"] / theirs["c8"]["rps"],
                    }
            result["peer_raw"] = {**result.get("peer_raw", {}), question: theirs}
    print("side by side: interleaved rounds", flush=True)
    result["interleaved"] = side_by_side(
        args.out,
        sa_url,
        pg_url,
        sqlite_file,
        metadata,
        mode,
        {
            "gaps": endpoints["gaps"],
            "gaps_bare": endpoints["gaps_bare"],
            "datasette": questions["gaps"][1],
        },
        captured,
        etags,
    )
    report.write(args.out, result)
    print((args.out / "report.md").read_text())
    rows = {
        **result["endpoints"],
        **{f"{name} (warm)": row for name, row in result["warm"].items()},
        "bare": result["bare"],
    }
    errors = [name for name, row in rows.items() if row["c1"]["errors"] or row["c8"]["errors"]]
    if result["interleaved"]["figures"]["errors"]["high"]:
        errors.append("side by side")
    if errors:
        print(f"requests failed: {', '.join(errors)}", file=sys.stderr)
        return 1
    return 0


def side_by_side(
    out: Path,
    sa_url: str,
    pg_url: str,
    sqlite_file: Path,
    metadata: Path,
    mode: dict[str, Any],
    paths: dict[str, list[str]],
    captured: dict[str, list[list[tuple[str, Any]]]],
    etags: Path,
) -> dict[str, Any]:
    """The registry (cold), the bare route and Datasette at once, measured in turns
    (interleaved.py)."""
    logs = out / "logs"
    ports = {"registry": servers.free_port(), "bare": servers.free_port()}
    ports["datasette"] = servers.free_port()
    cold_env = {"REGISTRY_DATABASE_URL": sa_url, "REGISTRY_ANSWER_CACHE_MB": "0"}
    with (
        servers.serve(
            servers.gunicorn("registry.wsgi:app", ports["registry"], ROOT),
            ports["registry"],
            "/health",
            cold_env,
            logs / "registry-side-by-side.log",
        ),
        servers.serve(
            servers.gunicorn("bare_app:app", ports["bare"], HERE),
            ports["bare"],
            "/bare",
            {},
            logs / "bare-side-by-side.log",
        ),
        servers.serve(
            servers.datasette(sqlite_file, metadata, ports["datasette"]),
            ports["datasette"],
            "/-/versions.json",
            {},
            logs / "datasette-side-by-side.log",
        ),
        floor.connect(pg_url) as replaying,
    ):

        def run(port: int, asked: list[str], c: str, etags: Path | None = None) -> Any:
            return load(port, asked, c, mode, cap=120, etags=etags)

        def replay(endpoint: str) -> dict[str, float]:
            return floor.replay(replaying, captured[endpoint], mode["c1"])

        return interleaved.rounds(run, replay, ports, paths, mode["rounds"], etags)


def registry_cli(url: str, *args: str) -> str:
    done = subprocess.run(
        [str(servers.BIN / "registry"), *args],
        env={**os.environ, "REGISTRY_DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"registry {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def seed(url: str, profile: str, seed_number: int) -> dict[str, Any]:
    out = registry_cli(url, "seed", "--synthetic", profile, "--seed", str(seed_number))
    lines = out.strip().splitlines()
    counts = {
        k: int(v.replace(",", ""))
        for k, _, v in (x.partition(": ") for x in lines)
        if v.replace(",", "").isdigit()
    }
    return {"summary": lines[-1], "counts": counts}


def prepare_postgres(
    base: str, name: str, url: str, profile: str, seed_number: int, fresh: bool
) -> dict[str, Any]:
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and fresh:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    registry_cli(url, "db", "upgrade")
    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain) as connection:
        adoptions = connection.execute("SELECT count(*) FROM adoption").fetchone()[0]
    if adoptions:
        # Reused: earlier writes (tests/bench/writes.py recounts whole solutions) leave dead
        # rows that turn index-only scans into heap visits; a fresh load is vacuumed too.
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")
        counts = table_counts(plain)
        return {"reused": True, "counts": counts, "counts_line": counts_line(counts)}
    loaded = seed(url, profile, seed_number)
    return {
        "reused": False,
        **loaded,
        "counts_line": counts_line(loaded["counts"]) + f"; loaded: {loaded['summary']}",
    }


def prepare_sqlite(path: Path, profile: str, seed_number: int, fresh: bool) -> None:
    if fresh:
        path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    registry_cli(url, "db", "upgrade")
    import sqlite3

    with sqlite3.connect(path) as connection:
        if connection.execute("SELECT count(*) FROM adoption").fetchone()[0]:
            return
    seed(url, profile, seed_number)


def table_counts(url: str) -> dict[str, int]:
    tables = ("organisation", "service", "solution", "adoption")
    with psycopg.connect(url) as connection:
        return {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def counts_line(counts: dict[str, int]) -> str:
    keys = ("organisation", "service", "solution", "adoption")
    return ", ".join(f"{counts[k]:,} {k}s" for k in keys if k in counts)


def postgres_version(url: str) -> str:
    with psycopg.connect(url) as connection:
        return str(connection.execute("SHOW server_version").fetchone()[0])


def pick_targets(
    app: Any, url: str, land: str, per_kind: int
) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """Paths per endpoint (used round-robin) and the peer questions.

    The organisations: `per_kind` of every kind (Gemeinde, Gemeindeverband, kreisfreie
    Stadt, Kreis, Land) from all Länder, in a fixed pseudo-random order.
    """
    with psycopg.connect(url) as connection:
        sampled = [
            ars
            for kind in KINDS
            for (ars,) in connection.execute(
                "SELECT ars FROM organisation WHERE kind = %s AND ars IS NOT NULL "
                "ORDER BY md5(ars) LIMIT %s",
                (kind, per_kind),
            )
        ]
        services = [
            ozg
            for (ozg,) in connection.execute(
                "SELECT s.ozg_id FROM offering_count oc JOIN service s ON s.id = oc.service_id "
                "GROUP BY s.ozg_id ORDER BY sum(oc.organisations) DESC, s.ozg_id LIMIT 40"
            )
        ]
    client = app.test_client()
    candidates, costs = [], []
    for ars in sampled:
        gaps = client.get(f"/api/v1/organisations/{ars}/gaps").get_json()["gaps"]
        with_candidates = [g for g in gaps if g["top_candidates"]]
        if with_candidates:
            first = with_candidates[0]
            candidates.append((ars, first["service"]["ozg_id"]))
            costs.append((ars, first["top_candidates"][0]["solution"]))
    org = "/api/v1/organisations/"
    endpoints = {
        "gaps": [f"{org}{ars}/gaps" for ars in sampled],
        "gaps_bare": [f"{org}{ars}/gaps?top=0" for ars in sampled],
        "candidates": [f"{org}{ars}/candidates?service={svc}" for ars, svc in candidates],
        "cost": [f"/api/v1/solutions/{slug}/cost?for={ars}" for ars, slug in costs],
        "coverage": [f"/api/v1/services/{ozg}/coverage" for ozg in services],
        "scorecard": [f"{org}{ars}/scorecard" for ars in sampled],
        "rankings": [f"/api/v1/rankings?region={land}0000000000"],
        "organisation": [f"{org}{ars}" for ars in sampled],
        "list": [f"/api/v1/organisations?kind=gemeinde&land={land}&page={n}" for n in (1, 2, 3, 4)],
        # the municipality page (registry/web): its gaps (five years) and scorecard, in HTML
        "page": [f"/kommune/{ars}" for ars in sampled],
    }
    questions = {
        "gaps": (endpoints["gaps"], [peer.gaps_path(PEER_DB, ars) for ars in sampled]),
        "coverage": (endpoints["coverage"], [peer.coverage_path(PEER_DB, s) for s in services]),
    }
    return endpoints, questions


def etag_of(port: int, path: str) -> str:
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as answer:
        return str(answer.headers["ETag"])


def agree(app: Any, ours: str, port: int, theirs: str, question: str) -> None:
    """The peer must answer the same question with the same figures, or timing it is moot."""
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}{theirs}") as answer:
        rows = json.load(answer)
    mine = app.test_client().get(ours).get_json()
    if question == "gaps":
        same = [r["ozg_id"] for r in rows] == [g["service"]["ozg_id"] for g in mine["gaps"]]
    else:
        same = [(r["land_code"], r["due"], r["offering"]) for r in rows] == [
            (land["land_code"], land["due"], land["offering"]) for land in mine["per_land"]
        ]
    if not same:
        raise SystemExit(f"Datasette's {question} answer differs from the registry's: {theirs}")


def load(
    port: int,
    paths: list[str],
    concurrency: str,
    mode: dict[str, Any],
    cap: int = 600,
    headers: dict[str, str] | None = None,
    etags: Path | None = None,
) -> dict[str, Any]:
    """One load-generator run; a slow server is cut off after `cap` seconds (see `capped`)."""
    command = [
        sys.executable,
        str(HERE / "loadgen.py"),
        "--port",
        str(port),
        "--concurrency",
        "1" if concurrency == "c1" else "8",
        "--requests",
        str(mode[concurrency]),
        "--warmup",
        str(mode["warmup"]),
        "--duration-cap",
        str(cap),
        *(f"--header={name}: {value}" for name, value in (headers or {}).items()),
        *([f"--etags={etags}"] if etags else []),
        *paths,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


if __name__ == "__main__":
    raise SystemExit(main())
