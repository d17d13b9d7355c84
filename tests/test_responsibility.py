"""Responsibility per Land (DESIGN §2): a service's national level, the Länder that differ,
Gemeindeverbände carrying municipal tasks, voluntary services; every analysis follows them.

A hand-built world, expected values written out by hand:
  NRW (05): Kreis EN with Gemeinde Ennepetal; kreisfreie Stadt Bochum
  Bayern (09): Landkreis Altötting with Verwaltungsgemeinschaft Emmerting (member
    Gemeinde Emmerting) and the verbandsfreie Gemeinde Burghausen
  Rheinland-Pfalz (07): Verbandsgemeinde Cochem with Ortsgemeinde Cochem; kreisfreie
    Stadt Mainz
Services:
  ELTERN  default land, NRW row kreis            (Elterngeld: Kreise in NRW, ZBFS in Bayern)
  MELDE   default gemeinde, BY and RP rows gemeindeverband   (Meldewesen)
  STEUER  default land                           (Umsatzsteuer: Finanzamt)
  MUSIK   default gemeinde, voluntary            (Musikschule)
"""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.test_offering_figures import assert_exact

NRW, BY, RP = "050000000000", "090000000000", "070000000000"
EN, ENNEPETAL, BOCHUM = "059540000000", "059540004004", "059110000000"
ALTOETTING, VGEM, EMMERTING, BURGHAUSEN = (
    "091710000000",
    "091715151000",
    "091715151118",
    "091710111116",
)
COCHEM_VG, COCHEM, MAINZ = "071355001000", "071355001005", "073150000000"
ELTERN, MELDE, STEUER, MUSIK = "10000", "10124", "10376", "10023"


def row(land: str, level: str, reason: str = "Landesrecht") -> dict[str, str]:
    return {"land_code": land, "level": level, "reason": reason}


@pytest.fixture
def world(client):
    f.land(client, "05")
    f.land(client, "09", "Bayern")
    f.land(client, "07", "Rheinland-Pfalz")
    f.organisation(client, EN, "Ennepe-Ruhr-Kreis", "kreis", NRW)
    f.organisation(client, ENNEPETAL, "Ennepetal", "gemeinde", EN)
    f.organisation(client, BOCHUM, "Bochum", "kreisfreie_stadt", NRW)
    f.organisation(client, ALTOETTING, "Landkreis Altötting", "kreis", BY)
    f.organisation(client, VGEM, "Emmerting (VGem)", "gemeindeverband", ALTOETTING)
    f.organisation(client, EMMERTING, "Emmerting", "gemeinde", VGEM)
    f.organisation(client, BURGHAUSEN, "Burghausen", "gemeinde", ALTOETTING)
    f.organisation(client, COCHEM_VG, "Verbandsgemeinde Cochem", "gemeindeverband", RP)
    f.organisation(client, COCHEM, "Cochem", "gemeinde", COCHEM_VG)
    f.organisation(client, MAINZ, "Mainz", "kreisfreie_stadt", RP)
    f.service(client, ELTERN, "land", responsibilities=[row("05", "kreis", "ZustVO BEEG NRW")])
    f.service(
        client,
        MELDE,
        "gemeinde",
        responsibilities=[row("07", "gemeindeverband"), row("09", "gemeindeverband")],
    )
    f.service(client, STEUER, "land", executing_level_reason="Finanzamt (UStG, AO)")
    f.service(client, MUSIK, "gemeinde", voluntary=True)
    return client


def due(client, org) -> set[str]:
    gaps = client.get(f"/api/v1/organisations/{org}/gaps").get_json()
    assert gaps["due"] == len(gaps["gaps"])  # nothing is offered in this world
    return {g["service"]["ozg_id"] for g in gaps["gaps"]}


def test_each_body_is_due_for_the_level_its_land_gives_the_service(world):
    assert due(world, EN) == {ELTERN}  # Kreis level in NRW
    assert due(world, BOCHUM) == {ELTERN, MELDE}  # kreisfreie Stadt: Kreis and Gemeinde
    assert due(world, ENNEPETAL) == {MELDE}
    assert due(world, ALTOETTING) == set()  # Bayern: Elterngeld is the ZBFS's (Land)
    assert due(world, VGEM) == {MELDE}  # the Verwaltungsgemeinschaft registers residents
    assert due(world, EMMERTING) == set()  # ... for its member Gemeinde
    assert due(world, BURGHAUSEN) == {MELDE}  # a Gemeinde in no Verband does it itself
    assert due(world, COCHEM_VG) == {MELDE}
    assert due(world, COCHEM) == set()
    assert due(world, MAINZ) == {MELDE}
    # Umsatzsteuer (Land) and the voluntary Musikschule are due for no municipality
    for org in (EN, BOCHUM, ENNEPETAL, VGEM, BURGHAUSEN, MAINZ):
        assert not {STEUER, MUSIK} & due(world, org)


def test_gaps_show_the_level_in_the_organisations_land(world):
    gaps = world.get(f"/api/v1/organisations/{BOCHUM}/gaps").get_json()["gaps"]
    assert {g["service"]["ozg_id"]: g["service"]["executing_level"] for g in gaps} == {
        ELTERN: "kreis",
        MELDE: "gemeinde",
    }
    gaps = world.get(f"/api/v1/organisations/{VGEM}/gaps").get_json()["gaps"]
    assert [g["service"]["executing_level"] for g in gaps] == ["gemeindeverband"]


