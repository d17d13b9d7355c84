"""Limits and protective headers: body size, page size, security headers, CORS, read tokens."""

from registry.app import create_app


def test_page_size_is_capped(client):
    response = client.get("/api/v1/organisations?page_size=501")
    assert response.status_code == 422
    assert "page_size" in response.get_json()["errors"]


def test_security_headers_on_api_and_errors(anonymous):
    for path in ("/api/v1/organisations", "/api/v1/organisations/nope"):
        response = anonymous.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_cors_is_off_by_default(anonymous):
    response = anonymous.get("/api/v1/services", headers={"Origin": "https://example.org"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_allows_configured_origins(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTRY_CORS_ORIGINS", "https://dashboard.example.org")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/c.sqlite3"})
    response = app.test_client().get("/health", headers={"Origin": "https://dashboard.example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://dashboard.example.org"
    other = app.test_client().get("/health", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_reads_can_require_a_token(app, anonymous, client):
    app.config["READS_REQUIRE_TOKEN"] = True
    try:
        assert anonymous.get("/api/v1/services").status_code == 401
        assert client.get("/api/v1/services").status_code == 200
        assert anonymous.get("/health").status_code == 200
    finally:
        app.config["READS_REQUIRE_TOKEN"] = False


def test_malformed_authorization_is_401(anonymous):
    response = anonymous.get("/api/v1/services", headers={"Authorization": "Basic abc"})
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"
