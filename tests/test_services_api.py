"""Services (OZG-Leistungen) over HTTP: OZG-IDs, LeiKa keys, validation, conflicts, lists."""

from tests import factories as f

PROBLEM = "application/problem+json"

HUNDESTEUER = {
    "ozg_id": "10601",
    "name": "Hundesteuer",
    "themenfeld": "Steuern & Zoll",
    "lebenslage": "Haustiere",
    "executing_level": "gemeinde",
    "leika_keys": ["99102112000000"],
}


def _invalid(response, field):
    """A 422 problem naming `field`; returns the problem body."""
    assert response.status_code == 422, response.get_json()
    assert response.content_type == PROBLEM
    problem = response.get_json()
    assert problem["status"] == 422
    assert field in problem["errors"], problem
    return problem


def test_create_answers_201_with_location_and_body(client):
    response = client.post("/api/v1/services", json=HUNDESTEUER)
    assert response.status_code == 201
    assert response.headers["Location"] == "/api/v1/services/10601"
    body = response.get_json()
    assert body["key"] == "10601"
    assert body["ozg_id"] == "10601"
    assert body["name"] == "Hundesteuer"
    assert body["themenfeld"] == "Steuern & Zoll"
    assert body["lebenslage"] == "Haustiere"
    assert body["executing_level"] == "gemeinde"
    assert body["executing_level_source"] == "set"
    assert body["leika_keys"] == ["99102112000000"]
    assert body["version"] == 1


def test_get_by_ozg_id_returns_what_was_created(client):
    created = f.post(client, "services", HUNDESTEUER)
    response = client.get("/api/v1/services/10601")
    assert response.status_code == 200
    body = response.get_json()
    for field in ("key", "ozg_id", "name", "themenfeld", "lebenslage", "leika_keys", "version"):
        assert body[field] == created[field]


def test_get_returns_the_timestamps_post_returned_with_their_utc_offset(client):
    created = f.post(client, "services", HUNDESTEUER)
    assert created["created_at"].endswith("+00:00")
    body = client.get("/api/v1/services/10601").get_json()
    assert body["created_at"] == created["created_at"]
    assert body["updated_at"] == created["updated_at"]


def test_unknown_service_is_404_problem_naming_the_key(client):
    response = client.get("/api/v1/services/99999")
    assert response.status_code == 404
    assert response.content_type == PROBLEM
    problem = response.get_json()
    assert problem["status"] == 404
    assert "99999" in problem["detail"]


def test_patch_of_unknown_service_is_404_problem(client):
    response = client.patch("/api/v1/services/99999", json={"name": "X"})
    assert response.status_code == 404
    assert response.content_type == PROBLEM
    assert "99999" in response.get_json()["detail"]


