"""OZG catalogue import: 557 services, levels derived or set, idempotent."""

import pytest

from registry.importers import ozg_catalog
from registry.importers.report import ImportFailed
from registry.paths import project_dir

DATA = project_dir("seed") / "official"


def test_derivation_rule():
    assert ozg_catalog.derive_level(["1", "1", "4"]) == "bund"
    assert ozg_catalog.derive_level(["4", "2/3"]) == "gemeinde"  # a tie goes local
    assert ozg_catalog.derive_level(["5"]) == "gemeinde"
    assert ozg_catalog.derive_level(["9", ""]) is None


def test_catalogue_import_with_overrides_and_second_run(session, client):
    report = ozg_catalog.import_dir(session, DATA)
    session.commit()
    assert report.counts["created"] == 557
    assert report.rejected == []
    total = client.get("/api/v1/services?page_size=1").get_json()["pagination"]["total_items"]
    assert total == 557
    # Vehicle registration: a Kreis task, set by seed/executing_levels.toml.
    kfz = client.get("/api/v1/services/10439").get_json()
    assert (kfz["executing_level"], kfz["executing_level_source"]) == ("kreis", "set")
    derived = client.get("/api/v1/services?executing_level=bund&page_size=500").get_json()
    assert any(s["executing_level_source"] == "derived" for s in derived["items"])
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
        "leika_key,leika_typ,ozg_id\n", encoding="utf-8"
    )
    with pytest.raises(ImportFailed, match="line 3"):
        ozg_catalog.records(tmp_path, {})
