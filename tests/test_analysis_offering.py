"""Duties and effective offering, pinned on a hand-built world with hand-written answers.

Every expected figure below is worked out by hand from the table in `world`'s docstring
(DESIGN §2: duties by kind, the city-state override, live adoptions, `subordinates`
rollouts by ancestors, solutions built by the organisation; only `live` solutions count).
"""

import pytest

from tests import factories as f

PROBLEM = "application/problem+json"

BUND = "bund"
NRW = "050000000000"
HAMBURG = "020000000000"
EN_KREIS = "059540000000"  # Ennepe-Ruhr-Kreis
WITTEN = "059540036036"  # Gemeinde in EN-Kreis
HATTINGEN = "059540020020"  # Gemeinde in EN-Kreis
MK = "059620000000"  # Märkischer Kreis (sibling Kreis)
ISERLOHN = "059620024024"  # Gemeinde in Märkischer Kreis
BOCHUM = "059110000000"  # kreisfreie Stadt
MUELHEIM = "051170000000"  # kreisfreie Stadt
DATAPORT = "dataport"  # non-territorial builder

# Services by executing level.
B1 = "00001"
L1, L2 = "00011", "00012"
K1, K2, K3 = "00021", "00022", "00023"
G1, G2, G3, G4 = "00031", "00032", "00033", "00034"


@pytest.fixture
def world(client):
    """
    Organisations: Bund > NRW (land) > EN-Kreis > Witten, Hattingen;
    NRW > Märkischer Kreis > Iserlohn; NRW > Bochum, Mülheim (kreisfreie Städte);
    Bund > Hamburg (land, duties override land+kreis+gemeinde); Dataport (non-territorial).

    Services: B1 (bund); L1, L2 (land); K1, K2, K3 (kreis); G1, G2, G3, G4 (gemeinde).

    Solutions (builder: services, status):
      g1-online   Dataport: K1, G1      live
      g2-kreis    Dataport: G2          live
      g3-multi    Dataport: G3          live
      g4-pilot    Dataport: G4          pilot
      g4-retired  Dataport: G4          retired
      hh-all      Dataport: L2, K3, G4  live
      k2-bochum   Bochum:   K2          live   (built by Bochum)
      g2-bochum   Bochum:   G2          development (built by Bochum)
      l1-nrw      NRW:      L1          live   (built by NRW)

    Adoptions (organisation -> solution: status, scope):
      NRW -> g1-online: live, subordinates      (reaches every Kreis, Gemeinde, city in NRW)
      Witten -> g1-online: live, self           (also covered by the rollout: counts once)
      EN-Kreis -> g2-kreis: live, subordinates  (Witten, Hattingen; not Iserlohn)
      NRW -> g3-multi: ended, subordinates      (does not count)
      MK -> g3-multi: onboarding, subordinates  (does not count)
      Witten -> g3-multi: interested            (does not count)
      Iserlohn -> g3-multi: ended               (does not count)
      Bochum -> g3-multi: contracted            (does not count)
      Hattingen -> g3-multi: live               (counts)
      Mülheim -> g3-multi: live                 (counts)
      Witten -> g4-pilot: live                  (pilot solution: does not count)
      MK -> g4-pilot: live, subordinates        (pilot solution: does not count)
      Iserlohn -> g4-retired: live              (retired solution: does not count)
      Bochum -> hh-all: live
      Hamburg -> hh-all: live
    """
    f.land(client, "05", "Nordrhein-Westfalen")
    f.land(client, "02", "Hamburg", duties=["land", "kreis", "gemeinde"])
    f.post(
        client, "organisations", {"slug": DATAPORT, "name": "Dataport", "kind": "non_territorial"}
    )
    f.organisation(client, EN_KREIS, "Ennepe-Ruhr-Kreis", "kreis", NRW)
    f.organisation(client, WITTEN, "Witten", "gemeinde", EN_KREIS)
    f.organisation(client, HATTINGEN, "Hattingen", "gemeinde", EN_KREIS)
    f.organisation(client, MK, "Märkischer Kreis", "kreis", NRW)
    f.organisation(client, ISERLOHN, "Iserlohn", "gemeinde", MK)
    f.organisation(client, BOCHUM, "Bochum", "kreisfreie_stadt", NRW)
    f.organisation(client, MUELHEIM, "Mülheim an der Ruhr", "kreisfreie_stadt", NRW)

    f.service(client, B1, "bund")
    for ozg_id in (L1, L2):
        f.service(client, ozg_id, "land")
    for ozg_id in (K1, K2, K3):
        f.service(client, ozg_id, "kreis")
    for ozg_id in (G1, G2, G3, G4):
        f.service(client, ozg_id, "gemeinde")

    f.solution(client, "g1-online", DATAPORT, [K1, G1], efa=True)
    f.solution(client, "g2-kreis", DATAPORT, [G2], efa=True)
    f.solution(client, "g3-multi", DATAPORT, [G3], efa=True)
    f.solution(client, "g4-pilot", DATAPORT, [G4], efa=True, status="pilot")
    f.solution(client, "g4-retired", DATAPORT, [G4], efa=True, status="retired")
    f.solution(client, "hh-all", DATAPORT, [L2, K3, G4], efa=True)
    f.solution(client, "k2-bochum", BOCHUM, [K2], efa=True)
    f.solution(client, "g2-bochum", BOCHUM, [G2], efa=True, status="development")
    f.solution(client, "l1-nrw", NRW, [L1], efa=True)

    f.adoption(client, NRW, "g1-online", scope="subordinates")
    f.adoption(client, WITTEN, "g1-online")
    f.adoption(client, EN_KREIS, "g2-kreis", scope="subordinates")
    f.adoption(client, NRW, "g3-multi", "ended", scope="subordinates")
    f.adoption(client, MK, "g3-multi", "onboarding", scope="subordinates")
    f.adoption(client, WITTEN, "g3-multi", "interested")
    f.adoption(client, ISERLOHN, "g3-multi", "ended")
    f.adoption(client, BOCHUM, "g3-multi", "contracted")
    f.adoption(client, HATTINGEN, "g3-multi")
    f.adoption(client, MUELHEIM, "g3-multi")
    f.adoption(client, WITTEN, "g4-pilot")
    f.adoption(client, MK, "g4-pilot", scope="subordinates")
    f.adoption(client, ISERLOHN, "g4-retired")
    f.adoption(client, BOCHUM, "hh-all")
    f.adoption(client, HAMBURG, "hh-all")


