"""Every error is application/problem+json, never an HTML page."""

import pytest

from registry.app import create_app

PROBLEM = "application/problem+json"


def assert_problem(response, status):
    assert response.status_code == status
    assert response.content_type == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert body["type"] and body["title"] and body["detail"]
    return body


def test_unknown_path_is_404_problem(client):
    assert_problem(client.get("/api/v1/nothing-here"), 404)


def test_wrong_method_is_405_problem_with_allow(client):
    response = client.put("/api/v1/organisations")
    assert_problem(response, 405)
    assert "POST" in response.headers["Allow"]


def test_malformed_json_is_400_problem(client):
    body = assert_problem(
        client.post("/api/v1/services", data="{nope", content_type="application/json"), 400
    )
    assert body["detail"] == "Invalid JSON body."


def test_body_over_the_limit_is_413_problem(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 200
    try:
        response = client.post("/api/v1/services", json={"name": "x" * 500})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert_problem(response, 413)


def test_a_bundle_has_its_own_larger_limit(client, app):
    limits = app.config["MAX_CONTENT_LENGTH"], app.config["MAX_IMPORT_BYTES"]
    app.config["MAX_CONTENT_LENGTH"], app.config["MAX_IMPORT_BYTES"] = 200, 400
    line = '{"type": "service", "record": {"ozg_id": "1", "name": "%s"}}\n' % ("x" * 200)
    try:
        within = client.post("/api/v1/import", data=line, content_type="application/x-ndjson")
        over = client.post("/api/v1/import", data=line * 2, content_type="application/x-ndjson")
    finally:
        app.config["MAX_CONTENT_LENGTH"], app.config["MAX_IMPORT_BYTES"] = limits
    assert within.status_code == 422  # read and judged: the record itself is invalid
    assert_problem(over, 413)


def test_validation_error_names_nested_fields(client):
    response = client.post(
        "/api/v1/solutions",
        json={
            "slug": "Bad Slug",
            "name": "x",
            "builder": "bund",
            "status": "live",
            "price": {"model": "flat", "annual_fee_cents": -1},
        },
    )
    body = assert_problem(response, 422)
    assert set(body["errors"]) == {"slug", "price.annual_fee_cents"}


@pytest.fixture
def failing_app(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"})

    @app.route("/boom")
    def boom():
        raise RuntimeError("a bug")

    return app


def test_unhandled_error_is_500_problem_without_internals(failing_app):
    body = assert_problem(failing_app.test_client().get("/boom"), 500)
    assert "a bug" not in body["detail"]
