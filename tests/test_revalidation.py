"""Early revalidation (registry.api.revalidation): an anonymous If-None-Match on a
sequence-tagged answer is answered 304 before Flask builds a request, with the very
headers Flask's own way gives it; everything else goes on to Flask."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import DisconnectionError

from registry.api import conditional
from registry.api.guards import MAX_URL_LENGTH
from registry.db import AUDIT_SEQUENCE_SQL, AuditSequence, Database
from tests import factories as f
from tests.conftest import make_token, token_client

BOCHUM = "/api/v1/organisations/059110000000"
QUESTIONS = (
    f"{BOCHUM}/gaps",  # dated: cost estimates start today
    f"{BOCHUM}/gaps?top=0&sort=cost",
    f"{BOCHUM}/candidates?service=10124",
    "/api/v1/services?page_size=5",
    "/api/v1/services/10124/coverage",
)


@pytest.fixture
def registry(own_database, monkeypatch):
    """The app on its own database (revalidations read the sequence on the pool, as in
    production), its clients, and how often Flask built a request and read the sequence."""
    app = own_database
    admin = token_client(app, make_token(app, "admin", name="admin"))
    f.nrw_with_bochum(admin)
    f.service(admin, "10124", "gemeinde")
    f.solution(admin, "ewa", "050000000000", ["10124"], efa=True)
    built, reads = [], []
    request_context, audit_sequence = app.request_context, Database.audit_sequence

    def building(environ):
        built.append(environ["PATH_INFO"])
        return request_context(environ)

    def reading(self):
        reads.append(audit_sequence(self))
        return reads[-1]

    monkeypatch.setattr(app, "request_context", building)
    monkeypatch.setattr(Database, "audit_sequence", reading)
    return app, admin, token_client(app, None), built, reads


def test_a_current_tag_is_answered_before_flask_with_flasks_own_headers(registry, monkeypatch):
    app, _admin, anonymous, built, reads = registry
    early = []
    for question in QUESTIONS:
        answer = anonymous.get(question)
        assert answer.status_code == 200, question
        tag = answer.headers["ETag"]
        built.clear()
        reads.clear()
        for method in (anonymous.get, anonymous.head):
            again = method(question, headers={"If-None-Match": f'"other", W/{tag}'})
            assert (again.status_code, again.data) == (304, b""), question
            early.append((again.status, again.headers.to_wsgi_list()))
        assert (built, len(reads)) == ([], 2), question  # no request built; one read each
        # The cached answer's headers, less those a 304 leaves out (RFC 9110 §15.4.5).
        entity = ("Content-Type", "Content-Length")
        kept = [(k, v) for k, v in answer.headers.to_wsgi_list() if k not in entity]
        assert sorted(early[-1][1]) == sorted(kept), question
    # Flask's own way, the middleware taken out: the same status and headers.
    monkeypatch.setattr(app, "wsgi_app", app.wsgi_app.inner)
    flasks = []
    for question in QUESTIONS:
        tag = anonymous.get(question).headers["ETag"]
        for method in (anonymous.get, anonymous.head):
            again = method(question, headers={"If-None-Match": f'"other", W/{tag}'})
            flasks.append((again.status, again.headers.to_wsgi_list()))
    assert flasks == early


def test_a_stale_tag_goes_on_to_flask_which_reads_the_sequence_no_second_time(registry):
    _app, admin, anonymous, built, reads = registry
    gaps = f"{BOCHUM}/gaps"
    tag = anonymous.get(gaps).headers["ETag"]
    f.solution(admin, "ewa2", "050000000000", ["10124"], efa=True)  # moves the sequence on
    built.clear()
    reads.clear()
    changed = anonymous.get(gaps, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    assert (built, len(reads)) == ([gaps], 1)
    assert changed.headers["ETag"].startswith(f'"s{reads[0].last_id}-')
    assert "ewa2" in changed.get_data(as_text=True)  # the answer is the new state's


def current(app, path, dated=False, principal=None):
    """The tag the registry would give this question now (made with its own key)."""
    with app.extensions["registry_db"].engine.connect() as connection:
        seen = AuditSequence(*connection.exec_driver_sql(AUDIT_SEQUENCE_SQL).one())
    return conditional.sequence_tag(seen, dated, path, principal)


def test_what_it_does_not_stand_in_for_goes_on_to_flask(registry):
    """Each request here carries the tag that would be current for it, so that only the
    middleware's gates keep it from answering 304 where Flask answers otherwise."""
    app, admin, anonymous, built, _reads = registry
    gaps = f"{BOCHUM}/gaps"
    tag = anonymous.get(gaps).headers["ETag"]
    built.clear()
    # A token: who asks is part of the tag, and only Flask knows the token.
    mine = admin.get(gaps).headers["ETag"]
    assert admin.get(gaps, headers={"If-None-Match": mine}).status_code == 304
    assert admin.get(gaps, headers={"If-None-Match": tag}).status_code == 200  # not theirs
    stranger = token_client(app, "not-a-token")
    assert stranger.get(gaps, headers={"If-None-Match": tag}).status_code == 401
    # `*` names no answer before one is computed (conditional.finish).
    assert anonymous.get(gaps, headers={"If-None-Match": "*"}).status_code == 304
    # A record's tag is its version, not the sequence.
    record = anonymous.get(BOCHUM).headers["ETag"]
    assert anonymous.get(BOCHUM, headers={"If-None-Match": record}).status_code == 304
    sequence_like = {"If-None-Match": current(app, f"{BOCHUM}?")}
    assert anonymous.get(BOCHUM, headers=sequence_like).status_code == 200
    # Only reads are revalidated: a write with a tag is refused without a token.
    services = {"If-None-Match": current(app, "/api/v1/services?")}
    posted = anonymous.post("/api/v1/services", json={}, headers=services)
    assert posted.status_code == 401 and posted.mimetype == "application/problem+json"
    # No such route; a URL over the limit (its tag as it would be, were it answered).
    nowhere = "/api/v1/nowhere?"
    missing = anonymous.get(nowhere, headers={"If-None-Match": current(app, nowhere)})
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    over = f"{gaps}?x={'a' * MAX_URL_LENGTH}"
    long = anonymous.get(over, headers={"If-None-Match": current(app, over, dated=True)})
    assert long.status_code == 414 and long.mimetype == "application/problem+json"
    assert len(built) == 11  # every one of these requests went to Flask
    # A registry that answers only requests with a token refuses this one, tag or not.
    built.clear()
    app.config["READS_REQUIRE_TOKEN"] = True
    try:
        refused = anonymous.get(gaps, headers={"If-None-Match": tag})
    finally:
        app.config["READS_REQUIRE_TOKEN"] = False
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    assert built == [gaps]


