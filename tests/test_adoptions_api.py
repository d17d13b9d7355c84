"""Adoptions over HTTP: one per organisation and solution, stage dates, scope, provenance."""

import pytest

from tests import factories as f

PROBLEM = "application/problem+json"
WITTEN = "059540036036"
ENNEPE_RUHR = "059540000000"


@pytest.fixture
def region(client):
    """NRW > RB Arnsberg > Bochum (kreisfreie Stadt) and Ennepe-Ruhr-Kreis > Witten (Gemeinde),
    the service Elterngeld and two solutions implementing it."""
    f.nrw_with_bochum(client)
    f.organisation(client, ENNEPE_RUHR, "Ennepe-Ruhr-Kreis", "kreis", "059000000000")
    f.organisation(client, WITTEN, "Witten", "gemeinde", ENNEPE_RUHR, slug="witten")
    f.service(client, "10000", "kreis", name="Elterngeld")
    f.solution(client, "elfe", "050000000000", ["10000"], name="ELFE")
    f.solution(client, "elterngeld-digital", "bochum", ["10000"])


def _invalid(response, field):
    assert response.status_code == 422, response.get_json()
    assert response.content_type == PROBLEM
    problem = response.get_json()
    assert problem["status"] == 422
    assert field in problem["errors"], problem
    return problem


def _post(client, **fields):
    body = {
        "organisation": "bochum",
        "solution": "elfe",
        "status": "contracted",
        "provenance": "contract",
        **fields,
    }
    return client.post("/api/v1/adoptions", json=body)


def _count(client, query=""):
    return client.get(f"/api/v1/adoptions?{query}").get_json()["pagination"]["total_items"]


def test_create_answers_201_with_location_and_keys(client, region):
    response = _post(
        client,
        contracted_on="2022-03-01",
        evidence_url="https://example.org/ratsinformation/vorlage-123",
        confirmed_on="2025-01-10",
    )
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/adoptions/{body['id']}"
    assert body["organisation"] == "059110000000"
    assert body["organisation_name"] == "Bochum"
    assert body["solution"] == "elfe"
    assert body["solution_name"] == "ELFE"
    assert body["status"] == "contracted"
    assert body["scope"] == "self"
    assert body["contracted_on"] == "2022-03-01"
    assert body["live_on"] is None
    assert body["provenance"] == "contract"
    assert body["evidence_url"] == "https://example.org/ratsinformation/vorlage-123"
    assert body["confirmed_on"] == "2025-01-10"
    assert body["version"] == 1


