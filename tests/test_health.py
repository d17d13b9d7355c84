"""Liveness and readiness probes."""

from registry.app import create_app


def test_health_answers_without_database():
    app = create_app({"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    assert app.test_client().get("/health").get_json() == {"status": "ok"}


def test_ready_when_database_answers(client):
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_not_ready_when_database_is_gone():
    app = create_app({"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/ready")
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
