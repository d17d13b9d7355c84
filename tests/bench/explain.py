"""EXPLAIN ANALYZE of the statements behind an answer, on the benchmark's PostgreSQL data.

    python tests/bench/explain.py [--database registry_bench_germany_1] [--full] PATH ...

Captures the SQL the registry runs for GET PATH (as the floor does), then runs each
statement under EXPLAIN (ANALYZE, BUFFERS) and prints its execution time, the statement
and, with --full (or for statements over --threshold ms), the plan. Default paths: the
gaps, candidates, rankings and coverage answers of the benchmark's first organisation.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import floor  # noqa: E402
import psycopg  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="registry_bench_germany_1")
    parser.add_argument("--full", action="store_true", help="every plan, not only slow ones")
    parser.add_argument("--threshold", type=float, default=2.0, help="ms; plans above it")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    url = f"{args.postgres}/{args.database}"
    os.environ["REGISTRY_DATABASE_URL"] = url.replace("postgresql://", "postgresql+psycopg://")
    os.environ["REGISTRY_ANSWER_CACHE_MB"] = "0"
    from registry.app import create_app

    app = create_app()
    paths = args.paths or default_paths(url)
    with psycopg.connect(url) as connection:
        for path in paths:
            app.test_client().get(path)  # warm, as a running server is
            statements = floor.capture(app, path)
            total = 0.0
            print(f"\n## GET {path}: {len(statements)} statements\n")
            for statement, parameters in statements:
                plan = [
                    row[0]
                    for row in connection.execute(
                        "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters or None
                    )
                ]
                ms = float(plan[-1].split()[2])
                total += ms
                print(f"- {ms:8.3f} ms  {' '.join(statement.split())[:140]}")
                if args.full or ms > args.threshold:
                    print("\n    " + "\n    ".join(plan) + "\n")
            print(f"\n  execution time in all: {total:.2f} ms")
    return 0


def default_paths(url: str) -> list[str]:
    with psycopg.connect(url) as connection:
        # a Gemeinde carrying the municipal level itself (not one in an Amt)
        ars, land = connection.execute(
            "SELECT o.ars, o.land_code FROM organisation o "
            "JOIN organisation p ON p.id = o.parent_id "
            "WHERE o.kind = 'gemeinde' AND p.kind <> 'gemeindeverband' "
            "ORDER BY md5(o.ars) LIMIT 1"
        ).fetchone()
        (ozg,) = connection.execute(
            "SELECT s.ozg_id FROM offering_count oc JOIN service s ON s.id = oc.service_id "
            "GROUP BY s.ozg_id ORDER BY sum(oc.organisations) DESC, s.ozg_id LIMIT 1"
        ).fetchone()
    org = f"/api/v1/organisations/{ars}"
    return [
        f"{org}/gaps",
        f"{org}/candidates",
        f"/api/v1/rankings?region={land}0000000000",
        f"/api/v1/services/{ozg}/coverage",
    ]


if __name__ == "__main__":
    raise SystemExit(main())
