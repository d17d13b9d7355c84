"""GV100AD import: the full official file, twice, and a malformed one."""

import pytest
from sqlalchemy import func, select

from registry.importers import gv100ad
from registry.importers.report import ImportFailed
from registry.models import AuditEvent, Organisation
from registry.paths import project_dir

DATA = project_dir("seed") / "official"
GV100AD = DATA / "destatis_gv100ad_2025-11-30.txt"


def _kinds(session):
    rows = session.execute(select(Organisation.kind, func.count()).group_by(Organisation.kind))
    return dict(rows.all())


def test_full_file_yields_germany_and_a_second_run_changes_nothing(session, client):
    assert GV100AD.exists(), f"the official file is expected at {GV100AD}"
    report = gv100ad.import_file(session, GV100AD)
    session.commit()
    # 16 Länder (Berlin and Hamburg among them, as Länder with city duties), 29
    # Regierungsbezirke, 294 Kreise + 104 kreisfreie Städte (400 Kreis records less the
    # two city-states), 1,203 Gemeindeverbände (Textkennzeichen 51-58), and 10,645
    # kreisangehörige Gemeinden (10,953 Gemeinde records less 106 kreisfreie Städte
    # and 202 gemeindefreie Gebiete).
    assert _kinds(session) == {
        "bund": 1,
        "land": 16,
        "regierungsbezirk": 29,
        "kreis": 294,
        "kreisfreie_stadt": 104,
        "gemeindeverband": 1203,
        "gemeinde": 10645,
    }
    assert report.skipped["Satzart 60 gemeindefreies Gebiet: not a municipality"] == 202
    org_events = select(func.count(AuditEvent.id)).where(AuditEvent.entity_type == "organisation")
    events = session.scalar(org_events)
    assert events == 12292  # one per organisation created

    bochum = client.get("/api/v1/organisations/059110000000").get_json()
    assert (bochum["name"], bochum["kind"], bochum["population"]) == (
        "Bochum",
        "kreisfreie_stadt",
        358676,
    )
    assert bochum["parent"] == "059000000000"  # Regierungsbezirk Arnsberg
    assert bochum["population_date"] == "2024-12-31"
    hamburg = client.get("/api/v1/organisations/020000000000").get_json()
    assert (hamburg["kind"], sorted(hamburg["duties"])) == ("land", ["gemeinde", "kreis", "land"])
    # A Gemeinde below an Amt (Schleswig-Holstein): Gemeinde -> Amt -> Kreis.
    assert (
        client.get("/api/v1/organisations?kind=gemeindeverband&land=01").get_json()["pagination"][
            "total_items"
        ]
        > 0
    )
    bund = client.get("/api/v1/organisations/bund").get_json()
    assert bund["population"] == sum(
        o["population"] for o in client.get("/api/v1/organisations?kind=land").get_json()["items"]
    )

    again = gv100ad.import_file(session, GV100AD)
    session.commit()
    assert (again.counts["created"], again.counts["updated"]) == (0, 0)
    assert session.scalar(org_events) == events


def test_malformed_line_is_reported_with_its_number_and_nothing_lands(session, tmp_path):
    lines = GV100AD.read_text(encoding="utf-8").splitlines()[:40]
    row = next(i for i, line in enumerate(lines) if i > 20 and line.startswith("60"))
    lines[row] = lines[row][:139] + "12ab5678901" + lines[row][150:]  # population not a number
    broken = tmp_path / "broken.txt"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = session.scalar(select(func.count(Organisation.id)))
    with pytest.raises(ImportFailed) as failure:
        gv100ad.import_file(session, broken)
    assert f"line {row + 1}" in failure.value.detail
    session.rollback()
    assert session.scalar(select(func.count(Organisation.id))) == before


def test_short_line_is_refused(tmp_path):
    bad = tmp_path / "short.txt"
    bad.write_text("10202511300\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="line 1"):
        gv100ad.parse(bad)
