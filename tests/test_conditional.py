"""Conditional requests (RFC 9110 §13): ETags on every representation, 304 for a current
If-None-Match, If-Match with `*` and strong comparison only."""

from __future__ import annotations

import json
from datetime import date, timedelta

from registry.paths import project_dir
from tests import factories as f

BOCHUM = "/api/v1/organisations/059110000000"


def test_a_record_revalidated_with_its_etag_is_304_without_a_body(client, anonymous):
    f.nrw_with_bochum(client)
    first = anonymous.get(BOCHUM)
    tag = first.headers["ETag"]
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-cache"
    for header in (tag, f"W/{tag}", "*", f'"other", {tag}'):
        again = anonymous.get(BOCHUM, headers={"If-None-Match": header})
        assert (again.status_code, again.data, again.headers["ETag"]) == (304, b"", tag), header
    assert anonymous.get(BOCHUM, headers={"If-None-Match": '"0"'}).status_code == 200


def test_if_match_star_matches_any_current_version_and_weak_tags_never(client):
    f.nrw_with_bochum(client)
    tag = client.get(BOCHUM).headers["ETag"]
    weak = client.patch(BOCHUM, json={"population": 1}, headers={"If-Match": f"W/{tag}"})
    assert weak.status_code == 412
    assert weak.mimetype == "application/problem+json"
    star = client.patch(BOCHUM, json={"population": 2}, headers={"If-Match": "*"})
    assert star.status_code == 200
    listed = client.patch(
        BOCHUM, json={"population": 3}, headers={"If-Match": f'"9", {star.headers["ETag"]}'}
    )
    assert listed.status_code == 200
    assert client.patch(BOCHUM, json={"population": 4}, headers={"If-Match": ""}).status_code == 428
    assert client.get(BOCHUM).get_json()["population"] == 3


def test_analysis_answers_follow_the_audit_sequence(client, anonymous, count_statements):
    f.nrw_with_bochum(client)
    f.service(client, "10124", "gemeinde")
    gaps = f"{BOCHUM}/gaps"
    first = anonymous.get(gaps)
    tag = first.headers["ETag"]
    assert tag.startswith('"s')
    count_statements.statements.clear()
    again = anonymous.get(gaps, headers={"If-None-Match": tag})
    assert (again.status_code, again.data) == (304, b"")
    assert len(count_statements) == 1  # the sequence only: no analysis query ran
    f.solution(client, "ewa", "050000000000", ["10124"], efa=True)  # a write moves it on
    changed = anonymous.get(gaps, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    # Estimates start on today's date by default: the tag names the day as well.
    dated = changed.headers["ETag"]
    assert dated.endswith(f'-{date.today():%Y%m%d}"'), dated
    yesterday = dated[: -len('20261202"')] + f'{date.today() - timedelta(days=1):%Y%m%d}"'
    assert anonymous.get(gaps, headers={"If-None-Match": yesterday}).status_code == 200
    listed = anonymous.get("/api/v1/services").headers["ETag"]
    assert dated.startswith(listed[:-1] + "-")  # lists answer the same catalogue state
    lists = anonymous.get("/api/v1/services", headers={"If-None-Match": listed})
    assert lists.status_code == 304


def test_the_spec_declares_the_preconditions():
    spec = json.loads((project_dir("openapi") / "openapi.json").read_text(encoding="utf-8"))
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":  # the path's own, not an operation
                continue
            names = {p.get("name"): p for p in operation.get("parameters", [])}
            if method in ("patch", "delete"):
                assert names["If-Match"]["required"] is True, (method, path)
                assert {"412", "428"} <= set(operation["responses"]), (method, path)
            if method == "get" and path.startswith("/api/v1"):
                assert "If-None-Match" in names, path
                assert "304" in operation["responses"], path
