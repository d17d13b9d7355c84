"""The seeded Ruhr scenario through the HTTP API (the demo adoptions are illustrative)."""

import pytest

pytestmark = pytest.mark.world("nrw")

RUHR = {
    "059110000000": "Bochum",
    "059130000000": "Dortmund",
    "051120000000": "Duisburg",
    "051130000000": "Essen",
    "055130000000": "Gelsenkirchen",
    "051170000000": "Mülheim an der Ruhr",
}
MUELHEIM, BOCHUM = "051170000000", "059110000000"


def _ids(items):
    return {item["service"]["ozg_id"] for item in items}


def test_muelheims_gaps_include_what_bochum_offers(client):
    gaps = _ids(client.get(f"/api/v1/organisations/{MUELHEIM}/gaps").get_json()["gaps"])
    # Bochum's demo adoptions: Unterhaltsvorschuss, Wohnsitzmeldungen, Baugenehmigung.
    assert {"10035", "10124", "10519"} <= gaps


def test_compare_lists_what_bochum_offers_with_its_solutions(client):
    body = client.get(f"/api/v1/organisations/{MUELHEIM}/compare/{BOCHUM}").get_json()
    lacking = {i["service"]["ozg_id"]: i["solutions"] for i in body["b_offers_a_lacks"]}
    assert set(lacking) == {"10035", "10124", "10519"}
    assert lacking["10124"] == [
        {"slug": "ewa", "name": "Elektronische Wohnsitzanmeldung (eWA)", "via": "adoption"}
    ]
    assert _ids(body["a_offers_b_lacks"]) == {"10257"}  # Mülheim's Einbürgerung
    gaps = _ids(client.get(f"/api/v1/organisations/{MUELHEIM}/gaps").get_json()["gaps"])
    assert set(lacking) <= gaps


def test_scorecard_ranks_each_ruhr_city_among_nrw_kreisfreie_staedte(client):
    ranks = {}
    for ars in RUHR:
        card = client.get(f"/api/v1/organisations/{ars}/scorecard").get_json()
        assert card["rank_in_land"]["peers"] == 22  # NRW has 22 kreisfreie Städte
        ranks[ars] = (card["rank_in_land"]["rank"], card["offered"])
    assert ranks[MUELHEIM][1] < ranks[BOCHUM][1]
    assert ranks[MUELHEIM][0] > ranks[BOCHUM][0]
    assert ranks["059130000000"][0] == 1  # Dortmund offers most in the demo scenario
    ranking = client.get("/api/v1/rankings?kind=kreisfreie_stadt&region=050000000000")
    order = [i["organisation"]["key"] for i in ranking.get_json()["items"]]
    assert order.index("059130000000") < order.index(BOCHUM) < order.index(MUELHEIM)


def test_search_finds_seeded_records(client):
    def keys(q):
        return {i["key"] for i in client.get(f"/api/v1/search?q={q}").get_json()["items"]}

    assert "10160" in keys("hund")  # Hundehaltung
    assert {"10000", "elfe"} <= keys("eltern")
    assert MUELHEIM in keys("muelheim")
    assert MUELHEIM in keys("Mülheim")
