"""Conditional requests (RFC 9110 §13): ETags on every representation, 304 for a current
If-None-Match, If-Match with `*` and strong comparison only."""

from __future__ import annotations

import json
from datetime import date, timedelta

from webargs.flaskparser import FlaskParser

from registry.db import Database
from registry.paths import project_dir
from tests import factories as f
from tests.conftest import (
    make_token,
    token_client,
)

BOCHUM = "/api/v1/organisations/059110000000"


def test_a_record_revalidated_with_its_etag_is_304_without_a_body(client, anonymous):
    f.nrw_with_bochum(client)
    first = anonymous.get(BOCHUM)
    tag = first.headers["ETag"]
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-cache"
    for header in (tag, f"W/{tag}", "*", f'"other", {tag}'):
        again = anonymous.get(BOCHUM, headers={"If-None-Match": header})
        assert (again.status_code, again.data, again.headers["ETag"]) == (304, b"", tag), header
        # A 304's headers replace the cached answer's (RFC 9111 §4.3.4): the same policy.
        policy = again.headers["Content-Security-Policy"]
        assert policy == first.headers["Content-Security-Policy"], header
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
    state, day, _question = dated.strip('"').split("-")
    assert day == f"{date.today():%Y%m%d}", dated
    yesterday = dated.replace(day, f"{date.today() - timedelta(days=1):%Y%m%d}")
    assert anonymous.get(gaps, headers={"If-None-Match": yesterday}).status_code == 200
    listed = anonymous.get("/api/v1/services").headers["ETag"]
    assert listed.startswith(f'"{state}-')  # lists answer the same catalogue state
    lists = anonymous.get("/api/v1/services", headers={"If-None-Match": listed})
    assert lists.status_code == 304


def test_a_revalidation_is_answered_before_its_arguments_are_parsed(
    anonymous, client, count_statements, monkeypatch
):
    f.nrw_with_bochum(client)
    f.service(client, "10124", "gemeinde")
    question = f"{BOCHUM}/candidates?service=10124"
    tag = anonymous.get(question).headers["ETag"]
    parsed = []
    original = FlaskParser.parse

    def counting(self, *args, **kwargs):
        parsed.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(FlaskParser, "parse", counting)
    count_statements.statements.clear()
    again = anonymous.get(question, headers={"If-None-Match": tag})
    assert (again.status_code, again.data, again.headers["ETag"]) == (304, b"", tag)
    assert (len(count_statements), parsed) == (1, [])  # the sequence only, nothing parsed
    assert anonymous.get(question).status_code == 200 and parsed  # a 200 parses them


def test_a_tag_names_one_question_so_a_current_tag_never_hides_an_error(anonymous, client):
    """RFC 9110 §13.2.1: If-None-Match counts only where the request without it would
    succeed. A tag from one question is no tag of another (unknown organisation, bad
    argument, another query), and `*` names no answer before one is computed."""
    f.nrw_with_bochum(client)
    f.service(client, "10124", "gemeinde")
    tag = anonymous.get(f"{BOCHUM}/gaps").headers["ETag"]
    unknown = "/api/v1/organisations/059990000000/gaps"
    assert anonymous.get(unknown, headers={"If-None-Match": tag}).status_code == 404
    assert anonymous.get(unknown, headers={"If-None-Match": "*"}).status_code == 404
    bad = anonymous.get(f"{BOCHUM}/gaps?top=-1", headers={"If-None-Match": tag})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    other = anonymous.get(f"{BOCHUM}/gaps?top=1", headers={"If-None-Match": tag})
    assert other.status_code == 200 and other.headers["ETag"] != tag
    star = anonymous.get(f"{BOCHUM}/gaps", headers={"If-None-Match": "*"})
    assert (star.status_code, star.headers["ETag"]) == (304, tag)
    # Who asks is part of the question: an admin's answer may hold more (the audit trail).
    assert client.get(f"{BOCHUM}/gaps").headers["ETag"] != tag
    assert client.get(f"{BOCHUM}/gaps", headers={"If-None-Match": tag}).status_code == 200


def test_a_revalidation_without_the_token_a_registry_requires_is_refused(app, anonymous):
    tag = anonymous.get("/api/v1/services").headers["ETag"]
    app.config["READS_REQUIRE_TOKEN"] = True
    try:
        refused = anonymous.get("/api/v1/services", headers={"If-None-Match": tag})
    finally:
        app.config["READS_REQUIRE_TOKEN"] = False
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"


def test_a_revalidation_reads_the_sequence_on_the_pool_and_sees_every_commit(
    own_database, monkeypatch
):
    app = own_database
    admin = token_client(app, make_token(app, "admin", name="admin"))
    anonymous = token_client(app, None)
    f.nrw_with_bochum(admin)
    f.service(admin, "10124", "gemeinde")
    gaps = f"{BOCHUM}/gaps"
    reads = []
    original = Database.audit_sequence

    def counted(self):
        reads.append(original(self))
        return reads[-1]

    monkeypatch.setattr(Database, "audit_sequence", counted)
    tag = anonymous.get(gaps).headers["ETag"]
    assert reads == []  # a plain GET reads the sequence in its own session
    again = anonymous.get(gaps, headers={"If-None-Match": tag})
    assert (again.status_code, again.headers["ETag"]) == (304, tag)
    assert len(reads) == 1 and tag.startswith(f'"s{reads[0].last_id}-')
    db = app.extensions["registry_db"]
    if db.engine.dialect.name == "postgresql":
        # Reads (this one too) on their own pool, in autocommit; the writes' pool never
        # hands out a connection in autocommit (each statement would commit on its own).
        writes = [db.engine.raw_connection() for _ in range(db.engine.pool.checkedin() + 1)]
        reads_pool = [
            db.read_engine.raw_connection() for _ in range(db.read_engine.pool.checkedin())
        ]
        assert reads_pool and all(c.driver_connection.autocommit for c in reads_pool)
        assert not any(c.driver_connection.autocommit for c in writes)
        for connection in writes + reads_pool:
            connection.close()
    f.solution(admin, "ewa", "050000000000", ["10124"], efa=True)  # committed: it moves on
    moved = anonymous.get(gaps, headers={"If-None-Match": tag})
    assert moved.status_code == 200 and reads[-1].last_id > reads[0].last_id
    assert moved.headers["ETag"].startswith(f'"s{reads[-1].last_id}-')
    assert anonymous.get(gaps, headers={"If-None-Match": moved.headers["ETag"]}).status_code == 304


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
