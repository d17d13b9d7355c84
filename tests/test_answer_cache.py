"""The answer cache (registry.api.answer_cache): a repeated analysis question under the
same audit sequence is answered from memory, a write moves every answer on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from registry.api.answer_cache import EXTENSION, AnswerCache
from tests import factories as f

BOCHUM = "/api/v1/organisations/059110000000"


@pytest.fixture
def cache(app: Flask) -> Iterator[AnswerCache]:
    """The shared test app runs without one (conftest.base_app): switched on for the
    duration of one test, whose data it then outlives by nothing."""
    kept = AnswerCache(1_000_000)
    app.extensions[EXTENSION] = kept
    yield kept
    del app.extensions[EXTENSION]


def test_a_repeated_question_is_answered_from_memory(client, anonymous, cache, count_statements):
    f.nrw_with_bochum(client)
    f.service(client, "10124", "gemeinde")
    f.solution(client, "ewa", "050000000000", ["10124"], efa=True)
    gaps = f"{BOCHUM}/gaps"
    first = anonymous.get(gaps)
    assert first.status_code == 200 and len(cache) == 1
    count_statements.statements.clear()
    again = anonymous.get(gaps)
    assert again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.mimetype == "application/json"
    assert len(count_statements) == 1, count_statements.statements  # the sequence only
    # another query is another answer
    other = anonymous.get(f"{gaps}?top=0")
    assert other.status_code == 200 and other.data != first.data and len(cache) == 2


def test_a_write_moves_every_answer_on(client, anonymous, cache):
    f.nrw_with_bochum(client)
    f.service(client, "10124", "gemeinde")
    f.solution(client, "ewa", "050000000000", ["10124"], efa=True)
    gaps = f"{BOCHUM}/gaps"
    before = anonymous.get(gaps).get_json()
    assert [g["service"]["ozg_id"] for g in before["gaps"]] == ["10124"]
    f.adoption(client, "059110000000", "ewa", "live")
    after = anonymous.get(gaps).get_json()
    assert after["gaps"] == [] and after["offered"] == 1


def test_errors_and_304s_are_not_kept(client, anonymous, cache):
    f.nrw_with_bochum(client)
    assert anonymous.get("/api/v1/organisations/059999999999/gaps").status_code == 404
    tag = anonymous.get(f"{BOCHUM}/gaps").headers["ETag"]
    assert len(cache) == 1
    assert anonymous.get(f"{BOCHUM}/gaps", headers={"If-None-Match": tag}).status_code == 304
    assert len(cache) == 1


def test_the_cache_is_bounded_by_bytes_least_recently_used_first():
    cache = AnswerCache(400)
    for n in range(5):
        cache.put(("s1", f"/{n}"), b"x" * 90, "application/json")
    assert len(cache) == 4 and cache.size == 360
    assert cache.get(("s1", "/0")) is None  # the oldest went first
    assert cache.get(("s1", "/1")) is not None  # used: now the newest
    cache.put(("s1", "/5"), b"y" * 90, "application/json")
    assert cache.get(("s1", "/1")) is not None and cache.get(("s1", "/2")) is None
    cache.put(("s1", "/big"), b"z" * 101, "application/json")  # over a quarter: not kept
    assert cache.get(("s1", "/big")) is None and cache.size <= 400


def test_every_sequence_read_is_kept_with_the_headers_of_a_computed_one(
    client, anonymous, cache, count_statements
):
    f.nrw_with_bochum(client)
    path = "/api/v1/organisations?land=05"
    first = anonymous.get(path)
    assert first.status_code == 200 and len(cache) == 1
    count_statements.statements.clear()
    again = anonymous.get(path)
    assert len(count_statements) == 1
    assert again.data == first.data
    assert dict(again.headers) == dict(first.headers)


def test_an_answer_to_a_token_is_never_kept_nor_given_to_anyone_else(client, anonymous, cache):
    """The audit trail is an admin's: an admin's answer must not reach an anonymous
    reader from memory (the key does not say who asked), so answers to tokens are not
    kept and tokens are not answered from the cache."""
    f.nrw_with_bochum(client)
    assert client.get("/api/v1/audit").status_code == 200
    assert len(cache) == 0
    refused = anonymous.get("/api/v1/audit")
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    anonymous.get(f"{BOCHUM}/gaps")  # kept for anonymous readers ...
    assert len(cache) == 1
    count_before = len(cache)
    assert client.get(f"{BOCHUM}/gaps").status_code == 200  # ... an admin's is computed
    assert len(cache) == count_before


def test_json_dumps_with_ensure_ascii_is_honoured(app):
    with app.app_context():
        assert app.json.dumps({"ö": 1}, ensure_ascii=True) == '{"\\u00f6": 1}'