def test_patch_changes_only_sent_fields(client):
    f.post(client, "services", HUNDESTEUER)
    response = client.patch("/api/v1/services/10601", json={"executing_level": "kreis"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["executing_level"] == "kreis"
    assert body["name"] == "Hundesteuer"
    assert body["themenfeld"] == "Steuern & Zoll"
    assert body["lebenslage"] == "Haustiere"
    assert body["leika_keys"] == ["99102112000000"]
    assert body["version"] == 2
    assert client.get("/api/v1/services/10601").get_json()["executing_level"] == "kreis"


def test_patch_null_clears_an_optional_field(client):
    f.post(client, "services", HUNDESTEUER)
    body = client.patch("/api/v1/services/10601", json={"lebenslage": None}).get_json()
    assert body["lebenslage"] is None
    assert body["name"] == "Hundesteuer"


def test_leika_keys_are_stored_as_a_sorted_set(client):
    body = f.service(
        client, "10601", leika_keys=["99102112000000", "99001001000000", "99102112000000"]
    )
    assert body["leika_keys"] == ["99001001000000", "99102112000000"]


def test_patch_replaces_leika_keys_as_a_whole(client):
    f.service(client, "10601", leika_keys=["99102112000000", "99001001000000"])
    response = client.patch(
        "/api/v1/services/10601", json={"leika_keys": ["99500500000000", "99102112000000"]}
    )
    assert response.status_code == 200
    assert response.get_json()["leika_keys"] == ["99102112000000", "99500500000000"]
    stored = client.get("/api/v1/services/10601").get_json()
    assert stored["leika_keys"] == ["99102112000000", "99500500000000"]


def test_patch_with_empty_leika_keys_removes_them_all(client):
    f.service(client, "10601", leika_keys=["99102112000000"])
    body = client.patch("/api/v1/services/10601", json={"leika_keys": []}).get_json()
    assert body["leika_keys"] == []


def test_leika_key_of_13_digits_is_422_naming_its_position(client):
    body = {**HUNDESTEUER, "leika_keys": ["99102112000000", "9910211200000"]}
    problem = _invalid(client.post("/api/v1/services", json=body), "leika_keys.1")
    assert set(problem["errors"]) == {"leika_keys.1"}
    assert client.get("/api/v1/services/10601").status_code == 404


def test_leika_key_with_letters_is_422_naming_its_position(client):
    body = {**HUNDESTEUER, "leika_keys": ["9910211200000X"]}
    _invalid(client.post("/api/v1/services", json=body), "leika_keys.0")


def test_patch_with_invalid_leika_key_is_422_and_changes_nothing(client):
    f.post(client, "services", HUNDESTEUER)
    before = client.get("/api/v1/services/10601").get_json()
    response = client.patch("/api/v1/services/10601", json={"leika_keys": ["123"]})
    _invalid(response, "leika_keys.0")
    assert client.get("/api/v1/services/10601").get_json() == before


def test_ozg_id_of_four_digits_is_422(client):
    _invalid(client.post("/api/v1/services", json={**HUNDESTEUER, "ozg_id": "1060"}), "ozg_id")


def test_ozg_id_with_letters_is_422(client):
    _invalid(client.post("/api/v1/services", json={**HUNDESTEUER, "ozg_id": "1060a"}), "ozg_id")


def test_unknown_themenfeld_is_422(client):
    body = {**HUNDESTEUER, "themenfeld": "Haustiere & Zoo"}
    _invalid(client.post("/api/v1/services", json=body), "themenfeld")


def test_unknown_executing_level_is_422(client):
    body = {**HUNDESTEUER, "executing_level": "bezirk"}
    _invalid(client.post("/api/v1/services", json=body), "executing_level")


def test_missing_required_fields_are_422_naming_each(client):
    problem = _invalid(client.post("/api/v1/services", json={"ozg_id": "10601"}), "name")
    assert set(problem["errors"]) == {"name", "themenfeld", "executing_level"}


def test_unknown_field_is_422_naming_it(client):
    body = {**HUNDESTEUER, "zustaendigkeit": "Kommune"}
    problem = _invalid(client.post("/api/v1/services", json=body), "zustaendigkeit")
    assert set(problem["errors"]) == {"zustaendigkeit"}
    assert client.get("/api/v1/services/10601").status_code == 404


def test_patch_with_unknown_field_is_422_and_changes_nothing(client):
    f.post(client, "services", HUNDESTEUER)
    before = client.get("/api/v1/services/10601").get_json()
    response = client.patch("/api/v1/services/10601", json={"name": "Neu", "colour": "red"})
    _invalid(response, "colour")
    assert client.get("/api/v1/services/10601").get_json() == before


def test_dump_only_field_in_body_is_422(client):
    _invalid(client.post("/api/v1/services", json={**HUNDESTEUER, "version": 7}), "version")


def test_duplicate_ozg_id_is_409_naming_ozg_id(client):
    f.post(client, "services", HUNDESTEUER)
    response = client.post("/api/v1/services", json={**HUNDESTEUER, "name": "Hundesteuer 2"})
    assert response.status_code == 409
    assert response.content_type == PROBLEM
    assert "ozg_id" in response.get_json()["errors"]
    assert client.get("/api/v1/services/10601").get_json()["name"] == "Hundesteuer"


def test_patch_to_an_existing_ozg_id_is_409_naming_ozg_id(client):
    f.service(client, "10601")
    f.service(client, "10602")
    response = client.patch("/api/v1/services/10602", json={"ozg_id": "10601"})
    assert response.status_code == 409
    assert response.content_type == PROBLEM
    assert "ozg_id" in response.get_json()["errors"]
    assert client.get("/api/v1/services/10602").status_code == 200


def test_patch_can_change_the_ozg_id(client):
    f.service(client, "10601")
    response = client.patch("/api/v1/services/10601", json={"ozg_id": "10609"})
    assert response.status_code == 200
    assert response.get_json()["key"] == "10609"
    assert client.get("/api/v1/services/10601").status_code == 404
    assert client.get("/api/v1/services/10609").status_code == 200


def test_delete_referenced_service_is_409_naming_solutions(client):
    f.nrw_with_bochum(client)
    f.service(client, "10601")
    f.solution(client, "hundesteuer-online", "bochum", ["10601"])
    f.solution(client, "abgaben-portal", "bochum", ["10601"])
    response = client.delete("/api/v1/services/10601")
    assert response.status_code == 409
    assert response.content_type == PROBLEM
    problem = response.get_json()
    assert problem["referenced_by"] == [
        {"entity": "solution", "key": "abgaben-portal"},
        {"entity": "solution", "key": "hundesteuer-online"},
    ]
    assert "hundesteuer-online" in problem["detail"]
    assert client.get("/api/v1/services/10601").status_code == 200
    solution = client.get("/api/v1/solutions/hundesteuer-online").get_json()
    assert solution["services"] == ["10601"]


def test_delete_unreferenced_service_is_204_and_gone(client):
    f.service(client, "10601", leika_keys=["99102112000000"])
    response = client.delete("/api/v1/services/10601")
    assert response.status_code == 204
    assert response.data == b""
    assert client.get("/api/v1/services/10601").status_code == 404


def test_delete_of_unknown_service_is_404_problem(client):
    response = client.delete("/api/v1/services/99999")
    assert response.status_code == 404
    assert response.content_type == PROBLEM


def _three_services(client):
    f.service(
        client,
        "10601",
        "gemeinde",
        name="Hundesteuer",
        themenfeld="Steuern & Zoll",
        leika_keys=["99102112000000"],
    )
    f.service(
        client,
        "10000",
        "kreis",
        name="Elterngeld",
        themenfeld="Familie & Kind",
        leika_keys=["99036003000000"],
    )
    f.service(
        client,
        "10500",
        "gemeinde",
        name="Gewerbesteuer",
        themenfeld="Steuern & Zoll",
        leika_keys=["99102112000000", "99500500000000"],
    )


def _keys(client, query):
    response = client.get(f"/api/v1/services?{query}")
    assert response.status_code == 200, response.get_json()
    return [s["key"] for s in response.get_json()["items"]]


def test_list_is_ordered_by_ozg_id_and_paginated(client):
    _three_services(client)
    page = client.get("/api/v1/services?page_size=2").get_json()
    assert page["pagination"] == {"page": 1, "page_size": 2, "total_items": 3, "total_pages": 2}
    assert [s["key"] for s in page["items"]] == ["10000", "10500"]
    second = client.get("/api/v1/services?page_size=2&page=2").get_json()
    assert second["pagination"] == {"page": 2, "page_size": 2, "total_items": 3, "total_pages": 2}
    assert [s["key"] for s in second["items"]] == ["10601"]


def test_empty_list_has_one_empty_page(client):
    page = client.get("/api/v1/services").get_json()
    assert page == {
        "items": [],
        "pagination": {"page": 1, "page_size": 50, "total_items": 0, "total_pages": 1},
    }


def test_list_filters_by_themenfeld(client):
    _three_services(client)
    assert _keys(client, "themenfeld=Steuern %26 Zoll") == ["10500", "10601"]


def test_list_filters_by_executing_level(client):
    _three_services(client)
    assert _keys(client, "executing_level=kreis") == ["10000"]


def test_list_filters_by_leika_key(client):
    _three_services(client)
    assert _keys(client, "leika_key=99102112000000") == ["10500", "10601"]
    assert _keys(client, "leika_key=99500500000000") == ["10500"]


def test_list_filters_by_name_substring_ignoring_case(client):
    _three_services(client)
    assert _keys(client, "name=STEUER") == ["10500", "10601"]
    assert _keys(client, "name=hund") == ["10601"]


def test_list_name_filter_treats_percent_literally(client):
    _three_services(client)
    assert _keys(client, "name=%25") == []


def test_list_name_filter_ignores_case_of_umlauts(client):
    f.service(client, "10100", name="Führerschein")
    assert _keys(client, "name=FÜHRER") == ["10100"]


def test_list_combines_filters(client):
    _three_services(client)
    assert _keys(client, "executing_level=gemeinde&leika_key=99500500000000") == ["10500"]
    assert _keys(client, "themenfeld=Familie %26 Kind&executing_level=gemeinde") == []


def test_list_rejects_bad_filters(client):
    response = client.get(
        "/api/v1/services?themenfeld=Zoo&executing_level=bezirk&leika_key=123&page=0&colour=red"
    )
    assert response.status_code == 422
    assert response.content_type == PROBLEM
    assert set(response.get_json()["errors"]) == {
        "themenfeld",
        "executing_level",
        "leika_key",
        "page",
        "colour",
    }