def test_get_by_id_returns_the_adoption(client, region):
    created = _post(client, organisation=WITTEN).get_json()
    response = client.get(f"/api/v1/adoptions/{created['id']}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == created["id"]
    assert body["organisation"] == WITTEN
    assert body["organisation_name"] == "Witten"
    assert body["solution"] == "elfe"


def test_unknown_adoption_is_404_problem(client):
    response = client.get("/api/v1/adoptions/987654")
    assert response.status_code == 404
    assert response.content_type == PROBLEM
    problem = response.get_json()
    assert problem["status"] == 404
    assert "987654" in problem["detail"]


def test_patch_and_delete_of_unknown_adoption_are_404_problems(client):
    for response in (
        client.patch("/api/v1/adoptions/987654", json={"status": "live"}),
        client.delete("/api/v1/adoptions/987654"),
    ):
        assert response.status_code == 404
        assert response.content_type == PROBLEM


def test_second_adoption_of_the_same_solution_is_409_naming_the_existing_one(client, region):
    first = _post(client).get_json()
    response = _post(client, status="live", provenance="press")
    assert response.status_code == 409
    assert response.content_type == PROBLEM
    problem = response.get_json()
    assert problem["existing"] == first["id"]
    assert str(first["id"]) in problem["errors"]["solution"][0]
    assert _count(client) == 1


def test_same_solution_for_another_organisation_is_a_new_adoption(client, region):
    _post(client)
    assert _post(client, organisation=WITTEN).status_code == 201
    assert _count(client) == 2


def test_patch_onto_an_existing_pair_is_409(client, region):
    first = _post(client, solution="elfe").get_json()
    second = _post(client, solution="elterngeld-digital").get_json()
    response = client.patch(f"/api/v1/adoptions/{second['id']}", json={"solution": "elfe"})
    assert response.status_code == 409
    assert response.get_json()["existing"] == first["id"]
    assert client.get(f"/api/v1/adoptions/{second['id']}").get_json()["solution"] == (
        "elterngeld-digital"
    )


def test_live_before_contract_is_422_naming_live_on(client, region):
    response = _post(client, status="live", contracted_on="2023-05-01", live_on="2023-04-30")
    problem = _invalid(response, "live_on")
    assert set(problem["errors"]) == {"live_on"}
    assert _count(client) == 0


def test_end_before_live_is_422_naming_ended_on(client, region):
    response = _post(client, status="ended", live_on="2023-05-01", ended_on="2023-01-01")
    _invalid(response, "ended_on")


def test_end_before_contract_without_live_date_is_422_naming_ended_on(client, region):
    response = _post(client, status="ended", contracted_on="2023-05-01", ended_on="2023-01-01")
    _invalid(response, "ended_on")


def test_stages_on_the_same_day_are_accepted(client, region):
    response = _post(client, status="live", contracted_on="2023-05-01", live_on="2023-05-01")
    assert response.status_code == 201


def test_patch_live_on_before_the_stored_contract_date_is_422(client, region):
    adoption = _post(client, contracted_on="2023-05-01").get_json()
    response = client.patch(
        f"/api/v1/adoptions/{adoption['id']}", json={"status": "live", "live_on": "2023-01-01"}
    )
    _invalid(response, "live_on")
    stored = client.get(f"/api/v1/adoptions/{adoption['id']}").get_json()
    assert (stored["status"], stored["live_on"]) == ("contracted", None)


def test_subordinates_scope_for_a_gemeinde_is_422_naming_scope(client, region):
    response = _post(client, organisation=WITTEN, scope="subordinates")
    problem = _invalid(response, "scope")
    assert set(problem["errors"]) == {"scope"}
    assert _count(client) == 0


def test_subordinates_scope_for_a_kreis_is_accepted(client, region):
    response = _post(client, organisation=ENNEPE_RUHR, scope="subordinates")
    assert response.status_code == 201
    assert response.get_json()["scope"] == "subordinates"


def test_patch_scope_to_subordinates_for_a_gemeinde_is_422(client, region):
    adoption = _post(client, organisation=WITTEN).get_json()
    response = client.patch(f"/api/v1/adoptions/{adoption['id']}", json={"scope": "subordinates"})
    _invalid(response, "scope")
    assert client.get(f"/api/v1/adoptions/{adoption['id']}").get_json()["scope"] == "self"


def test_unknown_scope_is_422(client, region):
    _invalid(_post(client, scope="landesweit"), "scope")


def test_unknown_provenance_is_422(client, region):
    _invalid(_post(client, provenance="hearsay"), "provenance")


def test_missing_provenance_is_422(client, region):
    body = {"organisation": "bochum", "solution": "elfe", "status": "live"}
    _invalid(client.post("/api/v1/adoptions", json=body), "provenance")


def test_unknown_status_is_422(client, region):
    _invalid(_post(client, status="planned"), "status")


def test_evidence_url_that_is_no_url_is_422(client, region):
    _invalid(_post(client, evidence_url="Ratsbeschluss vom Mai"), "evidence_url")
    assert _count(client) == 0


def test_malformed_date_is_422(client, region):
    _invalid(_post(client, contracted_on="01.03.2022"), "contracted_on")


def test_unknown_organisation_is_422_naming_organisation(client, region):
    _invalid(_post(client, organisation="059990000000"), "organisation")
    assert _count(client) == 0


def test_unknown_solution_is_422_naming_solution(client, region):
    _invalid(_post(client, solution="gibt-es-nicht"), "solution")


def test_unknown_field_is_422_naming_it(client, region):
    problem = _invalid(_post(client, used_since="2020"), "used_since")
    assert set(problem["errors"]) == {"used_since"}


def test_patch_status_changes_only_sent_fields(client, region):
    adoption = _post(client, contracted_on="2022-03-01").get_json()
    response = client.patch(
        f"/api/v1/adoptions/{adoption['id']}", json={"status": "live", "live_on": "2022-09-15"}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "live"
    assert body["live_on"] == "2022-09-15"
    assert body["contracted_on"] == "2022-03-01"
    assert body["provenance"] == "contract"
    assert body["organisation"] == "059110000000"
    assert body["version"] == 2
    assert client.get(f"/api/v1/adoptions/{adoption['id']}").get_json()["status"] == "live"


def test_patch_null_clears_a_date(client, region):
    adoption = _post(client, contracted_on="2022-03-01").get_json()
    response = client.patch(f"/api/v1/adoptions/{adoption['id']}", json={"contracted_on": None})
    assert response.status_code == 200
    assert response.get_json()["contracted_on"] is None


def test_delete_is_204_and_the_adoption_is_gone(client, region):
    adoption = _post(client).get_json()
    response = client.delete(f"/api/v1/adoptions/{adoption['id']}")
    assert response.status_code == 204
    assert client.get(f"/api/v1/adoptions/{adoption['id']}").status_code == 404
    assert client.delete("/api/v1/solutions/elfe").status_code == 204


@pytest.fixture
def adoptions(client, region):
    """Three adoptions, in this order of id."""
    return [
        _post(client, organisation="bochum", solution="elfe", status="live").get_json()["id"],
        _post(
            client,
            organisation=ENNEPE_RUHR,
            solution="elfe",
            status="contracted",
            scope="subordinates",
            provenance="dashboard",
        ).get_json()["id"],
        _post(
            client,
            organisation="bochum",
            solution="elterngeld-digital",
            status="interested",
            provenance="self_declared",
        ).get_json()["id"],
    ]


def _ids(client, query):
    response = client.get(f"/api/v1/adoptions?{query}")
    assert response.status_code == 200, response.get_json()
    return [a["id"] for a in response.get_json()["items"]]


def test_list_is_ordered_by_id_and_paginated(client, adoptions):
    page = client.get("/api/v1/adoptions?page_size=2").get_json()
    assert page["pagination"] == {"page": 1, "page_size": 2, "total_items": 3, "total_pages": 2}
    assert [a["id"] for a in page["items"]] == adoptions[:2]
    assert _ids(client, "page_size=2&page=2") == adoptions[2:]


def test_list_filters_by_organisation_ars_or_slug(client, adoptions):
    assert _ids(client, "organisation=bochum") == [adoptions[0], adoptions[2]]
    assert _ids(client, f"organisation={ENNEPE_RUHR}") == [adoptions[1]]


def test_list_filters_by_solution(client, adoptions):
    assert _ids(client, "solution=elfe") == adoptions[:2]


def test_list_filters_by_status(client, adoptions):
    assert _ids(client, "status=interested") == [adoptions[2]]


def test_list_filters_by_scope(client, adoptions):
    assert _ids(client, "scope=subordinates") == [adoptions[1]]
    assert _ids(client, "scope=self") == [adoptions[0], adoptions[2]]


def test_list_filters_by_provenance(client, adoptions):
    assert _ids(client, "provenance=contract") == [adoptions[0]]


def test_list_combines_filters(client, adoptions):
    assert _ids(client, "organisation=bochum&solution=elfe&status=live") == [adoptions[0]]
    assert _ids(client, "organisation=bochum&scope=subordinates") == []


def test_list_rejects_bad_filters(client):
    response = client.get(
        "/api/v1/adoptions?status=planned&scope=all&provenance=hearsay&solution=Elfe&colour=red"
    )
    assert response.status_code == 422
    assert response.content_type == PROBLEM
    assert set(response.get_json()["errors"]) == {
        "status",
        "scope",
        "provenance",
        "solution",
        "colour",
    }
