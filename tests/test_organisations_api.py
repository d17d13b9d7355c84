"""Organisations over HTTP: keys, hierarchy, validation, conflicts."""

from tests import factories as f

PROBLEM = "application/problem+json"


def test_get_by_ars_and_slug_returns_parent_and_population(client):
    f.nrw_with_bochum(client)
    for key in ("059110000000", "bochum"):
        body = client.get(f"/api/v1/organisations/{key}").get_json()
        assert body["ars"] == "059110000000"
        assert body["ags"] == "05911000"
        assert body["land_code"] == "05"
        assert body["parent"] == "059000000000"
        assert body["parent_name"] == "Regierungsbezirk Arnsberg"
        assert body["population"] == 367101
        assert body["population_date"] == "2024-12-31"


def test_create_answers_201_with_location(client):
    f.land(client)
    response = client.post(
        "/api/v1/organisations",
        json={
            "ars": "059000000000",
            "name": "RB Arnsberg",
            "kind": "regierungsbezirk",
            "parent": "050000000000",
        },
    )
    assert response.status_code == 201
    assert response.headers["Location"] == "/api/v1/organisations/059000000000"
    assert response.get_json()["land_code"] == "05"


def test_unknown_organisation_is_404_problem(client):
    response = client.get("/api/v1/organisations/099990000000")
    assert response.status_code == 404
    assert response.content_type == PROBLEM
    assert "099990000000" in response.get_json()["detail"]


def _unchanged_after(client, body, field):
    before = client.get("/api/v1/organisations/bochum").get_json()
    response = client.patch("/api/v1/organisations/bochum", json=body)
    assert response.status_code == 422
    assert response.content_type == PROBLEM
    problem = response.get_json()
    assert problem["status"] == 422 and problem["title"] and problem["type"]
    assert field in problem["errors"], problem
    assert client.get("/api/v1/organisations/bochum").get_json() == before


def test_patch_with_unknown_field_is_422_and_changes_nothing(client):
    f.nrw_with_bochum(client)
    _unchanged_after(client, {"population": 1, "mayor": "x"}, "mayor")


def test_patch_with_invalid_ars_is_422_and_changes_nothing(client):
    f.nrw_with_bochum(client)
    _unchanged_after(client, {"ars": "05911"}, "ars")


def test_patch_with_negative_population_is_422(client):
    f.nrw_with_bochum(client)
    _unchanged_after(client, {"population": -5}, "population")


def test_patch_with_land_code_outside_range_is_422(client):
    f.nrw_with_bochum(client)
    _unchanged_after(client, {"land_code": "17"}, "land_code")


def test_land_code_must_match_ars(client):
    f.nrw_with_bochum(client)
    _unchanged_after(client, {"land_code": "06"}, "land_code")


def test_patch_changes_only_sent_fields(client):
    f.nrw_with_bochum(client)
    response = client.patch("/api/v1/organisations/bochum", json={"population": 368000})
    assert response.status_code == 200
    body = response.get_json()
    assert body["population"] == 368000
    assert body["population_date"] == "2024-12-31"
    assert body["version"] == 2


def test_territorial_body_needs_ars(client):
    f.land(client)
    response = client.post(
        "/api/v1/organisations",
        json={"slug": "irgendwo", "name": "Irgendwo", "kind": "gemeinde", "parent": "050000000000"},
    )
    assert response.status_code == 422
    assert "ars" in response.get_json()["errors"]


def test_parent_must_be_a_higher_level(client):
    f.nrw_with_bochum(client)
    response = client.post(
        "/api/v1/organisations",
        json={
            "ars": "059000000001",
            "name": "X",
            "kind": "regierungsbezirk",
            "parent": "059110000000",
        },
    )
    assert response.status_code == 422
    assert "parent" in response.get_json()["errors"]


def test_unknown_parent_is_422_naming_parent(client):
    f.land(client)
    response = client.post(
        "/api/v1/organisations",
        json={
            "ars": "059000000000",
            "name": "X",
            "kind": "regierungsbezirk",
            "parent": "059990000000",
        },
    )
    assert response.status_code == 422
    assert "parent" in response.get_json()["errors"]


