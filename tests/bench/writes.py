"""What single writes cost at Germany size, commit included (the figures recount inside it).

    python tests/bench/writes.py [--quick] [--repeat 5] [--out DIR]

On the benchmark's PostgreSQL database (built by run.py's data step when missing), through
the HTTP API in process with an admin token: create a service no solution implements and
change its level, create / change / delete one adoption, switch a widely used solution's
status and back, delete the service. Prints the median and worst time of each in ms and
writes DIR/writes.json; checks at the end that the figures equal a full recount.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))

import psycopg  # noqa: E402
import run  # noqa: E402

from registry.app import create_app  # noqa: E402
from registry.logic import aggregates, tokens  # noqa: E402


def timed(timings: dict[str, list[float]], name: str, call: Any) -> Any:
    started = time.perf_counter()
    answer = call()
    timings.setdefault(name, []).append((time.perf_counter() - started) * 1000)
    assert answer.status_code < 300, (name, answer.status_code, answer.get_data(as_text=True))
    return answer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--database")
    parser.add_argument("--out", type=Path, default=run.ROOT / "bench-out")
    args = parser.parse_args()
    profile = "quick" if args.quick else "germany"
    name = args.database or f"registry_bench_{profile}_{args.seed}"
    url = f"{args.postgres}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    run.prepare_postgres(args.postgres, name, url, profile, args.seed, False)
    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain) as connection:
        ozg_id = str(
            connection.execute(
                "SELECT coalesce(max(ozg_id::int), 10000) + 1 FROM service WHERE ozg_id < '19999'"
            ).fetchone()[0]
        )
        orgs = [
            r[0]
            for r in connection.execute(
                "SELECT ars FROM organisation WHERE kind = 'gemeinde' ORDER BY md5(ars) LIMIT %s",
                (args.repeat,),
            )
        ]
        solution = connection.execute(
            "SELECT s.slug FROM solution s JOIN adoption a ON a.solution_id = s.id "
            "WHERE s.status = 'live' GROUP BY s.slug ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        adoptable = connection.execute(
            "SELECT s.slug FROM solution s WHERE s.status = 'live' AND s.efa ORDER BY s.slug "
            "LIMIT 1"
        ).fetchone()[0]
    app = create_app({"DATABASE_URL": url})
    with app.extensions["registry_db"].sessionmaker() as session:
        _, raw = tokens.create(session, role="admin", name=f"bench-writes-{time.time_ns()}")
        session.commit()
    client = app.test_client()
    auth = {"Authorization": f"Bearer {raw}"}

    def write(method: str, path: str, body: Any = None) -> Any:
        headers = dict(auth)
        if method in ("PATCH", "DELETE"):
            headers["If-Match"] = "*"
        return client.open(path, method=method, json=body, headers=headers)

    timings: dict[str, list[float]] = {}
    service = {
        "ozg_id": ozg_id,
        "name": "Benchmark",
        "themenfeld": "Querschnitt",
        "executing_level": "gemeinde",
    }
    for n in range(args.repeat):
        timed(
            timings,
            "service create (no solution)",
            lambda: write("POST", "/api/v1/services", service),
        )
        timed(
            timings,
            "service level change (no solution)",
            lambda: write("PATCH", f"/api/v1/services/{ozg_id}", {"executing_level": "kreis"}),
        )
        timed(timings, "service delete", lambda: write("DELETE", f"/api/v1/services/{ozg_id}"))
        body = {
            "organisation": orgs[n % len(orgs)],
            "solution": adoptable,
            "status": "live",
            "provenance": "illustrative",
        }
        existing = client.get(
            f"/api/v1/adoptions?organisation={body['organisation']}&solution={adoptable}"
        ).get_json()["items"]
        for item in existing:
            write("DELETE", f"/api/v1/adoptions/{item['id']}")
        created = timed(
            timings, "adoption create", lambda b=body: write("POST", "/api/v1/adoptions", b)
        )
        path = f"/api/v1/adoptions/{created.get_json()['id']}"
        timed(timings, "adoption change", lambda p=path: write("PATCH", p, {"status": "ended"}))
        timed(timings, "adoption delete", lambda p=path: write("DELETE", p))
        for status in ("pilot", "live"):
            timed(
                timings,
                f"solution status change (most adopted, to {status})",
                lambda s=status: write("PATCH", f"/api/v1/solutions/{solution}", {"status": s}),
            )
    with app.extensions["registry_db"].sessionmaker() as session:
        exact = aggregates.equals_full_recount(session)
    rows = {
        name: {"median_ms": round(statistics.median(v), 1), "max_ms": round(max(v), 1), "n": len(v)}
        for name, v in timings.items()
    }
    report = {"profile": profile, "database": name, "writes": rows, "figures_exact": exact}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "writes.json").write_text(json.dumps(report, indent=2))
    print(f"{'write':<50}{'median ms':>10}{'max ms':>10}")
    for name, row in rows.items():
        print(f"{name:<50}{row['median_ms']:>10}{row['max_ms']:>10}")
    print(f"figures equal a full recount afterwards: {exact}")
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
