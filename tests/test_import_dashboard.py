"""OZG-Dashboard import: a hand-written sample of the export becomes solutions and adoptions."""

from pathlib import Path

import pytest

from registry.importers import dashboard
from registry.importers.report import ImportFailed
from registry.seed import seed

SAMPLE = Path(__file__).parent / "data" / "dashboard_sample.csv"


@pytest.fixture
def seeded(session):
    seed(session)
    session.commit()


def test_sample_becomes_solutions_and_adoptions_with_scopes(seeded, session, client):
    report = dashboard.import_file(session, SAMPLE)
    session.commit()
    assert report.rejected == []
    assert report.skipped == {"online_status 'offline'": 1}
    ewa = client.get("/api/v1/solutions/dashboard-ewa-example-org-anmeldung").get_json()
    assert ewa["services"] == ["10124"] and ewa["efa"] is True
    adoptions = client.get(
        "/api/v1/adoptions?solution=dashboard-ewa-example-org-anmeldung"
    ).get_json()["items"]
    assert sorted(a["organisation"] for a in adoptions) == ["051170000000", "059110000000"]
    assert {(a["status"], a["scope"], a["provenance"]) for a in adoptions} == {
        ("live", "self", "dashboard")
    }
    # landesweit flächendeckend: NRW rolls it out, so a Gemeinde in NRW offers it
    land = client.get("/api/v1/adoptions?organisation=050000000000&provenance=dashboard")
    assert [(a["scope"], a["status"]) for a in land.get_json()["items"]] == [
        ("subordinates", "live")
    ]
    gaps = client.get("/api/v1/organisations/dorsten/gaps").get_json()
    assert "10160" not in {g["service"]["ozg_id"] for g in gaps["gaps"]}  # kreisweit Hund
    dortmund = client.get("/api/v1/adoptions?organisation=059130000000&provenance=dashboard")
    assert [a["status"] for a in dortmund.get_json()["items"]] == ["onboarding"]
    again = dashboard.import_file(session, SAMPLE)
    assert (again.counts["created"], again.counts["updated"]) == (0, 0)


def test_bad_ars_fails_with_its_line(tmp_path):
    bad = tmp_path / "bad.csv"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("051170000000", "05117")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="line 3"):
        dashboard.read(bad)


def test_unknown_organisation_rejects_and_the_caller_lands_nothing(seeded, session, tmp_path):
    bad = tmp_path / "unknown.csv"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("059110000000", "099990000000")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = dashboard.import_file(session, bad)
    assert len(report.rejected) == 1
    assert "099990000000" in report.rejected[0]["reason"]
