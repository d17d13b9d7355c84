"""report.json (everything measured) and report.md (the tables a reader wants)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from interleaved import TARGETS as SIDE_BY_SIDE

SCALING = ("gaps", "gaps_bare", "candidates", "cost", "coverage")


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets (#13), each with the figure it is judged on."""
    out = []

    def check(name: str, figure: float, limit: float, unit: str, higher: bool = False) -> None:
        met = figure >= limit if higher else figure <= limit
        out.append(
            {"target": name, "figure": round(figure, 2), "limit": limit, "unit": unit, "met": met}
        )

    for name, row in result["endpoints"].items():
        check(f"{name}: median c=1 / floor", row["floor_ratio"], 1.5, "x")
    for name in SCALING:
        row = result["endpoints"][name]
        check(
            f"{name}: c=8 / c=1 throughput",
            row["c8"]["rps"] / row["c1"]["rps"],
            1.6,
            "x",
            higher=True,
        )
        check(
            f"{name}: p99 at c=8 / median at c=1",
            row["c8"]["p99_ms"] / row["c1"]["median_ms"],
            4.0,
            "x",
        )
    check("coverage: median at c=1", result["endpoints"]["coverage"]["c1"]["median_ms"], 50, "ms")
    rows = result["endpoints"]
    shown = rows["gaps"]["c1"]["median_ms"] + rows["scorecard"]["c1"]["median_ms"]
    check(
        "municipality page / the API answers it shows (gaps + scorecard), median c=1",
        rows["page"]["c1"]["median_ms"] / shown,
        1.5,
        "x",
    )
    bare = result["bare"]["c1"]["median_ms"]
    check(
        "gaps revalidated (304): median / bare route",
        result["revalidate"]["c1"]["median_ms"] / bare,
        1.5,
        "x",
    )
    for name, row in result["peer"].items():
        check(f"{name}: registry / Datasette median c=1", row["latency_ratio"], 1.0, "x")
        check(
            f"{name}: registry / Datasette throughput c=8",
            row["throughput_ratio"],
            1.0,
            "x",
            higher=True,
        )
    side = result["interleaved"]["figures"]
    for name, limit, higher in SIDE_BY_SIDE:
        check(f"side by side: {name}", side[name]["median"], limit, "x", higher=higher)
    for pid, peak in result["memory_mb"].items():
        check(f"worker {pid}: peak memory", peak, 200, "MB")
    return out


def write(out: Path, result: dict[str, Any]) -> None:
    result["targets"] = targets(result)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(result, indent=2) + "\n")
    (out / "report.md").write_text(markdown(result))


def markdown(result: dict[str, Any]) -> str:
    data = result["dataset"]
    sample = ", ".join(f"{name} {n}" for name, n in result["sample"].items())
    lines = [
        f"# Benchmark ({result['mode']})",
        "",
        f"{result['machine']}; PostgreSQL {result['postgresql']}; gunicorn "
        f"{result['gunicorn']}; loopback, load generator in its own process.",
        "",
        f"Data: {data['counts_line']}.",
        "",
        f"Distinct paths per endpoint (organisations of every kind, all Länder): {sample}.",
        "",
        "Latency in ms (median / p95 / p99), throughput in requests/s; floor = bare Flask "
        "route under the same gunicorn + the endpoint's own SQL via psycopg; "
        "ratio = median at c=1 / floor. Cold: the answer cache off, every answer computed.",
        "",
        "| endpoint (cold) | c=1 median / p95 / p99 | c=1 rps | c=8 median / p95 / p99 "
        "| c=8 rps | c=8/c=1 rps | SQL (statements, median) | floor ratio |",
        "|---|---|---|---|---|---|---|---|",
    ]
    bare = result["bare"]
    for name, row in result["endpoints"].items():
        c1, c8, sql = row["c1"], row["c8"], row["sql"]
        lines.append(
            f"| {name} | {_ms(c1)} | {c1['rps']:.0f} | {_ms(c8)} | {c8['rps']:.0f} "
            f"| {c8['rps'] / c1['rps']:.2f} "
            f"| {sql['statements']}, {sql['median_ms']:.1f} | {row['floor_ratio']:.2f} |"
        )
    lines.append(
        f"| *bare route* | {_ms(bare['c1'])} | {bare['c1']['rps']:.0f} | {_ms(bare['c8'])} "
        f"| {bare['c8']['rps']:.0f} | {bare['c8']['rps'] / bare['c1']['rps']:.2f} | – | – |"
    )
    again = result["revalidate"]
    lines.append(
        f"| *gaps revalidated (304)* | {_ms(again['c1'])} | {again['c1']['rps']:.0f} "
        f"| {_ms(again['c8'])} | {again['c8']['rps']:.0f} "
        f"| {again['c8']['rps'] / again['c1']['rps']:.2f} | 1 | – |"
    )
    lines += [
        "",
        "Warm: the answer cache on (registry.api.answer_cache), primed with four passes over "
        "the same paths.",
        "",
        "| endpoint (warm) | c=1 median / p95 / p99 | c=1 rps | c=8 median / p95 / p99 | c=8 rps |",
        "|---|---|---|---|---|",
    ]
    for name, row in result["warm"].items():
        c1, c8 = row["c1"], row["c8"]
        lines.append(f"| {name} | {_ms(c1)} | {c1['rps']:.0f} | {_ms(c8)} | {c8['rps']:.0f} |")
    lines += [
        "",
        "Peer: Datasette on an SQLite copy of the same data, canned queries for the same "
        "questions (answers checked equal before timing). The gap question both ways: "
        "`gaps_bare` (top=0) is Datasette's answer, `gaps` the default one with priced, "
        "ranked candidates.",
        "",
        "| question: registry answer | registry c=1 median | Datasette c=1 median "
        "| latency ratio | registry c=8 rps | Datasette c=8 rps | throughput ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in result["peer"].items():
        lines.append(
            f"| {name} | {row['registry_c1_ms']:.1f} | {row['datasette_c1_ms']:.1f} "
            f"| {row['latency_ratio']:.2f} | {row['registry_c8_rps']:.0f} "
            f"| {row['datasette_c8_rps']:.0f} | {row['throughput_ratio']:.2f} |"
        )
    side = result["interleaved"]
    lines += [
        "",
        f"Side by side: the registry (cold), the bare route and Datasette served at once, "
        f"measured in turns over {side['rounds']} rounds (tests/bench/interleaved.py); each "
        "ratio is taken within its round: the median over the rounds, the lowest and "
        "the highest.",
        "",
        "| figure | median over the rounds | lowest | highest |",
        "|---|---|---|---|",
    ]
    for name, figure in side["figures"].items():
        if name != "errors":
            lines.append(
                f"| {name} | {figure['median']:.2f} | {figure['low']:.2f} | {figure['high']:.2f} |"
            )
    memory = ", ".join(f"{peak:.0f} MB" for peak in result["memory_mb"].values())
    lines += ["", f"Peak memory per registry worker: {memory}.", "", "## Targets", ""]
    for t in result["targets"]:
        mark = "met" if t["met"] else "**missed**"
        lines.append(f"- {t['target']}: {t['figure']} {t['unit']} (limit {t['limit']}) – {mark}")
    return "\n".join(lines) + "\n"


def _ms(stats: dict[str, Any]) -> str:
    return f"{stats['median_ms']:.1f} / {stats['p95_ms']:.1f} / {stats['p99_ms']:.1f}"