def test_a_made_up_tag_never_turns_an_error_into_a_304(registry):
    """The sequence is in every tag and the question in every URL: without the registry's
    key a client could make the tag of a question that fails (RFC 9110 §13.2.1)."""
    app, admin, anonymous, _built, _reads = registry
    unknown = "/api/v1/organisations/059990000000/gaps?"
    audit = "/api/v1/audit?"
    with app.extensions["registry_db"].engine.connect() as connection:
        last_id, key = connection.exec_driver_sql(AUDIT_SEQUENCE_SQL).one()
    for other_key in ("", "00" * 16):  # no key (as before 0017), a guessed one
        guessed = AuditSequence(last_id, other_key)
        for path, status in ((unknown, 404), (audit, 401)):
            made_up = conditional.sequence_tag(guessed, path != audit, path, None)
            answer = anonymous.get(path, headers={"If-None-Match": made_up})
            assert answer.status_code == status, (path, other_key)
            assert answer.mimetype == "application/problem+json"
    # Nor can a tag the registry gave be moved on to a later state where its question
    # fails: the state is part of what the key signs.
    gaps = f"{BOCHUM}/gaps"
    given = anonymous.get(gaps).headers["ETag"]
    assert admin.delete(BOCHUM).status_code == 204
    with app.extensions["registry_db"].engine.connect() as connection:
        now = connection.exec_driver_sql(AUDIT_SEQUENCE_SQL).one()[0]
    moved_on = given.replace(f'"s{given[2:].split("-")[0]}-', f'"s{now}-', 1)
    assert moved_on != given and moved_on.startswith(f'"s{now}-')
    gone = anonymous.get(gaps, headers={"If-None-Match": moved_on})
    assert gone.status_code == 404 and gone.mimetype == "application/problem+json"
    # Only the registry's own key makes a current tag (it never gives one for these).
    assert current(app, unknown, dated=True) != conditional.sequence_tag(
        AuditSequence(last_id, ""), True, unknown, None
    )
    assert len(key) == 32 and key != "00" * 16


def test_a_database_that_fails_the_read_is_answered_by_flask(registry, monkeypatch):
    _app, _admin, anonymous, built, _reads = registry
    gaps = f"{BOCHUM}/gaps"
    tag = anonymous.get(gaps).headers["ETag"]
    built.clear()
    tries = []

    def gone(self):
        tries.append(1)
        raise DisconnectionError("audit sequence: OperationalError")

    monkeypatch.setattr(Database, "audit_sequence", gone)
    down = anonymous.get(gaps, headers={"If-None-Match": tag})
    assert down.status_code == 503 and down.mimetype == "application/problem+json"
    assert (built, tries) == ([gaps], [1])  # Flask answers without trying again


def test_a_route_with_hooks_of_its_own_is_left_to_flask(own_database, monkeypatch):
    """CORS adds an after-request hook: the 304 must carry its headers, so Flask answers."""
    monkeypatch.setenv("REGISTRY_CORS_ORIGINS", "https://dashboard.example.org")
    from registry.app import create_app

    app = create_app({"DATABASE_URL": own_database.config["DATABASE_URL"], "TESTING": True})
    try:
        client = app.test_client()
        origin = {"Origin": "https://dashboard.example.org"}
        tag = client.get("/api/v1/services", headers=origin).headers["ETag"]
        again = client.get("/api/v1/services", headers={**origin, "If-None-Match": tag})
        assert again.status_code == 304
        assert again.headers["Access-Control-Allow-Origin"] == origin["Origin"]
    finally:
        app.extensions["registry_db"].dispose()
