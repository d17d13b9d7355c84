"""Latency and statements as the adoptions grow: 1x, 3x and 10x, gaps and coverage.

    python tests/bench/growth.py [--base quick] [--scales 1,3,10] [--out DIR]

Builds one PostgreSQL database per scale from the synthetic generator: the base profile's
organisations, with its solutions and adoptions multiplied by the scale (the same
organisations reuse ten times as many solutions: a Land's worth of organisations cannot
hold ten times Germany's adoptions of 360 solutions). Then asks each database the same
gap and coverage questions in-process (Flask test client, the answer cache off, c=1) and
prints the median latency and the statements per answer, so that the curve is visible.
Databases are kept between runs (named registry_growth_BASE_xN); --fresh rebuilds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import Engine

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
REQUESTS = 60  # per question and scale, over the sampled organisations


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="quick")
    parser.add_argument("--scales", default="1,3,10")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    os.environ["REGISTRY_ANSWER_CACHE_MB"] = "0"
    rows = []
    for scale in (int(s) for s in args.scales.split(",")):
        name = f"registry_growth_{args.base}_x{scale}"
        url = f"{args.postgres}/{name}"
        adoptions = prepare(args.postgres, name, args.base, scale, args.fresh)
        rows.append({"scale": scale, "adoptions": adoptions, **measure(url)})
        print(json.dumps(rows[-1]), flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "growth.json").write_text(json.dumps(rows, indent=2) + "\n")
    print(table(rows))
    return 0


def prepare(base: str, name: str, profile_name: str, scale: int, fresh: bool) -> int:
    from registry import migrate
    from registry.db import make_engine, make_sessionmaker
    from registry.synthetic.build import build
    from registry.synthetic.profiles import PROFILES

    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and fresh:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    sa_url = f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    migrate.upgrade(sa_url)
    with psycopg.connect(f"{base}/{name}") as connection:
        (count,) = connection.execute("SELECT count(*) FROM adoption").fetchone()
    if count:
        return int(count)
    base_profile = PROFILES[profile_name]
    profile = replace(
        base_profile,
        name=f"{profile_name}-x{scale}",
        solutions=base_profile.solutions * scale,
        adoptions=base_profile.adoptions * scale,
    )
    engine = make_engine(sa_url)
    with make_sessionmaker(engine)() as session:
        build(session, profile, 1, ROOT / "seed" / "official")
        session.commit()
    engine.dispose()
    with psycopg.connect(f"{base}/{name}", autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
        (count,) = connection.execute("SELECT count(*) FROM adoption").fetchone()
    return int(count)


def measure(url: str) -> dict[str, Any]:
    os.environ["REGISTRY_DATABASE_URL"] = url.replace("postgresql://", "postgresql+psycopg://")
    from registry.app import create_app

    app = create_app()
    client = app.test_client()
    with psycopg.connect(url) as connection:
        orgs = [
            ars
            for (ars,) in connection.execute(
                "SELECT ars FROM organisation WHERE kind IN ('gemeinde', 'gemeindeverband', "
                "'kreis', 'kreisfreie_stadt') ORDER BY md5(ars) LIMIT 30"
            )
        ]
        services = [
            ozg
            for (ozg,) in connection.execute(
                "SELECT s.ozg_id FROM offering_count oc JOIN service s ON s.id = oc.service_id "
                "GROUP BY s.ozg_id ORDER BY sum(oc.organisations) DESC, s.ozg_id LIMIT 10"
            )
        ]
    questions = {
        "gaps": [f"/api/v1/organisations/{ars}/gaps" for ars in orgs],
        "coverage": [f"/api/v1/services/{ozg}/coverage" for ozg in services],
    }
    counted: list[int] = []

    def count(*_args: Any) -> None:
        counted[-1] += 1

    figures: dict[str, Any] = {}
    for question, paths in questions.items():
        for path in paths:  # warm the plans and buffers, as a running server is
            client.get(path)
        times, statements, sizes = [], set(), []
        event.listen(Engine, "before_cursor_execute", count)
        try:
            for n in range(REQUESTS):
                counted.append(0)
                started = time.perf_counter()
                answer = client.get(paths[n % len(paths)])
                times.append((time.perf_counter() - started) * 1000)
                assert answer.status_code == 200, (paths[n % len(paths)], answer.status_code)
                statements.add(counted[-1])
                body = answer.get_json()
                sizes.append(len(body["gaps"]) if question == "gaps" else len(body["per_land"]))
        finally:
            event.remove(Engine, "before_cursor_execute", count)
        figures[question] = {
            "median_ms": statistics.median(times),
            "statements": sorted(statements),
            # more adoptions close more gaps of the same organisations: the answers shrink
            "median_items": statistics.median(sizes),
        }
    app.extensions["registry_db"].dispose()
    return figures


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| scale | adoptions | gaps median ms | gaps per answer | statements (max) "
        "| coverage median ms | statements (max) |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        gaps, coverage = row["gaps"], row["coverage"]
        lines.append(
            f"| {row['scale']}x | {row['adoptions']:,} | {gaps['median_ms']:.1f} "
            f"| {gaps['median_items']:g} | {max(gaps['statements'])} "
            f"| {coverage['median_ms']:.1f} | {max(coverage['statements'])} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