def test_scorecard_coverage_and_compare_count_the_same_duties(world):
    for org, expected in ((BOCHUM, 2), (EN, 1), (EMMERTING, 0), (VGEM, 1)):
        card = world.get(f"/api/v1/organisations/{org}/scorecard").get_json()
        assert card["due"] == expected, org
    coverage = world.get(f"/api/v1/services/{MELDE}/coverage").get_json()
    per_land = {c["land_code"]: (c["due"], c["level"]) for c in coverage["per_land"]}
    assert per_land == {
        "05": (2, "gemeinde"),  # Bochum, Ennepetal
        "07": (2, "gemeindeverband"),  # VG Cochem, Mainz
        "09": (2, "gemeindeverband"),  # VGem Emmerting, Burghausen
    }
    assert world.get(f"/api/v1/services/{MUSIK}/coverage").get_json()["due"] == 0
    f.solution(world, "ewa-test", NRW, [MELDE], efa=True)
    f.adoption(world, ENNEPETAL, "ewa-test")
    compare = world.get(f"/api/v1/organisations/{COCHEM}/compare/{ENNEPETAL}").get_json()
    assert compare["b_offers_a_lacks"] == []  # Cochem's Verbandsgemeinde carries it
    compare = world.get(f"/api/v1/organisations/{COCHEM_VG}/compare/{ENNEPETAL}").get_json()
    assert [i["service"]["executing_level"] for i in compare["b_offers_a_lacks"]] == [
        "gemeindeverband"
    ]


def test_responsibilities_list_all_sixteen_laender(world):
    body = world.get(f"/api/v1/services/{ELTERN}/responsibilities").get_json()
    assert len(body["items"]) == 16
    items = {i["land_code"]: i for i in body["items"]}
    assert (items["05"]["level"], items["05"]["per_land"], items["05"]["reason"]) == (
        "kreis",
        True,
        "ZustVO BEEG NRW",
    )
    assert (items["09"]["level"], items["09"]["per_land"], items["09"]["land_name"]) == (
        "land",
        False,
        "Bayern",
    )
    assert body["executing_level"] == "land"
    assert world.get("/api/v1/services/10999/responsibilities").status_code == 404


def test_admins_change_a_lands_level_with_if_match_and_an_audit_event(world, anonymous, session):
    path = f"/api/v1/services/{ELTERN}"
    refused = anonymous.patch(path, json={"responsibilities": []})
    assert refused.status_code == 401
    etag = world.get(path).headers["ETag"]
    stale = world.patch(path, json={"responsibilities": []}, headers={"If-Match": '"stale"'})
    assert stale.status_code == 412
    changed = world.patch(
        path,
        json={"responsibilities": [row("05", "kreis", "ZustVO BEEG NRW"), row("09", "kreis")]},
        headers={"If-Match": etag},
    )
    assert changed.status_code == 200, changed.get_json()
    assert due(world, ALTOETTING) == {ELTERN}
    event = world.get("/api/v1/changes?after=0&limit=1000").get_json()["events"][-1]
    assert (event["entity_type"], event["entity_key"], event["action"]) == (
        "service",
        ELTERN,
        "update",
    )
    assert [r["land_code"] for r in event["before"]["responsibilities"]] == ["05"]
    assert [r["land_code"] for r in event["after"]["responsibilities"]] == ["05", "09"]
    assert_exact(session)


@pytest.mark.parametrize(
    ("rows", "field", "message"),
    [
        ([row("05", "kreis"), row("05", "land")], "responsibilities", "given twice: 05"),
        ([row("17", "kreis")], "responsibilities.0.land_code", "01 to 16"),
        ([row("05", "bezirk")], "responsibilities.0.level", "Must be one of"),
        ([{"land_code": "05", "level": "kreis"}], "responsibilities.0.reason", "required"),
    ],
)
def test_a_bad_responsibility_is_refused_naming_the_field(world, rows, field, message):
    answer = world.patch(f"/api/v1/services/{ELTERN}", json={"responsibilities": rows})
    assert answer.status_code == 422
    assert answer.mimetype == "application/problem+json"
    assert message in " ".join(answer.get_json()["errors"][field])


def test_figures_stay_exact_when_levels_change(world, session):
    f.solution(world, "meldeportal", NRW, [MELDE, ELTERN], efa=True)
    f.adoption(world, BY, "meldeportal", scope="subordinates")
    assert assert_exact(session)
    world.patch(f"/api/v1/services/{MELDE}", json={"responsibilities": []})
    assert_exact(session)
    world.patch(f"/api/v1/services/{MELDE}", json={"voluntary": True})
    assert_exact(session)
    world.patch(f"/api/v1/services/{ELTERN}", json={"executing_level": "gemeindeverband"})
    assert_exact(session)
    ranking = world.get(f"/api/v1/rankings?region={BY}&kind=gemeindeverband").get_json()
    assert [(i["organisation"]["key"], i["due"], i["offered"]) for i in ranking["items"]] == [
        (VGEM, 1, 1)  # Elterngeld at the Verwaltungsgemeinschaft, rolled out by Bayern
    ]
