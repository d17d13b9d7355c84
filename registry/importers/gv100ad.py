"""`registry import gv100ad FILE`: the Destatis Gemeindeverzeichnis (GV100AD, fixed width).

Record layout (Destatis "Datensatzbeschreibung GV100AD"; 1-based positions):
  1-2 Satzart (10 Land, 20 Regierungsbezirk, 30 Region, 40 Kreis, 50 Gemeindeverband,
  60 Gemeinde), 3-10 Gebietsstand (YYYYMMDD), 11-18 AGS (Land 2, RB 1, Kreis 2,
  Gemeinde 3), 19-22 Gemeindeverband, 23-72 name, 123-124 Textkennzeichen,
  129-139 area (ha), 140-150 population (Satzart 60 only).
Mapping:
  - 40 with Textkennzeichen 41/42 is a kreisfreie Stadt (Stadtkreis); it is one
    organisation with the ARS of its Satzart-60 record, whose population it takes.
  - 50 with Textkennzeichen 51-58 is a Gemeindeverband (Amt, Samtgemeinde, ...); 50 is a
    verbandsfreie Gemeinde's pass-through record and no body of its own.
  - 60 with Textkennzeichen 65/66 are gemeindefreie Gebiete: not municipalities, skipped.
  - Berlin and Hamburg (a Land and a city under one ARS) become one organisation, the
    Land, with Land, Kreis and Gemeinde duties.
  - 30 (planning regions in Baden-Württemberg) are not administrative bodies: skipped.
  - Populations of Länder, Regierungsbezirke, Kreise and Gemeindeverbände are the sums of
    their Gemeinden; the reference date is 31 December of the year before the Gebietsstand
    (the file's convention: Gebietsstand 30.11.2025 carries population 31.12.2024).
Names: the designation before its comma ("Bochum, Stadt" -> "Bochum"; the full one stays
in `source`), with the kind of body the Textkennzeichen states where the name alone would
not tell a Kreis from its seat ("Recklinghausen", Textkennzeichen 43 -> "Kreis
Recklinghausen"; 51 Amt, 52 Samtgemeinde, 53 Verbandsgemeinde, 54 Verwaltungsgemeinschaft,
55 Kirchspielslandgemeinde, 56 Verwaltungsverband, 57 VG Trägermodell, 58 Erfüllende
Gemeinde), "Reg.-Bez." written out, and "Stadt" before a city named like its Land (Bremen).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.importers.report import ImportFailed, Report
from registry.logic import audit, hierarchy
from registry.models import Organisation, OrganisationDuty
from registry.progress import progress

LINE_LENGTH = 220
CITY_STATES = {"02", "11"}
KREISFREI = {"41", "42"}  # Satzart 40: kreisfreie Stadt, Stadtkreis
KREISFREI_GEMEINDE = {"61", "62"}  # Satzart 60: the same cities as Gemeinden
VERBAND = {"51", "52", "53", "54", "55", "56", "57", "58"}
GEMEINDEFREI = {"65", "66"}
SOURCE = "Statistisches Bundesamt (Destatis), GV-ISys GV100AD, Gebietsstand {stand}"
FIELDS = ("name", "kind", "land_code", "population", "population_date", "source")


@dataclass(frozen=True)
class Line:
    number: int
    satzart: str
    stand: date
    key: str  # Land .. Gemeinde digits present in this record (2 to 12)
    name: str
    type_code: str
    population: int | None


def parse(path: Path) -> list[Line]:
    """Every record, checked; a malformed line fails the whole import with its number."""
    lines = []
    with path.open(encoding="utf-8-sig") as handle:
        for number, raw in enumerate(handle, start=1):
            text = raw.rstrip("\r\n")
            if not text.strip():
                continue
            lines.append(_line(path.name, number, text))
    if not lines:
        raise ImportFailed(path.name, None, "no records")
    return lines


def _line(source: str, number: int, text: str) -> Line:
    def fail(reason: str) -> ImportFailed:
        return ImportFailed(source, number, reason)

    if len(text) != LINE_LENGTH:
        raise fail(f"a record has {LINE_LENGTH} characters, this one {len(text)}")
    satzart = text[0:2]
    widths = {"10": 2, "20": 3, "30": 3, "40": 5, "50": 9, "60": 12}
    if satzart not in widths:
        raise fail(f"unknown Satzart '{satzart}'")
    # The ARS: Land, RB, Kreis (AGS digits 1-5), Gemeindeverband, Gemeinde (AGS 6-8).
    ars = text[10:15] + text[18:22] + text[15:18]
    key = ars[: widths[satzart]]
    if not key.isdigit():
        raise fail(f"the regional key '{key}' is not {widths[satzart]} digits")
    try:
        stand = date(int(text[2:6]), int(text[6:8]), int(text[8:10]))
    except ValueError:
        raise fail(f"Gebietsstand '{text[2:10]}' is not a date") from None
    name = text[22:72].strip()
    if not name:
        raise fail("the name is empty")
    population = None
    if satzart == "60":
        figure = text[139:150].strip()
        if not figure.isdigit():
            raise fail(f"population '{figure}' is not a number")
        population = int(figure)
    return Line(number, satzart, stand, key, name, text[122:124].strip(), population)


KREIS_WORDS = {"43": "Kreis", "44": "Landkreis"}
VERBAND_WORDS = {
    "51": "Amt",
    "52": "Samtgemeinde",
    "53": "Verbandsgemeinde",
    "54": "Verwaltungsgemeinschaft",
    "55": "Kirchspielslandgemeinde",
    "56": "Verwaltungsverband",
    "57": "Verwaltungsgemeinschaft",
    "58": "Erfüllende Gemeinde",
}
# Names that already say what they are: "Hochsauerlandkreis", "Region Hannover",
# "Emmerting (VGem)", "VVG der Stadt Herrenberg", "GVV Aidlingen/Grafenau", "EG Uder".
SELF_NAMING = ("kreis", "region", "(vgem)", "vvg ", "gvv ", "eg ")


def short_name(official: str) -> str:
    """'Bochum, Stadt' -> 'Bochum': the designation after the comma stays in `source`."""
    return official.split(",", 1)[0].strip()


def display_name(line: Line) -> str:
    name = short_name(line.name)
    word = {"40": KREIS_WORDS, "50": VERBAND_WORDS}.get(line.satzart, {}).get(line.type_code)
    if line.satzart == "20":
        return name.replace("Reg.-Bez. ", "Regierungsbezirk ")
    if word and not any(mark in name.lower() + " " for mark in SELF_NAMING):
        return f"{word} {name}"
    return name


def desired(
    lines: list[Line], report: Report, lands: frozenset[str] | None = None
) -> list[dict[str, Any]]:
    """The organisations the file describes, parents before children.

    `lands` (Land codes) keeps only the bodies of those Länder, but every Land itself and
    the true populations (a smaller world for development and tests).
    """
    stand = lines[0].stand
    population_date = date(stand.year - 1, 12, 31)
    source = SOURCE.format(stand=stand.strftime("%d.%m.%Y"))
    gemeinden = [g for g in lines if g.satzart == "60"]
    verbaende = {v.key: v for v in lines if v.satzart == "50" and v.type_code in VERBAND}
    kreise = {k.key: k for k in lines if k.satzart == "40"}
    regierungsbezirke = {r.key for r in lines if r.satzart == "20"}
    totals: Counter[str] = Counter()
    for g in gemeinden:
        if g.type_code not in GEMEINDEFREI:
            for prefix in (g.key[:2], g.key[:3], g.key[:5], g.key[:9]):
                totals[prefix] += g.population or 0
    report.skipped["Satzart 30: planning region, no administrative body"] = sum(
        1 for x in lines if x.satzart == "30"
    )

    land_names = {x.key: short_name(x.name) for x in lines if x.satzart == "10"}

    def org(line: Line, ars: str, kind: str, parent: str, population: int | None):
        name = display_name(line)
        if line.satzart != "10" and name == land_names.get(ars[:2]):
            name = f"Stadt {name}"  # Bremen: the city beside the Land of the same name
        return {
            "ars": ars,
            "name": name,
            "kind": kind,
            "land_code": ars[:2],
            "parent": parent,
            "population": population,
            "population_date": population_date,
            "duties": None,
            "source": f"{source} (Satzart {line.satzart} '{line.name}', line {line.number})",
        }

    out: list[dict[str, Any]] = []
    for land in (x for x in lines if x.satzart == "10"):
        record = org(land, land.key + "0" * 10, "land", "bund", totals[land.key])
        if land.key in CITY_STATES:
            record["duties"] = ["gemeinde", "kreis", "land"]
        out.append(record)
    for rb in (x for x in lines if x.satzart == "20"):
        out.append(
            org(rb, rb.key + "0" * 9, "regierungsbezirk", rb.key[:2] + "0" * 10, totals[rb.key])
        )

    def above_kreis(key: str) -> str:
        return key[:3] + "0" * 9 if key[:3] in regierungsbezirke else key[:2] + "0" * 10

    city_of = {g.key[:5]: g for g in gemeinden if g.type_code in KREISFREI_GEMEINDE}
    for kreis in kreise.values():
        if kreis.type_code in KREISFREI:
            if kreis.key[:2] in CITY_STATES:
                continue  # the Land itself
            city = city_of.get(kreis.key)
            if city is None:
                report.rejected.append(
                    {"record": kreis.key, "reason": "kreisfreie Stadt without Gemeinde record"}
                )
                continue
            out.append(
                org(city, city.key, "kreisfreie_stadt", above_kreis(kreis.key), city.population)
            )
        else:
            out.append(
                org(kreis, kreis.key + "0" * 7, "kreis", above_kreis(kreis.key), totals[kreis.key])
            )
    for verband in verbaende.values():
        out.append(
            org(
                verband,
                verband.key + "000",
                "gemeindeverband",
                verband.key[:5] + "0" * 7,
                totals[verband.key],
            )
        )
    for g in gemeinden:
        if g.type_code in KREISFREI_GEMEINDE:
            continue  # merged above
        if g.type_code in GEMEINDEFREI:
            report.skipped["Satzart 60 gemeindefreies Gebiet: not a municipality"] += 1
            continue
        parent = g.key[:9] + "000" if g.key[:9] in verbaende else g.key[:5] + "0" * 7
        out.append(org(g, g.key, "gemeinde", parent, g.population))
    if lands is not None:
        out = [r for r in out if r["kind"] == "land" or r["land_code"] in lands]
    return out


def import_file(session: Session, path: Path, lands: frozenset[str] | None = None) -> Report:
    report = Report()
    records = desired(parse(path), report, lands)
    existing = {
        o.ars: o for o in session.scalars(select(Organisation).where(Organisation.ars.is_not(None)))
    }
    changed: list[tuple[Organisation, dict[str, Any] | None]] = []
    bund = session.scalar(select(Organisation).where(Organisation.slug == "bund"))
    if bund is None:
        bund = Organisation(slug="bund", name="Bundesrepublik Deutschland", kind="bund")
        session.add(bund)
        changed.append((bund, None))
        report.counts["created"] += 1
    population = sum(r["population"] or 0 for r in records if r["kind"] == "land")
    if bund.population != population:
        if bund.id is not None:
            changed.append((bund, audit.snapshot(bund)))
        bund.population, bund.population_date = population, records[0]["population_date"]
    by_key: dict[str | None, Organisation] = {"bund": bund, **existing}
    for record in progress(records, "organisations", len(records)):
        org = by_key.get(record["ars"])
        parent = by_key[record["parent"]]
        if org is None:
            org = Organisation(ars=record["ars"], parent=parent)
            _assign(org, record)
            session.add(org)
            by_key[record["ars"]] = org
            changed.append((org, None))
            report.counts["created"] += 1
        elif _differs(org, record, parent):
            changed.append((org, audit.snapshot(org)))
            org.parent = parent
            _assign(org, record)
            report.counts["updated"] += 1
        else:
            report.counts["unchanged"] += 1
    session.flush()
    if changed:
        hierarchy.rebuild(session)
        audit.record_batch(session, changed)
    return report


def _assign(org: Organisation, record: dict[str, Any]) -> None:
    for name in FIELDS:
        setattr(org, name, record[name])
    wanted = record["duties"] or []
    if sorted(org.duties or []) != sorted(wanted):
        org.duty_rows = [OrganisationDuty(level=level) for level in wanted]


def _differs(org: Organisation, record: dict[str, Any], parent: Organisation) -> bool:
    if org.parent is not parent or sorted(org.duties or []) != sorted(record["duties"] or []):
        return True
    return any(getattr(org, name) != record[name] for name in FIELDS)