def _get(client, path):
    response = client.get(f"/api/v1/{path}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _gaps(client, org):
    body = _get(client, f"organisations/{org}/gaps")
    return body["due"], body["offered"], [g["service"]["ozg_id"] for g in body["gaps"]]


# --- gaps: due, offered, the exact gap list ------------------------------------------


def test_land_rollout_reaches_kreis_and_gemeinde_below(client, world):
    # Witten: due G1-G4 (4). G1 via NRW's live rollout (and its own live adoption, counted
    # once), G2 via EN-Kreis's rollout. G3 only `interested`, G4 only through a pilot.
    assert _gaps(client, WITTEN) == (4, 2, [G3, G4])
    # EN-Kreis: due K1-K3 (3). K1 via NRW's rollout of g1-online.
    assert _gaps(client, EN_KREIS) == (3, 1, [K2, K3])


def test_kreis_rollout_counts_for_its_gemeinde_not_for_a_sibling_kreis_gemeinde(client, world):
    # Hattingen (EN-Kreis): G1 (NRW rollout), G2 (EN-Kreis rollout), G3 (own live) = 3 of 4.
    assert _gaps(client, HATTINGEN) == (4, 3, [G4])
    # Iserlohn (Märkischer Kreis): only G1 (NRW rollout). G2 is rolled out by the other
    # Kreis; G3 ended (own) / onboarding (MK rollout); G4 a retired solution. 1 of 4.
    assert _gaps(client, ISERLOHN) == (4, 1, [G2, G3, G4])
    # Märkischer Kreis itself: K1 via NRW. Its onboarding/pilot rollouts do not count.
    assert _gaps(client, MK) == (3, 1, [K2, K3])


def test_kreisfreie_stadt_carries_kreis_and_gemeinde_duties(client, world):
    # Bochum: due K1-K3 + G1-G4 = 7. Offered: K1, G1 (NRW rollout of g1-online), K2 (built
    # k2-bochum, live), K3, G4 (own live adoption of hh-all) = 5. G2: it built g2-bochum,
    # but that is in development; G3: only contracted.
    assert _gaps(client, BOCHUM) == (7, 5, [G2, G3])
    # Mülheim: K1, G1 (rollout), G3 (own live adoption) = 3 of 7.
    assert _gaps(client, MUELHEIM) == (7, 3, [K2, K3, G2, G4])


def test_city_state_override_carries_land_kreis_and_gemeinde_duties(client, world):
    # Hamburg: due L1, L2, K1-K3, G1-G4 = 9; hh-all (live adoption) covers L2, K3, G4.
    # NRW's rollout does not reach it (not below NRW).
    assert _gaps(client, HAMBURG) == (9, 3, [L1, K1, K2, G1, G2, G3])


def test_land_without_override_and_bund_carry_only_their_level(client, world):
    # NRW: due L1, L2 = 2; L1 built by NRW (live). Its own adoptions of g1-online (K1, G1)
    # are not its duties and change nothing.
    assert _gaps(client, NRW) == (2, 1, [L2])
    # Bund: due B1, nobody offers it.
    assert _gaps(client, BUND) == (1, 0, [B1])
    # A non-territorial body is due for nothing.
    assert _gaps(client, DATAPORT) == (0, 0, [])


def test_gap_items_name_the_service(client, world):
    body = _get(client, f"organisations/{WITTEN}/gaps")
    assert body["organisation"] == {
        "key": WITTEN,
        "name": "Witten",
        "kind": "gemeinde",
        "land_code": "05",
    }
    assert body["gaps"][0]["service"] == {
        "ozg_id": G3,
        "name": f"Leistung {G3}",
        "themenfeld": "Querschnitt",
        "executing_level": "gemeinde",
    }


def test_non_live_adoption_statuses_never_count(client, world):
    # A fresh Gemeinde in EN-Kreis gets G1 and G2 by rollout; adopting g3-multi in every
    # status but `live` changes nothing, `live` adds G3.
    f.organisation(client, "059540004004", "Ennepetal", "gemeinde", EN_KREIS)
    assert _gaps(client, "059540004004") == (4, 2, [G3, G4])
    adoption = f.adoption(client, "059540004004", "g3-multi", "interested")
    for status in ("interested", "contracted", "onboarding", "ended"):
        current = client.get(f"/api/v1/adoptions/{adoption['id']}")
        response = client.patch(
            f"/api/v1/adoptions/{adoption['id']}",
            json={"status": status},
            headers={"If-Match": current.headers["ETag"]},
        )
        assert response.status_code == 200, response.get_json()
        assert _gaps(client, "059540004004") == (4, 2, [G3, G4]), status
    current = client.get(f"/api/v1/adoptions/{adoption['id']}")
    response = client.patch(
        f"/api/v1/adoptions/{adoption['id']}",
        json={"status": "live"},
        headers={"If-Match": current.headers["ETag"]},
    )
    assert response.status_code == 200, response.get_json()
    assert _gaps(client, "059540004004") == (4, 3, [G4])


def test_retired_solution_is_never_offered_even_when_built_or_rolled_out(client, world):
    # Retire hh-all: Bochum loses K3 and G4, Hamburg loses everything.
    current = client.get("/api/v1/solutions/hh-all")
    response = client.patch(
        "/api/v1/solutions/hh-all",
        json={"status": "retired"},
        headers={"If-Match": current.headers["ETag"]},
    )
    assert response.status_code == 200, response.get_json()
    assert _gaps(client, BOCHUM) == (7, 3, [K3, G2, G3, G4])
    assert _gaps(client, HAMBURG) == (9, 0, [L1, L2, K1, K2, K3, G1, G2, G3, G4])
    # A retired solution built by the organisation itself does not count either.
    f.solution(client, "l2-nrw-old", NRW, [L2], status="retired")
    assert _gaps(client, NRW) == (2, 1, [L2])


# --- scorecard -----------------------------------------------------------------------


def _scorecard(client, org):
    body = _get(client, f"organisations/{org}/scorecard")
    return (
        body["due"],
        body["offered"],
        body["percent"],
        body["rank_in_land"],
        body["rank_nationwide"],
    )


def test_scorecard_kreisfreie_staedte(client, world):
    # Bochum 5 of 7 = 71.43 % -> 71.4; Mülheim 3 of 7 = 42.86 % -> 42.9.
    # Peers: the two kreisfreie Städte, both in NRW.
    assert _scorecard(client, BOCHUM) == (
        7,
        5,
        71.4,
        {"rank": 1, "peers": 2},
        {"rank": 1, "peers": 2},
    )
    assert _scorecard(client, MUELHEIM) == (
        7,
        3,
        42.9,
        {"rank": 2, "peers": 2},
        {"rank": 2, "peers": 2},
    )


def test_scorecard_gemeinden_and_tied_kreise(client, world):
    # Gemeinden: Hattingen 3, Witten 2, Iserlohn 1.
    assert _scorecard(client, WITTEN) == (
        4,
        2,
        50.0,
        {"rank": 2, "peers": 3},
        {"rank": 2, "peers": 3},
    )
    assert _scorecard(client, ISERLOHN) == (
        4,
        1,
        25.0,
        {"rank": 3, "peers": 3},
        {"rank": 3, "peers": 3},
    )
    # Both Kreise offer 1 of 3 (33.33 % -> 33.3): a tie shares rank 1.
    for kreis in (EN_KREIS, MK):
        assert _scorecard(client, kreis) == (
            3,
            1,
            33.3,
            {"rank": 1, "peers": 2},
            {"rank": 1, "peers": 2},
        )


def test_scorecard_laender_and_bund(client, world):
    # Länder nationwide: Hamburg 3, NRW 1. In its own Land each is alone.
    assert _scorecard(client, HAMBURG) == (
        9,
        3,
        33.3,
        {"rank": 1, "peers": 1},
        {"rank": 1, "peers": 2},
    )
    assert _scorecard(client, NRW) == (2, 1, 50.0, {"rank": 1, "peers": 1}, {"rank": 2, "peers": 2})
    # The Bund has no Land: 0 of 1 = 0.0 %.
    assert _scorecard(client, BUND) == (1, 0, 0.0, None, {"rank": 1, "peers": 1})
    # Nothing due: no percent, no rank.
    assert _scorecard(client, DATAPORT) == (0, 0, None, None, None)


def test_scorecard_of_non_territorial_bodies_with_duties(client, world):
    """A body of no territory that carries duties stands among the non-territorial ones:
    in its Land when it has one, and nationwide (its kind and Land as its
    organisation_offered row holds them); one without duties stands nowhere."""
    f.post(
        client,
        "organisations",
        {
            "slug": "d-nrw",
            "name": "d-NRW",
            "kind": "non_territorial",
            "land_code": "05",
            "duties": ["kreis"],
        },
    )
    f.post(
        client,
        "organisations",
        {"slug": "govdigital", "name": "govdigital", "kind": "non_territorial", "duties": ["bund"]},
    )
    f.adoption(client, "d-nrw", "hh-all")  # K3; no rollout reaches a body without parent
    # d-NRW: the three Kreis services of NRW, one offered (33.3 %); alone in NRW, first of
    # the two nationwide. govdigital: B1 due, none offered; no Land; second nationwide.
    assert _scorecard(client, "d-nrw") == (
        3,
        1,
        33.3,
        {"rank": 1, "peers": 1},
        {"rank": 1, "peers": 2},
    )
    assert _scorecard(client, "govdigital") == (1, 0, 0.0, None, {"rank": 2, "peers": 2})
    assert _scorecard(client, DATAPORT) == (0, 0, None, None, None)


def test_budget_of_an_unknown_organisation_is_404_before_a_bad_pick(client, world):
    """The organisation is looked up before the picks are judged (the lookup is the gap
    statement's head row): 404, not 422."""
    for key in ("059999999999", "no-such-body"):
        response = client.get(f"/api/v1/organisations/{key}/budget?pick=no-such-solution")
        assert response.status_code == 404, key
        assert response.mimetype == "application/problem+json"
    response = client.get(f"/api/v1/organisations/{WITTEN}/budget?pick=no-such-solution")
    assert response.status_code == 422
    assert "pick" in response.get_json()["errors"]


# --- compare -------------------------------------------------------------------------


def _diff(items):
    return [
        (i["service"]["ozg_id"], [(s["slug"], s["via"]) for s in i["solutions"]]) for i in items
    ]


def _compare(client, a, b):
    body = _get(client, f"organisations/{a}/compare/{b}")
    assert body["a"]["key"] == a and body["b"]["key"] == b
    return _diff(body["b_offers_a_lacks"]), _diff(body["a_offers_b_lacks"])


def test_compare_two_kreisfreie_staedte_both_directions(client, world):
    # Mülheim offers G3 (own adoption of g3-multi), which Bochum lacks; Bochum offers K2
    # (built), K3 and G4 (adoption of hh-all), which Mülheim lacks.
    bochum_has = [
        (K2, [("k2-bochum", "built")]),
        (K3, [("hh-all", "adoption")]),
        (G4, [("hh-all", "adoption")]),
    ]
    muelheim_has = [(G3, [("g3-multi", "adoption")])]
    assert _compare(client, BOCHUM, MUELHEIM) == (muelheim_has, bochum_has)
    assert _compare(client, MUELHEIM, BOCHUM) == (bochum_has, muelheim_has)


def test_compare_gemeinde_with_city_only_lists_the_lacking_sides_duties(client, world):
    # Bochum offers K1, K2, K3 too, but Witten is not due for Kreis services: only G4.
    # Witten offers G2 through EN-Kreis's rollout; Bochum lacks it.
    assert _compare(client, WITTEN, BOCHUM) == (
        [(G4, [("hh-all", "adoption")])],
        [(G2, [("g2-kreis", "rollout")])],
    )
    assert _compare(client, BOCHUM, WITTEN) == (
        [(G2, [("g2-kreis", "rollout")])],
        [(G4, [("hh-all", "adoption")])],
    )


def test_compare_city_state_with_city(client, world):
    # Hamburg lacks K1, K2, G1 that Bochum offers; Bochum offers everything Hamburg does
    # that it is due for (L2 is not its duty).
    assert _compare(client, HAMBURG, BOCHUM) == (
        [
            (K1, [("g1-online", "rollout")]),
            (K2, [("k2-bochum", "built")]),
            (G1, [("g1-online", "rollout")]),
        ],
        [],
    )


def test_compare_siblings_in_different_kreise(client, world):
    assert _compare(client, ISERLOHN, WITTEN) == ([(G2, [("g2-kreis", "rollout")])], [])


def test_compare_names_the_most_direct_way_a_solution_reaches_the_offering_side(client, world):
    """Witten adopts g1-online itself and has it through NRW's rollout as well (K1 too,
    which it is not due for, but Hamburg is); Bochum built k2-bochum and, here, adopts it
    too: one entry per solution, the way most its own (built, then adoption, rollout)."""
    f.adoption(client, BOCHUM, "k2-bochum")
    assert _compare(client, HAMBURG, WITTEN) == (
        [
            (K1, [("g1-online", "adoption")]),
            (G1, [("g1-online", "adoption")]),
            (G2, [("g2-kreis", "rollout")]),
        ],
        [(G4, [("hh-all", "adoption")])],
    )
    assert _compare(client, HAMBURG, BOCHUM)[0][1] == (K2, [("k2-bochum", "built")])


# --- coverage ------------------------------------------------------------------------


def _coverage(client, ozg_id, query=""):
    body = _get(client, f"services/{ozg_id}/coverage{query}")
    per_land = [
        (p["land_code"], p["land_name"], p["due"], p["offering"], p["percent"])
        for p in body["per_land"]
    ]
    solutions = [(s["slug"], s["organisations"]) for s in body["solutions"]]
    return body["due"], body["offering"], body["percent"], per_land, solutions


def test_coverage_per_land(client, world):
    # G1: due Witten, Hattingen, Iserlohn, Bochum, Mülheim (NRW: 5) and Hamburg (1).
    # All five in NRW get it by NRW's rollout (NRW itself is not due: not counted).
    # 5 of 6 = 83.33 % -> 83.3.
    assert _coverage(client, G1) == (
        6,
        5,
        83.3,
        [("02", "Hamburg", 1, 0, 0.0), ("05", "Nordrhein-Westfalen", 5, 5, 100.0)],
        [("g1-online", 5)],
    )
    # G2: Witten and Hattingen (EN-Kreis rollout) of 5 in NRW = 40.0; 2 of 6 = 33.3.
    assert _coverage(client, G2) == (
        6,
        2,
        33.3,
        [("02", "Hamburg", 1, 0, 0.0), ("05", "Nordrhein-Westfalen", 5, 2, 40.0)],
        [("g2-kreis", 2)],
    )
    # G4: Bochum (hh-all) of 5 in NRW = 20.0; Hamburg 1 of 1; pilot/retired never count.
    assert _coverage(client, G4) == (
        6,
        2,
        33.3,
        [("02", "Hamburg", 1, 1, 100.0), ("05", "Nordrhein-Westfalen", 5, 1, 20.0)],
        [("hh-all", 2)],
    )


def test_coverage_kind_filter(client, world):
    # G2 among Gemeinden: Witten, Hattingen of Witten, Hattingen, Iserlohn: 2 of 3 -> 66.7.
    assert _coverage(client, G2, "?kind=gemeinde") == (
        3,
        2,
        66.7,
        [("05", "Nordrhein-Westfalen", 3, 2, 66.7)],
        [("g2-kreis", 2)],
    )
    # G3 among Gemeinden: Hattingen only: 1 of 3 -> 33.3 (Mülheim is a kreisfreie Stadt).
    assert _coverage(client, G3, "?kind=gemeinde") == (
        3,
        1,
        33.3,
        [("05", "Nordrhein-Westfalen", 3, 1, 33.3)],
        [("g3-multi", 1)],
    )
    body = _get(client, f"services/{G3}/coverage?kind=gemeinde")
    assert body["kind"] == "gemeinde" and body["region"] is None
    # Kreise are not due for Gemeinde services: nobody due, percent null.
    assert _coverage(client, G1, "?kind=kreis") == (0, 0, None, [], [])


def test_coverage_region_filter(client, world):
    # Below Märkischer Kreis only Iserlohn is due for G1, and it has it: 1 of 1.
    assert _coverage(client, G1, f"?region={MK}") == (
        1,
        1,
        100.0,
        [("05", "Nordrhein-Westfalen", 1, 1, 100.0)],
        [("g1-online", 1)],
    )
    # K3 below NRW: EN-Kreis, MK, Bochum, Mülheim due; Bochum offers (hh-all): 1 of 4.
    assert _coverage(client, K3, f"?region={NRW}") == (
        4,
        1,
        25.0,
        [("05", "Nordrhein-Westfalen", 4, 1, 25.0)],
        [("hh-all", 1)],
    )
    body = _get(client, f"services/{K3}/coverage?region={NRW}&kind=kreis")
    assert (body["due"], body["offering"], body["percent"]) == (2, 0, 0.0)
    assert body["region"]["key"] == NRW
    # Nobody in NRW is due for the Bund's service.
    assert _coverage(client, B1, f"?region={NRW}") == (0, 0, None, [], [])


# --- rankings ------------------------------------------------------------------------


def _ranking(client, query=""):
    body = _get(client, f"rankings{query}")
    items = [
        (i["rank"], i["organisation"]["name"], i["offered"], i["due"], i["percent"])
        for i in body["items"]
    ]
    return items, body["pagination"]


def test_rankings_competition_ranks(client, world):
    items, pagination = _ranking(client)
    # Ties share a rank, the next rank skips (3 share rank 2 -> next is 5; 4 share rank 6
    # -> next is 10); ties are listed by name. Non-territorial Dataport is due for nothing.
    assert items == [
        (1, "Bochum", 5, 7, 71.4),
        (2, "Hamburg", 3, 9, 33.3),
        (2, "Hattingen", 3, 4, 75.0),
        (2, "Mülheim an der Ruhr", 3, 7, 42.9),
        (5, "Witten", 2, 4, 50.0),
        (6, "Ennepe-Ruhr-Kreis", 1, 3, 33.3),
        (6, "Iserlohn", 1, 4, 25.0),
        (6, "Märkischer Kreis", 1, 3, 33.3),
        (6, "Nordrhein-Westfalen", 1, 2, 50.0),
        (10, "Bund", 0, 1, 0.0),
    ]
    assert pagination == {"page": 1, "page_size": 50, "total_items": 10, "total_pages": 1}


def test_rankings_pagination(client, world):
    items, pagination = _ranking(client, "?page=2&page_size=4")
    assert [(rank, name) for rank, name, *_ in items] == [
        (5, "Witten"),
        (6, "Ennepe-Ruhr-Kreis"),
        (6, "Iserlohn"),
        (6, "Märkischer Kreis"),
    ]
    assert pagination == {"page": 2, "page_size": 4, "total_items": 10, "total_pages": 3}


def test_rankings_region_and_kind_filters(client, world):
    items, pagination = _ranking(client, f"?region={NRW}")
    assert [(rank, name) for rank, name, *_ in items] == [
        (1, "Bochum"),
        (2, "Hattingen"),
        (2, "Mülheim an der Ruhr"),
        (4, "Witten"),
        (5, "Ennepe-Ruhr-Kreis"),
        (5, "Iserlohn"),
        (5, "Märkischer Kreis"),
        (5, "Nordrhein-Westfalen"),
    ]
    assert pagination["total_items"] == 8
    items, _ = _ranking(client, "?kind=gemeinde")
    assert items == [
        (1, "Hattingen", 3, 4, 75.0),
        (2, "Witten", 2, 4, 50.0),
        (3, "Iserlohn", 1, 4, 25.0),
    ]
    items, _ = _ranking(client, "?kind=kreis")
    assert items == [(1, "Ennepe-Ruhr-Kreis", 1, 3, 33.3), (1, "Märkischer Kreis", 1, 3, 33.3)]
    items, _ = _ranking(client, f"?region={EN_KREIS}")
    assert items == [
        (1, "Hattingen", 3, 4, 75.0),
        (2, "Witten", 2, 4, 50.0),
        (3, "Ennepe-Ruhr-Kreis", 1, 3, 33.3),
    ]
    items, _ = _ranking(client, f"?region={EN_KREIS}&kind=gemeinde")
    assert [(rank, name) for rank, name, *_ in items] == [(1, "Hattingen"), (2, "Witten")]


def test_scorecard_standing_agrees_with_rankings(client, world):
    """The scorecard counts (peers, those ahead); /rankings ranks with a window: the same
    competition ranking, ties included, for every organisation in the world."""
    f.adoption(client, MUELHEIM, "hh-all")  # so that some organisations tie
    listing = client.get("/api/v1/organisations?page_size=100").get_json()["items"]
    compared, tied = 0, False
    for item in listing:
        card = _get(client, f"organisations/{item['key']}/scorecard")
        scopes = [("rank_nationwide", "")]
        if item["land_code"]:
            scopes.append(("rank_in_land", f"&region={item['land_code']}0000000000"))
        for field, region in scopes:
            ranking = _get(client, f"rankings?kind={item['kind']}&page_size=100{region}")
            ranks = {i["organisation"]["key"]: i["rank"] for i in ranking["items"]}
            tied = tied or len(set(ranks.values())) < len(ranks)
            if item["key"] not in ranks:  # not due for anything: not ranked
                assert card[field] is None
                continue
            expected = {"rank": ranks[item["key"]], "peers": ranking["pagination"]["total_items"]}
            assert card[field] == expected, (item["key"], field)
            compared += 1
    assert compared >= 10 and tied
