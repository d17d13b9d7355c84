"""The committed OpenAPI document is the one the app serves, and it is valid."""

import json

from openapi_spec_validator import validate

from registry.cli import openapi_text
from registry.paths import project_dir

COMMITTED = project_dir("openapi") / "openapi.json"
METHODS = {"get", "post", "put", "patch", "delete"}


def test_committed_spec_equals_generated(base_app):
    assert COMMITTED.read_text(encoding="utf-8") == openapi_text(base_app), (
        "openapi/openapi.json is stale: run `registry openapi` and commit the result"
    )


def test_served_spec_equals_committed(client):
    served = client.get("/openapi.json")
    assert served.status_code == 200
    assert served.get_json() == json.loads(COMMITTED.read_text(encoding="utf-8"))


def test_spec_is_valid_openapi():
    validate(json.loads(COMMITTED.read_text(encoding="utf-8")))


def test_every_operation_is_described_with_an_example():
    spec = json.loads(COMMITTED.read_text(encoding="utf-8"))
    missing = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            if not operation.get("summary"):
                missing.append(f"{method} {path}: summary")
            if not operation.get("description"):
                missing.append(f"{method} {path}: description")
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None and "example" not in body and "examples" not in body:
                missing.append(f"{method} {path}: request example")
            ok = [r for s, r in operation["responses"].items() if s.startswith("2")]
            shown = [c for r in ok for c in r.get("content", {}).values()]
            if shown and not any("example" in c or "examples" in c for c in shown):
                missing.append(f"{method} {path}: response example")
    assert missing == []


def test_errors_are_documented_as_problem_json():
    spec = json.loads(COMMITTED.read_text(encoding="utf-8"))
    for name in ("NOT_FOUND", "CONFLICT", "UNPROCESSABLE_ENTITY", "DEFAULT_ERROR"):
        assert set(spec["components"]["responses"][name]["content"]) == {"application/problem+json"}


def test_docs_page_is_served(client):
    response = client.get("/docs")
    assert response.status_code == 200
    assert b"swagger-ui" in response.data
