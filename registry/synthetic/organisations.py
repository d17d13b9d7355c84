"""The organisation tree: the real one from a GV100AD file, or a generated one of its shape."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

from registry.importers import gv100ad
from registry.importers.report import Report

BUND_POPULATION = 83_577_140
GENERATED_SOURCE = "synthetic (generated tree of GV100AD's shape; illustrative, not a fact)"
# Länder with (Kreise, kreisfreie Städte, Gemeinden), roughly as in GV100AD 2025.
SHAPE = {
    "01": (11, 4, 1_100),
    "02": (0, 0, 0),
    "03": (37, 8, 940),
    "04": (0, 2, 0),
    "05": (31, 22, 374),
    "06": (21, 5, 416),
    "07": (24, 12, 2_290),
    "08": (35, 9, 1_092),
    "09": (71, 25, 2_031),
    "10": (6, 0, 52),
    "11": (0, 0, 0),
    "12": (14, 4, 409),
    "13": (6, 2, 718),
    "14": (10, 3, 405),
    "15": (11, 3, 215),
    "16": (17, 5, 600),
}
LAND_NAMES = {
    "01": "Schleswig-Holstein",
    "02": "Hamburg",
    "03": "Niedersachsen",
    "04": "Bremen",
    "05": "Nordrhein-Westfalen",
    "06": "Hessen",
    "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg",
    "09": "Bayern",
    "10": "Saarland",
    "11": "Berlin",
    "12": "Brandenburg",
    "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen",
    "15": "Sachsen-Anhalt",
    "16": "Thüringen",
}


def bund() -> dict[str, Any]:
    return {
        "ars": None,
        "slug": "bund",
        "name": "Bundesrepublik Deutschland",
        "kind": "bund",
        "land_code": None,
        "parent": None,
        "population": BUND_POPULATION,
        "population_date": date(2024, 12, 31),
        "duties": None,
        "source": "synthetic dataset root",
    }


def real_tree(path: Path, lands: frozenset[str] | None) -> list[dict[str, Any]]:
    """GV100AD's organisations, parents first, keyed by ARS ('bund' for the root)."""
    records = gv100ad.desired(gv100ad.parse(path), Report())
    kept = [r for r in records if lands is None or r["land_code"] in lands]
    root = bund()
    root["population"] = sum(r["population"] or 0 for r in kept if r["kind"] == "land")
    return [root, *kept]


def generated_tree(rng: random.Random, lands: frozenset[str] | None) -> list[dict[str, Any]]:
    """A tree of the real one's shape: Länder, Kreise, kreisfreie Städte, Ämter, Gemeinden."""
    out = [bund()]

    def org(ars: str, name: str, kind: str, parent: str, population: int) -> dict[str, Any]:
        record = {
            "ars": ars,
            "slug": None,
            "name": name,
            "kind": kind,
            "land_code": ars[:2],
            "parent": parent,
            "population": population,
            "population_date": date(2024, 12, 31),
            "duties": None,
            "source": GENERATED_SOURCE,
        }
        out.append(record)
        return record

    for code, (kreise, cities, gemeinden) in SHAPE.items():
        if lands is not None and code not in lands:
            continue
        land = org(code + "0" * 10, LAND_NAMES[code], "land", "bund", 0)
        if kreise == 0 and cities == 0:
            land["duties"] = ["gemeinde", "kreis", "land"]
            land["population"] = rng.randint(1_500_000, 3_800_000)
            continue
        for c in range(cities):
            ars = f"{code}9{c + 1:02d}0000000"  # region digit 9: never a Kreis' key
            land["population"] += org(
                ars, f"Stadt {ars[:5]}", "kreisfreie_stadt", land["ars"], _size(rng, 150_000)
            )["population"]
        per_kreis = gemeinden // max(kreise, 1)
        for k in range(kreise):
            kreis = org(f"{code}0{k + 1:02d}0000000", "", "kreis", land["ars"], 0)
            kreis["name"] = f"Landkreis {kreis['ars'][:5]}"
            count = per_kreis + (gemeinden % kreise if k == kreise - 1 else 0)
            verband = None
            for g in range(count):
                # Every third small Gemeinde belongs to an Amt of up to eight members.
                if g % 24 == 0 and rng.random() < 0.5:
                    verband = org(
                        f"{kreis['ars'][:5]}{5000 + g:04d}000",
                        f"Amt {kreis['ars'][:5]}-{g}",
                        "gemeindeverband",
                        kreis["ars"],
                        0,
                    )
                elif g % 24 == 8:
                    verband = None
                # Numbered from 001: 000 is the key of the Amt itself.
                ars = f"{kreis['ars'][:5]}{(verband['ars'][5:9] if verband else '0000')}{g + 1:03d}"
                gemeinde = org(
                    ars,
                    f"Gemeinde {ars}",
                    "gemeinde",
                    verband["ars"] if verband else kreis["ars"],
                    _size(rng, 6_000),
                )
                for parent in (verband, kreis, land):
                    if parent is not None:
                        parent["population"] += gemeinde["population"]
    out[0]["population"] = sum(r["population"] for r in out if r["kind"] == "land")
    return out


def _size(rng: random.Random, median: int) -> int:
    return max(50, int(rng.lognormvariate(0, 1.1) * median))