def test_duplicate_ars_is_409_naming_ars(client):
    f.land(client)
    response = client.post(
        "/api/v1/organisations", json={"ars": "050000000000", "name": "NRW 2", "kind": "land"}
    )
    assert response.status_code == 409
    assert response.content_type == PROBLEM
    assert "ars" in response.get_json()["errors"]


def test_city_state_keeps_its_duty_override(client):
    f.ensure_bund(client)
    body = f.post(
        client,
        "organisations",
        {
            "ars": "020000000000",
            "name": "Hamburg",
            "kind": "land",
            "parent": "bund",
            "duties": ["gemeinde", "land", "kreis"],
        },
    )
    assert body["duties"] == ["gemeinde", "kreis", "land"]
    cleared = client.patch("/api/v1/organisations/020000000000", json={"duties": None})
    assert cleared.get_json()["duties"] is None


def test_delete_referenced_organisation_is_409_naming_references(client):
    f.nrw_with_bochum(client)
    f.service(client, "10000")
    f.solution(client, "bochum-app", "bochum", ["10000"])
    response = client.delete("/api/v1/organisations/059000000000")
    assert response.status_code == 409
    assert response.get_json()["referenced_by"] == [
        {"entity": "organisation", "key": "059110000000"}
    ]
    response = client.delete("/api/v1/organisations/bochum")
    assert {"entity": "solution", "key": "bochum-app"} in response.get_json()["referenced_by"]
    assert client.get("/api/v1/organisations/bochum").status_code == 200


def test_delete_unreferenced_organisation(client):
    f.nrw_with_bochum(client)
    assert client.delete("/api/v1/organisations/bochum").status_code == 204
    assert client.get("/api/v1/organisations/bochum").status_code == 404


def test_list_is_paginated_and_filtered(client):
    f.nrw_with_bochum(client)
    f.organisation(client, "059130000000", "Dortmund", "kreisfreie_stadt", "059000000000")
    page = client.get("/api/v1/organisations?page_size=2").get_json()
    assert page["pagination"] == {"page": 1, "page_size": 2, "total_items": 5, "total_pages": 3}
    assert [o["key"] for o in page["items"]] == ["050000000000", "059000000000"]
    cities = client.get("/api/v1/organisations?kind=kreisfreie_stadt&land=05").get_json()
    assert [o["name"] for o in cities["items"]] == ["Bochum", "Dortmund"]
    below = client.get("/api/v1/organisations?parent=059000000000&name=dort").get_json()
    assert [o["name"] for o in below["items"]] == ["Dortmund"]


def test_list_rejects_bad_filters(client):
    response = client.get("/api/v1/organisations?land=99&page_size=0&colour=red")
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"land", "page_size", "colour"}


def test_list_filters_by_ags(client):
    f.nrw_with_bochum(client)
    found = client.get("/api/v1/organisations?ags=05911000").get_json()["items"]
    assert [o["name"] for o in found] == ["Bochum"]
    bad = client.get("/api/v1/organisations?ags=0591100")
    assert bad.status_code == 422 and "ags" in bad.get_json()["errors"]


def test_a_record_reads_its_timestamps_in_utc_whatever_the_session_zone(client, connection):
    """The record and the list are read by their SQL text (registry.logic.organisations),
    not through UtcDateTime: on PostgreSQL a timestamptz comes in the session's time zone."""
    created = f.land(client)
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET TIME ZONE 'Europe/Berlin'")  # the test's transaction
    found = client.get("/api/v1/organisations/050000000000").get_json()
    (listed,) = client.get("/api/v1/organisations?kind=land").get_json()["items"]
    for read in (found, listed):
        assert (read["created_at"], read["updated_at"]) == (
            created["created_at"],
            created["updated_at"],
        )
        assert read["created_at"].endswith("+00:00")
