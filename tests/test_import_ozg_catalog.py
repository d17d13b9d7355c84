"""OZG catalogue import: 557 services, each with a level decided by the curated list or by
the LeiKa Typisierung where it decides, and the per-Land rows; idempotent."""

import re
import tomllib

import pytest

from registry.importers import ozg_catalog
from registry.importers.report import ImportFailed
from registry.paths import project_dir

DATA = project_dir("seed") / "official"
CURATED = project_dir("seed") / "responsibilities.toml"


def test_typisierung_decides_only_for_1_and_for_5_or_6():
    assert ozg_catalog.rule_level(["1", "1", ""]) == "bund"
    assert ozg_catalog.rule_level(["5", "6"]) == "gemeinde"
    assert ozg_catalog.rule_level(["1", "4"]) is None
    assert ozg_catalog.rule_level(["2/3"]) is None  # "Land or Kommune" decides nothing
    assert ozg_catalog.rule_level(["4"]) is None
    assert ozg_catalog.rule_level(["", ""]) is None


def curation(text: str) -> ozg_catalog.Curation:
    return ozg_catalog.Curation(
        services={e["ozg_id"]: e for e in tomllib.loads(text).get("service", [])},
        verband=tomllib.loads(text).get("verband", {}),
    )


def test_curated_entry_wins_and_the_verband_rule_adds_rows():
    found = ozg_catalog.responsibility(
        "10124",
        ["2/3"],
        curation(
            '[verband]\n"07" = "Verbandsgemeinde (GemO RP)"\n'
            '[[service]]\nozg_id = "10124"\nlevel = "gemeinde"\nreason = "Meldebehörde (BMG)"\n'
        ),
    )
    assert found["executing_level"] == "gemeinde"
    assert (found["executing_level_source"], found["executing_level_reason"]) == (
        "curated",
        "Meldebehörde (BMG)",
    )
    assert found["responsibilities"] == [
        {"land_code": "07", "level": "gemeindeverband", "reason": "Verbandsgemeinde (GemO RP)"}
    ]


def test_verband_rule_skips_what_the_land_gives_elsewhere_and_kept_tasks():
    text = (
        '[verband]\n"07" = "VG"\n"09" = "VGem"\n'
        '[[service]]\nozg_id = "10000"\nlevel = "gemeinde"\nreason = "Stadt"\n'
        'lands = [{ land = "09", level = "land", reason = "ZBFS" }]\n'
        '[[service]]\nozg_id = "10129"\nlevel = "gemeinde"\nreason = "Rat"\n'
        "member_gemeinden_keep = true\n"
    )
    rows = ozg_catalog.responsibility("10000", [], curation(text))["responsibilities"]
    assert [(r["land_code"], r["level"]) for r in rows] == [
        ("07", "gemeindeverband"),
        ("09", "land"),
    ]
    assert ozg_catalog.responsibility("10129", [], curation(text))["responsibilities"] == []


def test_without_an_entry_the_typisierung_decides_or_it_is_assumed():
    nothing = ozg_catalog.Curation()
    bund = ozg_catalog.responsibility("10001", ["1"], nothing)
    assert (bund["executing_level"], bund["executing_level_source"]) == ("bund", "typisierung")
    assumed = ozg_catalog.responsibility("10002", ["2/3"], nothing)
    assert (assumed["executing_level"], assumed["executing_level_source"]) == (
        "gemeinde",
        "assumed",
    )


def test_the_shipped_curation_decides_every_service_of_the_catalogue():
    found, report = ozg_catalog.records(DATA, ozg_catalog.curation_from(CURATED))
    assert len(found) == 557
    assert report.warnings == {}  # nothing assumed, nothing curated that is not there
    assert {r["executing_level_source"] for r in found} == {"curated", "typisierung"}
    for record in found:
        assert record["executing_level_reason"], record["ozg_id"]
        assert all(row["reason"] for row in record["responsibilities"]), record["ozg_id"]


@pytest.mark.parametrize(
    "problem",
    [
        ('level = "mond"\nreason = "x"', "level 'mond' is none of"),
        ('level = "land"\nreason = ""', "a reason (authority and law) is required"),
        (
            'level = "land"\nreason = "x"\n'
            'lands = [{ land = "17", level = "kreis", reason = "y" }]',
            "land '17' is no Land code",
        ),
    ],
)
def test_a_wrong_curated_entry_fails_naming_the_service(tmp_path, problem):
    body, message = problem
    (tmp_path / "r.toml").write_text(f'[[service]]\nozg_id = "10000"\n{body}\n', encoding="utf-8")
    with pytest.raises(ImportFailed, match=f"service 10000: .*{re.escape(message)}"):
        ozg_catalog.curation_from(tmp_path / "r.toml")


def test_catalogue_import_and_second_run(session, client):
    report = ozg_catalog.import_dir(session, DATA)
    session.commit()
    assert (report.counts["created"], report.rejected) == (557, [])
    total = client.get("/api/v1/services?page_size=1").get_json()["pagination"]["total_items"]
    assert total == 557
    kfz = client.get("/api/v1/services/10439").get_json()  # Kfz-Zulassung: Kreis
    assert (kfz["executing_level"], kfz["executing_level_source"]) == ("kreis", "curated")
    assert "Zulassungsbehörde" in kfz["executing_level_reason"]
    again = ozg_catalog.import_dir(session, DATA)
    assert (again.counts["created"], again.counts["updated"], again.counts["unchanged"]) == (
        0,
        0,
        557,
    )


def test_bad_ozg_id_fails_with_its_line(tmp_path):
    (tmp_path / "ozg_leistungen.csv").write_text(
        "ozg_id,name,lage,themenfeld\n10000,Elterngeld,Geburt,Familie & Kind\n1x,Bad,,Umwelt\n",
        encoding="utf-8",
    )
    (tmp_path / "leika_leistungen_ozg_zuordnung.csv").write_text(
        "leika_key,leika_name,leika_typ,ozg_id\n", encoding="utf-8"
    )
    with pytest.raises(ImportFailed, match="line 3"):
        ozg_catalog.records(tmp_path, ozg_catalog.Curation())
