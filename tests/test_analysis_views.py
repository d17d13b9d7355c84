"""Reuse candidates, gaps with candidates, search, and the errors of every analysis endpoint.

Expected answers are written out by hand from the worlds described in the fixtures.
"""

import pytest

from tests import factories as f

PROBLEM = "application/problem+json"

NRW = "050000000000"
BREMEN = "040000000000"
BREMERHAVEN = "040040000000"
BOCHUM = "059110000000"
MUELHEIM = "051170000000"
EN_KREIS = "059540000000"
WITTEN = "059540036036"
MK = "059620000000"  # Märkischer Kreis, no population on record
DATAPORT = "dataport"
UNKNOWN = "059999999999"

ELTERNGELD, HUNDESTEUER, WOHNGELD = "10000", "10601", "10200"
ELFE_NAME = "ELFE – Einfach Leistungen für Eltern"


@pytest.fixture
def world(client):
    """
    Länder: NRW (05); Bremen (04, city state: duties land+kreis+gemeinde).
    NRW > Bochum (367,101), Mülheim (170,000) (kreisfreie Städte); EN-Kreis > Witten;
    Märkischer Kreis (no population). Bremen > Bremerhaven (kreisfreie Stadt). Dataport.

    Services: Elterngeld 10000 (kreis), Hundesteuer 10601, Wohngeld 10200 (gemeinde).

    Solutions for Elterngeld (builder; efa; status; price; maturity):
      elfe               Bremen;   EfA; live;    flat 1,000 €/yr + 500 € onboarding;
                         requires_land_contract; 3 of model 1.1; fit_store
      elterngeld-digital Mülheim;  EfA; live;    free
      elterngeld-plus    Dataport; EfA; pilot;   flat 100 €/yr + 3,000 € onboarding
      elterngeld-kopf    Dataport; EfA; live;    per capita 1 cent
      elterngeld-lokal   Dataport; not EfA; live
      elterngeld-alt     Dataport; EfA; retired
    hundesteuer-online   Dataport; EfA; live; free (Hundesteuer)

    Adoptions: elfe live by Bremerhaven, EN-Kreis, Mülheim, Witten (a Gemeinde: not due
    for Elterngeld); elfe ended by MK; elterngeld-plus live by MK (a pilot: no offering);
    hundesteuer-online live by Bochum.

    Bochum offers Hundesteuer only: its gaps are Elterngeld and Wohngeld.
    """
    f.land(client, "05", "Nordrhein-Westfalen", population=18_000_000)
    city_state = ["land", "kreis", "gemeinde"]
    f.land(client, "04", "Freie Hansestadt Bremen", population=680_000, duties=city_state)
    f.post(
        client, "organisations", {"slug": DATAPORT, "name": "Dataport", "kind": "non_territorial"}
    )
    f.organisation(
        client, BOCHUM, "Bochum", "kreisfreie_stadt", NRW, slug="bochum", population=367_101
    )
    f.organisation(
        client, MUELHEIM, "Mülheim an der Ruhr", "kreisfreie_stadt", NRW, population=170_000
    )
    f.organisation(client, EN_KREIS, "Ennepe-Ruhr-Kreis", "kreis", NRW, population=320_000)
    f.organisation(client, WITTEN, "Witten", "gemeinde", EN_KREIS, population=96_000)
    f.organisation(client, MK, "Märkischer Kreis", "kreis", NRW)
    f.organisation(
        client, BREMERHAVEN, "Bremerhaven", "kreisfreie_stadt", BREMEN, population=113_000
    )

    f.service(client, ELTERNGELD, "kreis", name="Elterngeld", themenfeld="Familie & Kind")
    f.service(client, HUNDESTEUER, name="Hundesteuer", themenfeld="Steuern & Zoll")
    f.service(client, WOHNGELD, name="Wohngeld", themenfeld="Bauen & Wohnen")

    f.solution(
        client,
        "elfe",
        BREMEN,
        [ELTERNGELD],
        name=ELFE_NAME,
        efa=True,
        requires_land_contract=True,
        maturity=3,
        maturity_model="1.1",
        channel="fit_store",
        price={"model": "flat", "annual_fee_cents": 100_000, "onboarding_fee_cents": 50_000},
    )
    f.solution(client, "elterngeld-digital", MUELHEIM, [ELTERNGELD], efa=True)
    f.solution(
        client,
        "elterngeld-plus",
        DATAPORT,
        [ELTERNGELD],
        efa=True,
        status="pilot",
        price={"model": "flat", "annual_fee_cents": 10_000, "onboarding_fee_cents": 300_000},
    )
    f.solution(
        client,
        "elterngeld-kopf",
        DATAPORT,
        [ELTERNGELD],
        efa=True,
        price={"model": "per_capita", "per_capita_fee_cents": 1},
    )
    f.solution(client, "elterngeld-lokal", DATAPORT, [ELTERNGELD], efa=False)
    f.solution(client, "elterngeld-alt", DATAPORT, [ELTERNGELD], efa=True, status="retired")
    f.solution(client, "hundesteuer-online", DATAPORT, [HUNDESTEUER], efa=True)

    for org in (BREMERHAVEN, EN_KREIS, MUELHEIM, WITTEN):
        f.adoption(client, org, "elfe")
    f.adoption(client, MK, "elfe", "ended")
    f.adoption(client, MK, "elterngeld-plus")
    f.adoption(client, BOCHUM, "hundesteuer-online")


