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


def test_search_finds_a_service_by_the_names_of_its_leika_leistungen(client):
    # LeiKa 99102013000000 "Hundesteuer" belongs to OZG 10160 Hundehaltung.
    hits = client.get("/api/v1/search?q=Hundesteuer&type=service").get_json()["items"]
    assert [(h["key"], h["name"]) for h in hits][:1] == [("10160", "Hundehaltung")]
    service = client.get("/api/v1/services/10160").get_json()
    assert "Hundesteuer Befreiung" in service["leika_names"]


def test_a_contracted_solution_is_in_progress_and_its_anbindung_not_charged_twice(client):
    # Demo scenario: Mülheim contracted Unterhaltsvorschuss Online on 2025-06-02.
    gaps = client.get(f"/api/v1/organisations/{MUELHEIM}/gaps?start=2027-01-01").get_json()
    uvo = next(g for g in gaps["gaps"] if g["service"]["ozg_id"] == "10035")
    assert uvo["in_progress"] == [
        {
            "solution": "unterhaltsvorschuss-online",
            "solution_name": "Unterhaltsvorschuss Online (UVO)",
            "status": "contracted",
            "contracted_on": "2025-06-02",
        }
    ]
    first = uvo["top_candidates"][0]
    assert first["solution"] == "unterhaltsvorschuss-online"
    assert first["in_progress"] == {"status": "contracted", "contracted_on": "2025-06-02"}
    assert first["cost"]["onboarding_cents"] == 0
    assert "already contracted (contracted on 2025-06-02)" in first["cost"]["basis"]
    assert "its Anbindung (2.000,00 €) is not counted again" in first["cost"]["basis"]
    single = client.get(
        f"/api/v1/solutions/unterhaltsvorschuss-online/cost?for={MUELHEIM}&start=2027-01-01"
    ).get_json()
    assert single["onboarding_cents"] == 200_000  # the price itself still has it
    assert first["cost"]["total_cents"] == single["total_cents"] - 200_000
    budget = client.get(f"/api/v1/organisations/{MUELHEIM}/budget?start=2027-01-01").get_json()
    line = next(x for x in budget["lines"] if x["solution"] == "unterhaltsvorschuss-online")
    assert line["cost"]["onboarding_cents"] == 0


def test_candidates_rank_what_is_contracted_then_what_is_unblocked(client):
    body = client.get(f"/api/v1/organisations/{MUELHEIM}/candidates").get_json()
    seen_blocked = False
    for item in body["services"]:
        keys = [
            (c["in_progress"] is None, c["blocked_reason"] is not None, -c["score"])
            for c in item["candidates"]
        ]
        assert keys == sorted(keys), item["service"]["ozg_id"]
        seen_blocked |= any(c["blocked_reason"] for c in item["candidates"])
    assert seen_blocked  # ELFE is blocked in NRW (no Land contract in the demo)


def test_candidates_name_the_nearest_adopters(client):
    body = client.get(f"/api/v1/organisations/{MUELHEIM}/candidates?service=10124").get_json()
    ewa = next(c for c in body["services"][0]["candidates"] if c["solution"] == "ewa")
    named = ewa["nearby_adopters"]
    assert 0 < len(named) <= 5 and len(named) <= ewa["adopters_in_land"]
    order = ["kreis", "regierungsbezirk", "land"]
    ranks = [(order.index(n["distance"]), n["name"]) for n in named]
    assert ranks == sorted(ranks)
    assert all(n["key"] != MUELHEIM for n in named)
    # Bochum (RB Arnsberg) runs eWA in the demo; Mülheim lies in RB Düsseldorf.
    bochum = [n for n in named if n["key"] == BOCHUM]
    assert not bochum or bochum[0]["distance"] == "land"


def test_the_scorecard_lists_what_is_offered(client):
    card = client.get(f"/api/v1/organisations/{MUELHEIM}/scorecard").get_json()
    offered = {o["service"]["ozg_id"]: o["solutions"] for o in card["offered_services"]}
    assert len(offered) == card["offered"]
    assert offered["10257"] == ["einbuergerung-digital"]  # Mülheim's own adoption
    gaps = _ids(client.get(f"/api/v1/organisations/{MUELHEIM}/gaps").get_json()["gaps"])
    assert not gaps & set(offered)
    assert len(gaps) + len(offered) == card["due"]


def test_sort_by_cost_ranks_across_all_gaps(client):
    body = client.get(
        f"/api/v1/organisations/{BOCHUM}/gaps?sort=cost&top=20&start=2027-01-01"
    ).get_json()

    def cheapest(gap):
        priced = [
            (c["blocked_reason"] is not None, c["cost"]["total_cents"])
            for c in gap["top_candidates"]
            if c["cost"]
        ]
        return min(priced) if priced else (2, 0)

    keys = [(cheapest(g), g["service"]["ozg_id"]) for g in body["gaps"]]
    assert keys == sorted(keys)
    assert keys[0][0][0] == 0  # an unblocked, priced candidate closes the first gap
    default = client.get(f"/api/v1/organisations/{BOCHUM}/gaps").get_json()["gaps"]
    ids = [g["service"]["ozg_id"] for g in default]
    assert ids == sorted(ids) and sorted(ids) == sorted(k[1] for k in keys)


def test_candidates_name_similar_municipalities_that_run_it(client):
    duisburg = "051120000000"
    mine = client.get(f"/api/v1/organisations/{duisburg}").get_json()["population"]
    body = client.get(f"/api/v1/organisations/{duisburg}/candidates?service=10519").get_json()
    (baugenehmigung,) = [
        c for c in body["services"][0]["candidates"] if c["solution"] == "digitale-baugenehmigung"
    ]
    similar = baugenehmigung["similar_adopters"]
    # kreisfreie Städte within a factor 1.5 of Duisburg's population running it in the
    # demo: Dortmund (closer) and Bochum; the closest population first.
    assert [n["name"] for n in similar] == ["Dortmund", "Bochum"]
    assert all(n["kind"] == "kreisfreie_stadt" and n["distance"] == "similar" for n in similar)
    assert all(mine / 1.5 <= n["population"] <= mine * 1.5 for n in similar)
    gaps = [abs(n["population"] - mine) for n in similar]
    assert gaps == sorted(gaps)
