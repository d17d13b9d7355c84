"""`registry seed`: reference facts with sources, a labelled demo scenario, idempotent."""

import tomllib

import pytest

from registry.paths import project_dir
from registry.seed import seed

SEED = project_dir("seed")


def _load(name, table):
    with (SEED / name).open("rb") as handle:
        return tomllib.load(handle)[table]


pytestmark = pytest.mark.world("nrw")
NRW_AND_BREMEN = frozenset({"04", "05"})


def test_second_seed_changes_nothing(session):
    again = seed(session, lands=NRW_AND_BREMEN)
    for name, counts in again.items():
        changed = {what for what in counts if not what.startswith(("unchanged", "skipped"))}
        assert changed == set(), (name, counts)


def test_bochum_is_seeded_with_parent_and_population(client):
    body = client.get("/api/v1/organisations/059110000000").get_json()
    assert body["name"] == "Bochum"
    assert body["kind"] == "kreisfreie_stadt"
    assert body["parent"] == "059000000000"  # Regierungsbezirk Arnsberg
    assert body["population"] == 358676  # GV100AD 30.11.2025, population 31.12.2024
    assert "GV100AD" in body["source"]


def test_all_sixteen_laender_with_koenigstein_shares(client):
    laender = client.get("/api/v1/organisations?kind=land").get_json()
    assert laender["pagination"]["total_items"] == 16
    shares = _load("koenigstein.toml", "share")
    assert len(shares) == 16
    total = sum(int(s["share_percent"].replace(".", "")) for s in shares)
    assert total == 100_00000


def test_city_states_carry_three_duties(client):
    for ars in ("110000000000", "020000000000"):
        duties = client.get(f"/api/v1/organisations/{ars}").get_json()["duties"]
        assert sorted(duties) == ["gemeinde", "kreis", "land"]


def test_press_services_are_there_with_real_ozg_ids(client):
    assert client.get("/api/v1/services/10000").get_json()["name"] == "Elterngeld"
    dog = client.get("/api/v1/services?name=hund").get_json()["items"]
    assert dog and dog[0]["executing_level"] == "gemeinde"
    elfe = client.get("/api/v1/solutions/elfe").get_json()
    assert elfe["builder"] == "040000000000"  # Freie Hansestadt Bremen
    assert "10000" in elfe["services"]


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("koenigstein.toml", "share"),
        ("organisations.toml", "organisation"),
        ("solutions.toml", "solution"),
    ],
)
def test_every_fact_carries_its_source(name, table):
    records = _load(name, table)
    assert records
    assert [r for r in records if not r.get("source", "").strip()] == []


def test_demo_adoptions_are_labelled_illustrative(client):
    records = _load("demo_adoptions.toml", "adoption")
    assert {r["provenance"] for r in records} == {"illustrative"}
    listed = client.get("/api/v1/adoptions?provenance=illustrative&page_size=500").get_json()
    assert listed["pagination"]["total_items"] == len(records)