def _get(client, path):
    response = client.get(f"/api/v1/{path}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _candidates(client, org, service, query=""):
    body = _get(client, f"organisations/{org}/candidates?service={service}{query}")
    assert [s["service"]["ozg_id"] for s in body["services"]] == [service]
    return {c["solution"]: c for c in body["services"][0]["candidates"]}


def _set_status(client, adoption_id, status):
    response = client.patch(f"/api/v1/adoptions/{adoption_id}", json={"status": status})
    assert response.status_code == 200, response.get_json()


# --- candidates ----------------------------------------------------------------------


def test_candidates_exclude_retired_non_efa_and_own_solutions(client, world):
    # Bochum: elfe, elterngeld-digital, elterngeld-plus (pilot is allowed), elterngeld-kopf;
    # never elterngeld-lokal (not EfA) or elterngeld-alt (retired).
    found = _candidates(client, BOCHUM, ELTERNGELD)
    assert sorted(found) == ["elfe", "elterngeld-digital", "elterngeld-kopf", "elterngeld-plus"]
    # Mülheim built elterngeld-digital: not a candidate for itself.
    body = _get(client, f"organisations/{MUELHEIM}/candidates?service={ELTERNGELD}")
    assert body["services"][0]["offered"] is True
    found = {c["solution"] for c in body["services"][0]["candidates"]}
    assert found == {"elfe", "elterngeld-kopf", "elterngeld-plus"}


def test_candidate_blocked_without_land_contract(client, world):
    elfe = _candidates(client, BOCHUM, ELTERNGELD)["elfe"]
    assert elfe["requires_land_contract"] is True
    assert elfe["land_contracted"] is False
    assert elfe["blocked_reason"] is not None
    assert "Nordrhein-Westfalen" in elfe["blocked_reason"]
    # Solutions that need no Land contract are never blocked.
    digital = _candidates(client, BOCHUM, ELTERNGELD)["elterngeld-digital"]
    assert digital["requires_land_contract"] is False
    assert digital["blocked_reason"] is None


@pytest.mark.parametrize("status", ["interested", "ended"])
def test_land_interest_or_ended_contract_still_blocks(client, world, status):
    f.adoption(client, NRW, "elfe", status)
    elfe = _candidates(client, BOCHUM, ELTERNGELD)["elfe"]
    assert elfe["land_contracted"] is False
    assert elfe["blocked_reason"] is not None


@pytest.mark.parametrize(
    ("status", "scope"),
    [
        ("contracted", "self"),
        ("contracted", "subordinates"),
        ("onboarding", "self"),
        ("live", "self"),
    ],
)
def test_land_contract_unblocks(client, world, status, scope):
    f.adoption(client, NRW, "elfe", status, scope=scope)
    elfe = _candidates(client, BOCHUM, ELTERNGELD)["elfe"]
    assert elfe["land_contracted"] is True
    assert elfe["blocked_reason"] is None


def test_land_contract_signed_later_unblocks(client, world):
    adoption = f.adoption(client, NRW, "elfe", "interested")
    assert _candidates(client, BOCHUM, ELTERNGELD)["elfe"]["blocked_reason"] is not None
    _set_status(client, adoption["id"], "contracted")
    elfe = _candidates(client, BOCHUM, ELTERNGELD)["elfe"]
    assert (elfe["land_contracted"], elfe["blocked_reason"]) == (True, None)


def test_land_that_built_it_needs_no_contract(client, world):
    # Bremerhaven lies in Bremen, which built ELFE.
    elfe = _candidates(client, BREMERHAVEN, ELTERNGELD)["elfe"]
    assert elfe["land_contracted"] is True
    assert elfe["blocked_reason"] is None


def test_candidate_fields_and_adopter_counts(client, world):
    elfe = _candidates(client, BOCHUM, ELTERNGELD)["elfe"]
    # adopters (due for Elterngeld and offering it through ELFE): Bremen (built it; a city
    # state carries Kreis duties), Bremerhaven, EN-Kreis, Mülheim = 4. Not Witten (a
    # Gemeinde is not due for a Kreis service), not MK (ended).
    # adopters_in_land (NRW): EN-Kreis, Mülheim = 2.
    assert {k: v for k, v in elfe.items() if k not in ("cost", "score", "score_components")} == {
        "solution": "elfe",
        "solution_name": ELFE_NAME,
        "builder": BREMEN,
        "builder_name": "Freie Hansestadt Bremen",
        "status": "live",
        "maturity": 3,
        "maturity_model": "1.1",
        "channel": "fit_store",
        "requires_land_contract": True,
        "land_contracted": False,
        "blocked_reason": elfe["blocked_reason"],
        "adopters": 4,
        "adopters_in_land": 2,
        "in_progress": None,
        # named, nearest first: the EN-Kreis and Mülheim lie outside Bochum's Kreis and
        # Regierungsbezirk in this world; Witten runs it too but is not due (a Gemeinde)
        "nearby_adopters": [
            {
                "key": EN_KREIS,
                "name": "Ennepe-Ruhr-Kreis",
                "kind": "kreis",
                "population": 320_000,
                "distance": "land",
            },
            {
                "key": MUELHEIM,
                "name": "Mülheim an der Ruhr",
                "kind": "kreisfreie_stadt",
                "population": 170_000,
                "distance": "land",
            },
        ],
        # kreisfreie Städte of 244,734 to 550,651 inhabitants (367,101 ÷/× 1.5): none
        # runs ELFE here (Mülheim 170,000, Bremerhaven 113,000 are too small)
        "similar_adopters": [],
        "cost_unavailable": None,
    }
    # 50,000 + 5 × 100,000 = 550,000
    cost = elfe["cost"]
    assert (cost["onboarding_cents"], cost["annual_cents"], cost["years"]) == (50_000, 100_000, 5)
    assert (cost["total_cents"], cost["currency"]) == (550_000, "EUR")
    # Components: status live 1; maturity 3/4 = 0.75; adoption 4/(4+10) = 0.2857;
    # nearby 2/(2+3) = 0.4; cost 1/(1 + 5,500 €/10,000 €) = 1/1.55 = 0.6452.
    assert elfe["score_components"] == pytest.approx(
        {"status": 1.0, "maturity": 0.75, "adoption": 0.2857, "nearby": 0.4, "cost": 0.6452}
    )
    # 0.30 + 0.15 + 0.05714 + 0.06 + 0.09678 = 0.66392, halved (blocked) = 0.33196 -> 0.332
    assert elfe["score"] == pytest.approx(0.332)

    found = _candidates(client, BOCHUM, ELTERNGELD)
    # elterngeld-digital: Mülheim built it (due) = 1, in NRW = 1.
    digital = found["elterngeld-digital"]
    assert (digital["adopters"], digital["adopters_in_land"]) == (1, 1)
    # elterngeld-plus is a pilot: MK's live adoption gives no offering.
    plus = found["elterngeld-plus"]
    assert (plus["adopters"], plus["adopters_in_land"]) == (0, 0)
    # For Bremerhaven the same ELFE adopters, but 2 in its Land (Bremen, Bremerhaven).
    elfe_hb = _candidates(client, BREMERHAVEN, ELTERNGELD)["elfe"]
    assert (elfe_hb["adopters"], elfe_hb["adopters_in_land"]) == (4, 2)


def test_rollout_adopters_count(client, world):
    # NRW rolls ELFE out live to everybody below it: now EN-Kreis, MK, Bochum, Mülheim
    # (due, in NRW) + Bremen, Bremerhaven = 6 adopters, 4 in NRW.
    f.adoption(client, NRW, "elfe", scope="subordinates")
    elfe = _candidates(client, BOCHUM, ELTERNGELD)["elfe"]
    assert (elfe["adopters"], elfe["adopters_in_land"]) == (6, 4)


def test_sort_by_cost_cheapest_first_and_years_matter(client, world):
    # 5 years: digital 0; plus 300,000 + 5 × 10,000 = 350,000; elfe 50,000 + 5 × 100,000
    # = 550,000; kopf 5 × (1 × 367,101) = 1,835,505.
    body = _get(client, f"organisations/{BOCHUM}/candidates?service={ELTERNGELD}&sort=cost")
    listed = [(c["solution"], c["cost"]["total_cents"]) for c in body["services"][0]["candidates"]]
    assert listed == [
        ("elterngeld-digital", 0),
        ("elterngeld-plus", 350_000),
        ("elfe", 550_000),
        ("elterngeld-kopf", 1_835_505),
    ]
    # 1 year: digital 0; elfe 50,000 + 100,000 = 150,000; plus 300,000 + 10,000 = 310,000;
    # kopf 367,101.
    query = f"service={ELTERNGELD}&sort=cost&years=1"
    body = _get(client, f"organisations/{BOCHUM}/candidates?{query}")
    listed = [(c["solution"], c["cost"]["total_cents"]) for c in body["services"][0]["candidates"]]
    assert listed == [
        ("elterngeld-digital", 0),
        ("elfe", 150_000),
        ("elterngeld-plus", 310_000),
        ("elterngeld-kopf", 367_101),
    ]


def test_sort_by_cost_puts_unknown_cost_last(client, world):
    # MK has no population: the per-capita cost is unknown, listed last with the reason.
    body = _get(client, f"organisations/{MK}/candidates?service={ELTERNGELD}&sort=cost")
    listed = body["services"][0]["candidates"]
    assert [c["solution"] for c in listed] == [
        "elterngeld-digital",
        "elterngeld-plus",
        "elfe",
        "elterngeld-kopf",
    ]
    assert listed[-1]["cost"] is None
    assert "population" in listed[-1]["cost_unavailable"]


def test_sort_by_adopters(client, world):
    body = _get(client, f"organisations/{BOCHUM}/candidates?service={ELTERNGELD}&sort=adopters")
    listed = [(c["solution"], c["adopters"]) for c in body["services"][0]["candidates"]]
    assert listed[:2] == [("elfe", 4), ("elterngeld-digital", 1)]
    assert sorted(listed[2:]) == [("elterngeld-kopf", 0), ("elterngeld-plus", 0)]


def test_candidates_for_one_service_says_whether_offered(client, world):
    body = _get(client, f"organisations/{BOCHUM}/candidates?service={HUNDESTEUER}")
    assert body["organisation"]["key"] == BOCHUM
    [entry] = body["services"]
    assert entry["service"]["ozg_id"] == HUNDESTEUER
    assert entry["offered"] is True
    # Bochum's own live adoption makes it the one due adopter in NRW.
    assert [(c["solution"], c["adopters"], c["adopters_in_land"]) for c in entry["candidates"]] == [
        ("hundesteuer-online", 1, 1)
    ]


def test_candidates_for_every_gap(client, world):
    body = _get(client, f"organisations/{BOCHUM}/candidates?sort=cost")
    listed = [
        (s["service"]["ozg_id"], s["offered"], [c["solution"] for c in s["candidates"]])
        for s in body["services"]
    ]
    assert listed == [
        (
            ELTERNGELD,
            False,
            ["elterngeld-digital", "elterngeld-plus", "elfe", "elterngeld-kopf"],
        ),
        (WOHNGELD, False, []),
    ]


# --- gaps with their top candidates --------------------------------------------------


def test_gaps_carry_top_candidates(client, world):
    body = _get(client, f"organisations/{BOCHUM}/gaps?sort=cost&top=1")
    # Bochum: due Elterngeld (kreis), Hundesteuer and Wohngeld (gemeinde) = 3; offers
    # Hundesteuer.
    assert (body["due"], body["offered"]) == (3, 1)
    listed = [
        (
            g["service"]["ozg_id"],
            g["candidates_total"],
            [c["solution"] for c in g["top_candidates"]],
        )
        for g in body["gaps"]
    ]
    assert listed == [(ELTERNGELD, 4, ["elterngeld-digital"]), (WOHNGELD, 0, [])]
    # Default top 3.
    body = _get(client, f"organisations/{BOCHUM}/gaps?sort=cost")
    assert [c["solution"] for c in body["gaps"][0]["top_candidates"]] == [
        "elterngeld-digital",
        "elterngeld-plus",
        "elfe",
    ]
    # top=0: none inline, the total still told.
    body = _get(client, f"organisations/{BOCHUM}/gaps?top=0")
    assert [(g["candidates_total"], g["top_candidates"]) for g in body["gaps"]] == [
        (4, []),
        (0, []),
    ]


def _bare_counts(client, org):
    body = _get(client, f"organisations/{org}/gaps?top=0")
    return {g["service"]["ozg_id"]: g["candidates_total"] for g in body["gaps"]}


def _listed_counts(client, org):
    body = _get(client, f"organisations/{org}/candidates")
    return {s["service"]["ozg_id"]: len(s["candidates"]) for s in body["services"]}


def test_the_bare_counts_follow_every_solution_write(client, world):
    """The bare list reads each gap's count from service_candidates (materialised) less
    the asker's own solutions; the candidate list counts them afresh. They agree after
    each kind of write that moves a count, and a solution never counts for its builder."""

    def patch(slug, body):
        assert client.patch(f"/api/v1/solutions/{slug}", json=body).status_code == 200

    def counts(org):
        bare = _bare_counts(client, org)
        assert bare == {k: v for k, v in _listed_counts(client, org).items() if k in bare}
        return bare

    assert counts(BOCHUM) == {ELTERNGELD: 4, WOHNGELD: 0}
    patch("elterngeld-lokal", {"efa": True})  # EfA now: a candidate
    assert counts(BOCHUM) == {ELTERNGELD: 5, WOHNGELD: 0}
    patch("elterngeld-plus", {"status": "retired"})
    assert counts(BOCHUM) == {ELTERNGELD: 4, WOHNGELD: 0}
    patch("elterngeld-kopf", {"services": [ELTERNGELD, WOHNGELD]})
    assert counts(BOCHUM) == {ELTERNGELD: 4, WOHNGELD: 1}
    # Bochum's own pilot for Wohngeld (not live: no offering, so still a gap): a
    # candidate for Witten, not for Bochum.
    f.solution(client, "wohngeld-bochum", BOCHUM, [WOHNGELD], efa=True, status="pilot")
    assert counts(BOCHUM) == {ELTERNGELD: 4, WOHNGELD: 1}
    assert counts(WITTEN)[WOHNGELD] == 2
    assert client.delete("/api/v1/solutions/elterngeld-lokal").status_code == 204
    assert counts(BOCHUM) == {ELTERNGELD: 3, WOHNGELD: 1}


def test_gaps_years_change_the_candidate_cost(client, world):
    body = _get(client, f"organisations/{BOCHUM}/gaps?sort=cost&years=2")
    costs = [c["cost"]["total_cents"] for c in body["gaps"][0]["top_candidates"]]
    # digital 0; elfe 50,000 + 2 × 100,000 = 250,000; plus 300,000 + 2 × 10,000 = 320,000
    assert costs == [0, 250_000, 320_000]


# --- search --------------------------------------------------------------------------


@pytest.fixture
def texts(client):
    """Records to search: services Hundesteuer, Kampfhundeerlaubnis, Tierhaltung (Lebenslage
    'Hund anmelden'), Elterngeld, Umweltplakette (Themenfeld Umwelt); the solution ELFE;
    Mülheim an der Ruhr and Bochum."""
    f.land(client, "05", "Nordrhein-Westfalen")
    f.organisation(client, MUELHEIM, "Mülheim an der Ruhr", "kreisfreie_stadt", NRW)
    f.organisation(client, BOCHUM, "Bochum", "kreisfreie_stadt", NRW)
    f.service(client, HUNDESTEUER, name="Hundesteuer", themenfeld="Steuern & Zoll")
    f.service(client, "10602", name="Kampfhundeerlaubnis", themenfeld="Recht & Ordnung")
    f.service(client, "10603", name="Tierhaltung", themenfeld="Umwelt", lebenslage="Hund anmelden")
    f.service(client, ELTERNGELD, "kreis", name="Elterngeld", themenfeld="Familie & Kind")
    f.service(client, "10700", name="Umweltplakette", themenfeld="Umwelt")
    f.solution(client, "elfe", NRW, [ELTERNGELD], name=ELFE_NAME)


def _search(client, query):
    body = _get(client, f"search?{query}")
    return [(h["type"], h["key"], h["name"]) for h in body["items"]], body


def test_search_hund_finds_the_dog_tax_by_compound_ranked(client, texts):
    hits, body = _search(client, "q=hund")
    # Name word starts with 'hund' (3), name contains it (2), only the Lebenslage (1).
    assert hits == [
        ("service", HUNDESTEUER, "Hundesteuer"),
        ("service", "10602", "Kampfhundeerlaubnis"),
        ("service", "10603", "Tierhaltung"),
    ]
    assert [h["score"] for h in body["items"]] == [3, 2, 1]
    first = body["items"][0]
    assert first["href"] == f"/api/v1/services/{HUNDESTEUER}"
    assert first["detail"] == "Steuern & Zoll"
    assert body["pagination"] == {"page": 1, "page_size": 50, "total_items": 3, "total_pages": 1}
    # Inflected and capitalised forms find the same.
    assert _search(client, "q=Hunde")[0] == hits
    assert _search(client, "q=HUNDESTEUER")[0][0] == ("service", HUNDESTEUER, "Hundesteuer")


def test_search_eltern_finds_elterngeld_and_elfe(client, texts):
    hits, body = _search(client, "q=eltern")
    assert ("service", ELTERNGELD, "Elterngeld") in hits
    assert ("solution", "elfe", ELFE_NAME) in hits
    # Both name words start with it (score 3); services list before solutions.
    assert hits[:2] == [("service", ELTERNGELD, "Elterngeld"), ("solution", "elfe", ELFE_NAME)]
    assert body["items"][1]["href"] == "/api/v1/solutions/elfe"


def test_search_eltern_does_not_find_unrelated_words(client, texts):
    # 'eltern' must not be cut down so far that it matches inside 'Umwelt'.
    hits, _ = _search(client, "q=eltern")
    assert hits == [("service", ELTERNGELD, "Elterngeld"), ("solution", "elfe", ELFE_NAME)]


@pytest.mark.parametrize("query", ["muelheim", "Mülheim", "M%C3%BCLHEIM", "mülheim ruhr"])
def test_search_umlauts_either_way(client, texts, query):
    hits, body = _search(client, f"q={query}")
    assert hits == [("organisation", MUELHEIM, "Mülheim an der Ruhr")]
    assert body["items"][0]["href"] == f"/api/v1/organisations/{MUELHEIM}"
    assert body["items"][0]["detail"] == "kreisfreie_stadt"


def test_search_every_word_must_match(client, texts):
    assert _search(client, "q=muelheim bochum")[0] == []
    assert _search(client, "q=gibtsnicht")[0] == []


def test_search_type_filter(client, texts):
    assert _search(client, "q=eltern&type=solution")[0] == [("solution", "elfe", ELFE_NAME)]
    hits, _ = _search(client, "q=eltern&type=service")
    assert ("solution", "elfe", ELFE_NAME) not in hits
    assert hits[0] == ("service", ELTERNGELD, "Elterngeld")
    assert _search(client, "q=hund&type=organisation")[0] == []
    hits, _ = _search(client, "q=ruhr&type=organisation&type=solution")
    assert hits == [("organisation", MUELHEIM, "Mülheim an der Ruhr")]


def test_search_pagination(client, texts):
    hits, body = _search(client, "q=hund&page=2&page_size=2")
    assert hits == [("service", "10603", "Tierhaltung")]
    assert body["pagination"] == {"page": 2, "page_size": 2, "total_items": 3, "total_pages": 2}
    hits, body = _search(client, "q=hund&page=3&page_size=2")
    assert hits == []
    assert body["pagination"]["total_items"] == 3


# --- errors: unknown records 404, invalid parameters 422 -----------------------------


def _not_found(response, key):
    assert response.status_code == 404, response.get_json()
    assert response.content_type == PROBLEM
    problem = response.get_json()
    assert problem["status"] == 404
    assert key in problem["detail"], problem
    return problem


def _invalid(response, field):
    assert response.status_code == 422, response.get_json()
    assert response.content_type == PROBLEM
    problem = response.get_json()
    assert problem["status"] == 422
    assert any(name == field or name.startswith(f"{field}.") for name in problem["errors"]), problem
    return problem


@pytest.mark.parametrize(
    ("path", "key"),
    [
        (f"organisations/{UNKNOWN}/gaps", UNKNOWN),
        ("organisations/niemand/gaps", "niemand"),
        (f"organisations/{UNKNOWN}/candidates", UNKNOWN),
        (f"organisations/{BOCHUM}/candidates?service=99999", "99999"),
        (f"solutions/gibt-es-nicht/cost?for={BOCHUM}", "gibt-es-nicht"),
        ("services/99999/coverage", "99999"),
        (f"services/{ELTERNGELD}/coverage?region={UNKNOWN}", UNKNOWN),
        (f"organisations/{UNKNOWN}/scorecard", UNKNOWN),
        (f"organisations/{UNKNOWN}/compare/{BOCHUM}", UNKNOWN),
        (f"organisations/{BOCHUM}/compare/{UNKNOWN}", UNKNOWN),
        (f"rankings?region={UNKNOWN}", UNKNOWN),
    ],
)
def test_unknown_records_are_404_problems_naming_them(client, world, path, key):
    _not_found(client.get(f"/api/v1/{path}"), key)


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (f"organisations/{BOCHUM}/gaps?sort=price", "sort"),
        (f"organisations/{BOCHUM}/gaps?years=0", "years"),
        (f"organisations/{BOCHUM}/gaps?years=31", "years"),
        (f"organisations/{BOCHUM}/gaps?top=-1", "top"),
        (f"organisations/{BOCHUM}/gaps?top=21", "top"),
        (f"organisations/{BOCHUM}/gaps?colour=blue", "colour"),
        (f"organisations/{BOCHUM}/candidates?sort=price", "sort"),
        (f"organisations/{BOCHUM}/candidates?years=0", "years"),
        (f"organisations/{BOCHUM}/candidates?years=31", "years"),
        (f"organisations/{BOCHUM}/candidates?service=abc", "service"),
        (f"solutions/elfe/cost?for={BOCHUM}&years=0", "years"),
        ("solutions/elfe/cost", "for"),
        (f"services/{ELTERNGELD}/coverage?kind=stadt", "kind"),
        (f"services/{ELTERNGELD}/coverage?region=Kein%20Schluessel", "region"),
        ("rankings?kind=stadt", "kind"),
        ("rankings?page=0", "page"),
        ("rankings?page_size=501", "page_size"),
        ("search?q=h", "q"),
        ("search", "q"),
        ("search?q=hund&type=gemeinde", "type"),
    ],
)
def test_invalid_parameters_are_422_naming_them(client, world, path, field):
    _invalid(client.get(f"/api/v1/{path}"), field)
