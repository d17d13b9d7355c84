"""Who may write what, as a matrix: every write operation × every role → the expected status.

Roles: anonymous, the editor of Bochum, the editor of Mülheim an der Ruhr (another
organisation), an admin. Most operations touch Bochum's records, so the Bochum editor is
"the editor of the organisation" and the Mülheim editor "the editor of another one"; the
operations on Mülheim's records turn this round. A refused write (401/403, and 409/422
where the rules refuse it for admins too) leaves the record exactly as it was.

ETag / If-Match are tested with a plain Flask client that sends only the headers given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask.testing import FlaskClient

from registry.logic import tokens
from tests import factories as f
from tests.conftest import make_token, token_client

PROBLEM = "application/problem+json"
BUND = "bund"
NRW = "050000000000"
ARNSBERG = "059000000000"
BOCHUM = "059110000000"
HERNE = "059160000000"
DUESSELDORF = "051000000000"
MUELHEIM = "051170000000"

ROLES = ("anonymous", "bochum_editor", "muelheim_editor", "admin")
BOCHUM_EDITOR = "bochum-digital"
MUELHEIM_EDITOR = "muelheim-digital"


@dataclass
class World:
    clients: dict[str, FlaskClient]
    tokens: dict[str, str]
    bochum_adoption: int
    muelheim_adoption: int


def build_world(app, client, anonymous) -> World:
    """Bund, NRW, RB Arnsberg with Bochum and Herne, RB Düsseldorf with Mülheim; two
    services; ELFE (built by NRW), two solutions built by Bochum; Bochum adopts ELFE,
    Mülheim adopts bochum-portal. Herne, service 10001 and bochum-app are unreferenced."""
    f.land(client)
    f.organisation(client, ARNSBERG, "Regierungsbezirk Arnsberg", "regierungsbezirk", NRW)
    f.organisation(
        client,
        BOCHUM,
        "Bochum",
        "kreisfreie_stadt",
        ARNSBERG,
        slug="bochum",
        population=358676,
        population_date="2024-12-31",
    )
    f.organisation(client, HERNE, "Herne", "kreisfreie_stadt", ARNSBERG, slug="herne")
    f.organisation(client, DUESSELDORF, "Regierungsbezirk Düsseldorf", "regierungsbezirk", NRW)
    f.organisation(
        client,
        MUELHEIM,
        "Mülheim an der Ruhr",
        "kreisfreie_stadt",
        DUESSELDORF,
        slug="muelheim-an-der-ruhr",
        population=173050,
    )
    f.service(client, "10000", "gemeinde", name="Wohngeld")
    f.service(client, "10001", "gemeinde", name="Hundesteuer")
    f.solution(client, "elfe", NRW, ["10000"], name="ELFE")
    f.solution(client, "bochum-portal", "bochum", ["10000"])
    f.solution(client, "bochum-app", "bochum", ["10000"])
    bochum_adoption = f.adoption(client, "bochum", "elfe", status="contracted")["id"]
    muelheim_adoption = f.adoption(client, "muelheim-an-der-ruhr", "bochum-portal")["id"]
    raw = {
        "bochum_editor": make_token(app, "editor", BOCHUM, name=BOCHUM_EDITOR),
        "muelheim_editor": make_token(app, "editor", MUELHEIM, name=MUELHEIM_EDITOR),
    }
    clients = {
        "anonymous": anonymous,
        "bochum_editor": token_client(app, raw["bochum_editor"]),
        "muelheim_editor": token_client(app, raw["muelheim_editor"]),
        "admin": client,
    }
    return World(clients, raw, bochum_adoption, muelheim_adoption)


@pytest.fixture
def world(app, client, anonymous) -> World:
    return build_world(app, client, anonymous)


def plain_client(app) -> FlaskClient:
    """A client that sends exactly the headers given: no token, no automatic If-Match."""
    return FlaskClient(app, app.response_class, use_cookies=True)


def bearer(raw: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}", **extra}


def state(client: FlaskClient, path: str) -> tuple[int, Any, str | None]:
    response = client.get(path)
    return response.status_code, response.get_json(), response.headers.get("ETag")


def assert_problem(response, status: int) -> None:
    assert response.status_code == status, response.get_json()
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"]
    if status == 401:
        assert response.headers.get("WWW-Authenticate", "").startswith("Bearer")


# ---------------------------------------------------------------------------------------
# The matrix
# ---------------------------------------------------------------------------------------

ADOPTIONS = "/api/v1/adoptions"


@dataclass(frozen=True)
class Op:
    """One write; `expected` per role in ROLES order; `probe` is what a GET should show
    unchanged after a refusal (default: the path itself)."""

    id: str
    method: str
    path: str
    body: dict[str, Any] | None
    expected: tuple[int, int, int, int]
    probe: str | None = None
    changes: bool = True  # does a successful write change what the probe shows?
    extra: dict[str, Any] = field(default_factory=dict)


def _org(key: str) -> str:
    return f"/api/v1/organisations/{key}"


OPS = [
    # organisations: only admins create or delete; an editor keeps its own record current
    Op(
        "org-create",
        "POST",
        "/api/v1/organisations",
        {"slug": "kommunal-it", "name": "Kommunal-IT", "kind": "non_territorial"},
        (401, 403, 403, 201),
        probe=_org("kommunal-it"),
    ),
    Op(
        "org-create-below-own",
        "POST",
        "/api/v1/organisations",
        {
            "slug": "stadtwerke-bochum",
            "name": "Stadtwerke Bochum",
            "kind": "non_territorial",
            "parent": "bochum",
        },
        (401, 403, 403, 201),
        probe=_org("stadtwerke-bochum"),
    ),
    Op(
        "org-patch-own-population",
        "PATCH",
        _org(BOCHUM),
        {"population": 360000, "population_date": "2025-06-30"},
        (401, 200, 403, 200),
    ),
    Op(
        "org-patch-own-name-source",
        "PATCH",
        _org("bochum"),
        {"name": "Stadt Bochum", "source": "Stadt Bochum, Einwohnermeldeamt"},
        (401, 200, 403, 200),
    ),
    Op(
        "org-patch-own-parent", "PATCH", _org(BOCHUM), {"parent": DUESSELDORF}, (401, 403, 403, 200)
    ),
    Op("org-patch-own-slug", "PATCH", _org(BOCHUM), {"slug": "stadt-bochum"}, (401, 403, 403, 200)),
    Op(
        "org-patch-own-ars",
        "PATCH",
        _org("bochum"),
        {"ars": "059110000001"},
        (401, 403, 403, 200),
    ),
    Op("org-patch-own-kind", "PATCH", _org(BOCHUM), {"kind": "kreis"}, (401, 403, 403, 200)),
    Op(
        "org-patch-own-land-code",
        "PATCH",
        _org(BOCHUM),
        {"land_code": "09"},
        (401, 403, 403, 422),  # the admin may, but the ARS says Land 05
    ),
    Op(
        "org-patch-own-duties",
        "PATCH",
        _org(BOCHUM),
        {"duties": ["kreis", "gemeinde"]},
        (401, 403, 403, 200),
    ),
    Op(
        "org-patch-own-population-and-parent",
        "PATCH",
        _org(BOCHUM),
        {"population": 1, "parent": DUESSELDORF},
        (401, 403, 403, 200),
    ),
    Op(
        "org-patch-muelheim",
        "PATCH",
        _org(MUELHEIM),
        {"population": 170000},
        (401, 403, 200, 200),
    ),
    Op("org-patch-parent-nrw", "PATCH", _org(NRW), {"name": "NRW"}, (401, 403, 403, 200)),
    Op("org-delete-own", "DELETE", _org(BOCHUM), None, (401, 403, 403, 409)),
    Op("org-delete-unreferenced", "DELETE", _org(HERNE), None, (401, 403, 403, 204)),
    Op("org-delete-muelheim", "DELETE", _org(MUELHEIM), None, (401, 403, 403, 409)),
    # services: admins only
    Op(
        "service-create",
        "POST",
        "/api/v1/services",
        {
            "ozg_id": "10002",
            "name": "Meldebescheinigung",
            "themenfeld": "Querschnitt",
            "executing_level": "gemeinde",
        },
        (401, 403, 403, 201),
        probe="/api/v1/services/10002",
    ),
    Op(
        "service-patch",
        "PATCH",
        "/api/v1/services/10000",
        {"name": "Wohngeld online"},
        (401, 403, 403, 200),
    ),
    Op("service-delete", "DELETE", "/api/v1/services/10001", None, (401, 403, 403, 204)),
    # bundle import: admins only (the body is one NDJSON line)
    Op(
        "bundle-import",
        "POST",
        "/api/v1/import",
        {
            "type": "service",
            "record": {
                "ozg_id": "10602",
                "name": "Importierte Leistung",
                "themenfeld": "Querschnitt",
                "executing_level": "gemeinde",
            },
        },
        (401, 403, 403, 200),
        probe="/api/v1/services/10602",
    ),
    Op(
        "service-delete-implemented",
        "DELETE",
        "/api/v1/services/10000",
        None,
        (401, 403, 403, 409),
    ),
    # solutions: the builder's editor
    Op(
        "solution-create-own-builder-slug",
        "POST",
        "/api/v1/solutions",
        {"slug": "bochum-termin", "name": "Termin", "builder": "bochum", "status": "pilot"},
        (401, 201, 403, 201),
        probe="/api/v1/solutions/bochum-termin",
    ),
    Op(
        "solution-create-own-builder-ars",
        "POST",
        "/api/v1/solutions",
        {"slug": "bochum-termin", "name": "Termin", "builder": BOCHUM, "status": "pilot"},
        (401, 201, 403, 201),
        probe="/api/v1/solutions/bochum-termin",
    ),
    Op(
        "solution-create-muelheim-builder",
        "POST",
        "/api/v1/solutions",
        {"slug": "mh-termin", "name": "Termin", "builder": MUELHEIM, "status": "pilot"},
        (401, 403, 201, 201),
        probe="/api/v1/solutions/mh-termin",
    ),
    Op(
        "solution-create-third-builder",
        "POST",
        "/api/v1/solutions",
        {"slug": "nrw-termin", "name": "Termin", "builder": NRW, "status": "pilot"},
        (401, 403, 403, 201),
        probe="/api/v1/solutions/nrw-termin",
    ),
    Op(
        "solution-create-own-with-foreign-operator",
        "POST",
        "/api/v1/solutions",
        {
            "slug": "bochum-termin",
            "name": "Termin",
            "builder": "bochum",
            "operator": NRW,
            "status": "pilot",
        },
        (401, 201, 403, 201),
        probe="/api/v1/solutions/bochum-termin",
    ),
    Op(
        "solution-patch-own",
        "PATCH",
        "/api/v1/solutions/bochum-portal",
        {"name": "Bochum-Portal", "price": {"model": "flat", "annual_fee_cents": 120000}},
        (401, 200, 403, 200),
    ),
    Op(
        "solution-patch-own-builder-unchanged",
        "PATCH",
        "/api/v1/solutions/bochum-portal",
        {"builder": "bochum"},
        (401, 200, 403, 200),
        changes=False,
    ),
    Op(
        "solution-patch-own-builder-to-muelheim",
        "PATCH",
        "/api/v1/solutions/bochum-portal",
        {"builder": MUELHEIM},
        (401, 403, 403, 200),
    ),
    Op(
        "solution-patch-own-builder-to-muelheim-with-name",
        "PATCH",
        "/api/v1/solutions/bochum-app",
        {"name": "Bochum-App", "builder": "muelheim-an-der-ruhr"},
        (401, 403, 403, 200),
    ),
    Op(
        "solution-patch-foreign",
        "PATCH",
        "/api/v1/solutions/elfe",
        {"name": "ELFE NRW"},
        (401, 403, 403, 200),
    ),
    Op(
        "solution-patch-foreign-take-over",
        "PATCH",
        "/api/v1/solutions/elfe",
        {"builder": "bochum"},
        (401, 403, 403, 200),
    ),
    Op("solution-delete-own", "DELETE", "/api/v1/solutions/bochum-app", None, (401, 204, 403, 204)),
    Op(
        "solution-delete-own-adopted",
        "DELETE",
        "/api/v1/solutions/bochum-portal",
        None,
        (401, 409, 403, 409),
    ),
    Op("solution-delete-foreign", "DELETE", "/api/v1/solutions/elfe", None, (401, 403, 403, 409)),
    # adoptions: the adopter's editor
    Op(
        "adoption-create-own",
        "POST",
        ADOPTIONS,
        {
            "organisation": "bochum",
            "solution": "bochum-portal",
            "status": "live",
            "provenance": "self_declared",
        },
        (401, 201, 403, 201),
        probe=f"{ADOPTIONS}?organisation=bochum",
    ),
    Op(
        "adoption-create-own-by-ars",
        "POST",
        ADOPTIONS,
        {
            "organisation": BOCHUM,
            "solution": "bochum-portal",
            "status": "live",
            "provenance": "self_declared",
        },
        (401, 201, 403, 201),
        probe=f"{ADOPTIONS}?organisation=bochum",
    ),
    Op(
        "adoption-create-for-muelheim",
        "POST",
        ADOPTIONS,
        {
            "organisation": "muelheim-an-der-ruhr",
            "solution": "elfe",
            "status": "interested",
            "provenance": "self_declared",
        },
        (401, 403, 201, 201),
        probe=f"{ADOPTIONS}?organisation={MUELHEIM}",
    ),
    Op(
        "adoption-create-for-nrw",
        "POST",
        ADOPTIONS,
        {
            "organisation": NRW,
            "solution": "bochum-portal",
            "status": "contracted",
            "provenance": "contract",
        },
        (401, 403, 403, 201),
        probe=f"{ADOPTIONS}?organisation={NRW}",
    ),
    Op(
        "adoption-patch-own",
        "PATCH",
        "{bochum_adoption}",
        {"status": "onboarding", "note": "Schulung im März"},
        (401, 200, 403, 200),
    ),
    Op(
        "adoption-patch-own-organisation-unchanged",
        "PATCH",
        "{bochum_adoption}",
        {"organisation": "bochum"},
        (401, 200, 403, 200),
        changes=False,
    ),
    Op(
        "adoption-move-own-to-muelheim",
        "PATCH",
        "{bochum_adoption}",
        {"organisation": MUELHEIM},
        (401, 403, 403, 200),
    ),
    Op(
        "adoption-move-own-to-muelheim-with-status",
        "PATCH",
        "{bochum_adoption}",
        {"status": "live", "organisation": "muelheim-an-der-ruhr"},
        (401, 403, 403, 200),
    ),
    Op(
        "adoption-patch-muelheims",
        "PATCH",
        "{muelheim_adoption}",
        {"status": "onboarding"},
        (401, 403, 200, 200),
    ),
    Op(
        "adoption-move-muelheims-to-bochum",
        "PATCH",
        "{muelheim_adoption}",
        {"organisation": "bochum"},
        (401, 403, 403, 200),
    ),
    Op("adoption-delete-own", "DELETE", "{bochum_adoption}", None, (401, 204, 403, 204)),
    Op("adoption-delete-muelheims", "DELETE", "{muelheim_adoption}", None, (401, 403, 204, 204)),
]

CASES = [
    pytest.param(op, role, expected, id=f"{op.id}-{role}")
    for op in OPS
    for role, expected in zip(ROLES, op.expected, strict=True)
]


def _resolve(path: str, world: World) -> str:
    if path.startswith("{"):
        return f"{ADOPTIONS}/{path.format(**vars(world))}"
    return path


def test_matrix_covers_every_write_route(app):
    """Every POST/PATCH/DELETE/PUT route of the API appears in the matrix."""
    paths = {(op.method, op.path.replace("{bochum_adoption}", f"{ADOPTIONS}/1")) for op in OPS}
    for rule in app.url_map.iter_rules():
        pattern = re.compile("^" + re.sub(r"<[^>]+>", "[^/]+", rule.rule) + "$")
        for method in set(rule.methods or ()) & {"POST", "PUT", "PATCH", "DELETE"}:
            assert any(m == method and pattern.match(p) for m, p in paths), (method, rule.rule)


@pytest.mark.parametrize(("op", "role", "expected"), CASES)
def test_write_matrix(world, op: Op, role: str, expected: int):
    admin = world.clients["admin"]
    path = _resolve(op.path, world)
    probe = _resolve(op.probe, world) if op.probe else path
    before = state(admin, probe)
    assert before[0] == (404 if op.method == "POST" and "?" not in probe else 200)

    client = world.clients[role]
    if op.method == "POST":
        response = client.post(path, json=op.body)
    elif op.method == "PATCH":
        response = client.patch(path, json=op.body)
    else:
        response = client.delete(path)

    assert response.status_code == expected, response.get_json()
    after = state(admin, probe)
    if expected >= 400:
        assert_problem(response, expected)
        assert after == before, "a refused write changed the record"
    elif op.changes:
        assert after != before, "an accepted write changed nothing"
    if expected in (200, 201) and op.path != "/api/v1/import":  # a report, not a record
        assert response.headers.get("ETag"), "a written record comes with its ETag"
    if expected == 200 and op.method == "PATCH":
        assert response.get_json() == after[1]
        assert response.headers["ETag"] == after[2]
    if expected == 204:
        assert after[0] == 404


# ---------------------------------------------------------------------------------------
# Editors cannot promote themselves; there is no token API
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"role": "admin"},
        {"is_admin": True},
        {"admin": True},
        {"token": {"role": "admin"}},
        {"population": 360001, "role": "admin"},
    ],
)
def test_editor_cannot_make_itself_admin_through_its_record(world, body):
    editor = world.clients["bochum_editor"]
    before = state(world.clients["admin"], _org(BOCHUM))
    response = editor.patch(_org(BOCHUM), json=body)
    assert_problem(response, 422)
    unknown = set(body) - {"population"}
    assert unknown <= set(response.get_json()["errors"]), response.get_json()
    assert state(world.clients["admin"], _org(BOCHUM)) == before
    # still an editor: admin-only writes stay refused
    service = {
        "ozg_id": "10009",
        "name": "Gewerbeanmeldung",
        "themenfeld": "Querschnitt",
        "executing_level": "gemeinde",
    }
    assert_problem(editor.post("/api/v1/services", json=service), 403)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/tokens"),
        ("POST", "/api/v1/tokens"),
        ("POST", "/api/v1/api-tokens"),
        ("POST", "/api/v1/api_tokens"),
        ("PATCH", "/api/v1/tokens/bochum-digital"),
        ("DELETE", "/api/v1/tokens/bochum-digital"),
        ("POST", "/api/v1/organisations/bochum/tokens"),
        ("PUT", "/api/v1/organisations/bochum"),
        ("POST", "/api/v1/organisations/bochum"),
        ("POST", "/api/v1/admin"),
    ],
)
def test_there_is_no_api_to_create_or_change_tokens(world, method, path):
    editor = world.clients["bochum_editor"]
    response = editor.open(path, method=method, json={"role": "admin", "name": "me"})
    assert response.status_code in (404, 405), response.get_json()
    assert response.mimetype == PROBLEM
    # the editor is still bound to Bochum
    assert editor.patch(_org(MUELHEIM), json={"population": 1}).status_code == 403


def test_editor_cannot_write_into_the_audit_trail_or_feed(world):
    editor = world.clients["bochum_editor"]
    for path in ("/api/v1/audit", "/api/v1/changes"):
        response = editor.post(path, json={"actor": "admin"})
        assert response.status_code == 405
        assert response.mimetype == PROBLEM


# ---------------------------------------------------------------------------------------
# Bochum's editor and Mülheim's adoptions, spelled out
# ---------------------------------------------------------------------------------------


def test_bochum_editor_cannot_touch_muelheims_adoptions(world):
    editor = world.clients["bochum_editor"]
    admin = world.clients["admin"]
    path = f"{ADOPTIONS}/{world.muelheim_adoption}"
    before = state(admin, path)
    assert_problem(editor.patch(path, json={"status": "ended", "ended_on": "2025-01-01"}), 403)
    assert_problem(editor.patch(path, json={"note": "nur eine Notiz"}), 403)
    assert_problem(editor.patch(path, json={"organisation": "bochum"}), 403)
    assert_problem(editor.delete(path), 403)
    assert state(admin, path) == before
    new = {
        "organisation": "muelheim-an-der-ruhr",
        "solution": "elfe",
        "status": "live",
        "provenance": "self_declared",
    }
    assert_problem(editor.post(ADOPTIONS, json=new), 403)
    assert_problem(editor.post(ADOPTIONS, json={**new, "organisation": MUELHEIM}), 403)
    listed = admin.get(f"{ADOPTIONS}?organisation={MUELHEIM}").get_json()["items"]
    assert [a["id"] for a in listed] == [world.muelheim_adoption]


def test_bochum_editor_cannot_move_its_adoption_elsewhere(world):
    editor = world.clients["bochum_editor"]
    admin = world.clients["admin"]
    path = f"{ADOPTIONS}/{world.bochum_adoption}"
    before = state(admin, path)
    for target in (MUELHEIM, "muelheim-an-der-ruhr", NRW, HERNE, BUND):
        assert_problem(editor.patch(path, json={"organisation": target}), 403)
    assert state(admin, path) == before
    # but it does keep its own adoption current
    response = editor.patch(path, json={"status": "live", "live_on": "2025-02-01"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["organisation"] == BOCHUM


def test_editor_forbidden_problem_names_the_token(world):
    response = world.clients["bochum_editor"].post(
        "/api/v1/organisations", json={"slug": "x", "name": "X", "kind": "non_territorial"}
    )
    assert_problem(response, 403)
    assert BOCHUM_EDITOR in response.get_json()["detail"]


# ---------------------------------------------------------------------------------------
# Authentication: missing, malformed, unknown and revoked tokens
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/organisations"),
        ("PATCH", f"/api/v1/organisations/{BOCHUM}"),
        ("DELETE", f"/api/v1/organisations/{HERNE}"),
        ("POST", "/api/v1/services"),
        ("PATCH", "/api/v1/services/10000"),
        ("DELETE", "/api/v1/services/10001"),
        ("POST", "/api/v1/solutions"),
        ("PATCH", "/api/v1/solutions/bochum-portal"),
        ("DELETE", "/api/v1/solutions/bochum-app"),
        ("POST", "/api/v1/adoptions"),
        ("PATCH", "/api/v1/adoptions/1"),
        ("DELETE", "/api/v1/adoptions/1"),
        ("PUT", "/api/v1/organisations/bochum"),
    ],
)
def test_anonymous_writes_are_401_even_with_if_match_and_bad_bodies(app, world, method, path):
    c = plain_client(app)
    for headers, body in (({}, {}), ({"If-Match": '"1"'}, {"unknown": 1}), ({}, None)):
        response = c.open(path, method=method, headers=headers, json=body)
        assert_problem(response, 401)
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="efa-registry"'


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer efa_not-a-real-token",
        "Bearer ",
        "Bearer",
        "Basic YWRtaW46YWRtaW4=",
        "Token efa_x",
        "efa_x",
    ],
)
def test_bad_tokens_are_401_on_reads_and_writes(app, world, authorization):
    c = plain_client(app)
    headers = {"Authorization": authorization}
    for response in (
        c.get("/api/v1/organisations", headers=headers),
        c.get(_org(BOCHUM), headers=headers),
        c.get("/api/v1/changes", headers=headers),
        c.patch(_org(BOCHUM), headers=headers, json={"population": 1}),
    ):
        assert_problem(response, 401)
    assert state(world.clients["admin"], _org(BOCHUM))[1]["population"] == 358676


def test_reads_without_token_are_public(app, world):
    c = plain_client(app)
    for path in ("/api/v1/organisations", _org("bochum"), "/api/v1/solutions/elfe"):
        assert c.get(path).status_code == 200


def test_revoked_token_is_401(app, session, world):
    raw = world.tokens["bochum_editor"]
    c = plain_client(app)
    etag = c.get(_org(BOCHUM)).headers["ETag"]
    ok = c.patch(_org(BOCHUM), headers=bearer(raw, **{"If-Match": etag}), json={"population": 2})
    assert ok.status_code == 200, ok.get_json()

    tokens.revoke(session, BOCHUM_EDITOR)
    session.commit()

    before = state(world.clients["admin"], _org(BOCHUM))
    etag = before[2]
    response = c.patch(
        _org(BOCHUM), headers=bearer(raw, **{"If-Match": etag}), json={"population": 3}
    )
    assert_problem(response, 401)
    assert "revoked" in response.get_json()["detail"]
    assert_problem(c.get(_org(BOCHUM), headers=bearer(raw)), 401)
    assert_problem(c.delete(f"{ADOPTIONS}/{world.bochum_adoption}", headers=bearer(raw)), 401)
    assert state(world.clients["admin"], _org(BOCHUM)) == before
    # the other editor's token lives on
    assert c.get(_org(BOCHUM), headers=bearer(world.tokens["muelheim_editor"])).status_code == 200


def test_revoked_admin_token_is_401(app, session, world):
    raw = make_token(app, "admin", name="admin-two")
    c = plain_client(app)
    assert c.get("/api/v1/audit", headers=bearer(raw)).status_code == 200
    tokens.revoke(session, "admin-two")
    session.commit()
    assert_problem(c.get("/api/v1/audit", headers=bearer(raw)), 401)
    assert_problem(c.post("/api/v1/services", headers=bearer(raw), json={"ozg_id": "10003"}), 401)


# ---------------------------------------------------------------------------------------
# ETag and If-Match
# ---------------------------------------------------------------------------------------


def _single_resources(world: World) -> dict[str, str]:
    return {
        "organisation-by-ars": _org(BOCHUM),
        "organisation-by-slug": _org("bochum"),
        "organisation-bund": _org(BUND),
        "service": "/api/v1/services/10000",
        "solution": "/api/v1/solutions/bochum-portal",
        "adoption": f"{ADOPTIONS}/{world.bochum_adoption}",
    }


def test_every_single_resource_get_carries_an_etag(app, world):
    c = plain_client(app)
    for name, path in _single_resources(world).items():
        response = c.get(path)
        assert response.status_code == 200, name
        tag = response.headers.get("ETag")
        assert tag and tag.startswith('"') and tag.endswith('"'), (name, tag)
        assert c.get(path).headers["ETag"] == tag  # stable while unchanged


PATCHES = {
    "organisation": (_org(BOCHUM), {"population": 360000}),
    "service": ("/api/v1/services/10000", {"name": "Wohngeld online"}),
    "solution": ("/api/v1/solutions/bochum-portal", {"name": "Bürgerportal Bochum"}),
    "adoption": ("{bochum_adoption}", {"note": "Vertrag unterschrieben"}),
}
DELETES = {
    "organisation": _org(HERNE),
    "service": "/api/v1/services/10001",
    "solution": "/api/v1/solutions/bochum-app",
    "adoption": "{bochum_adoption}",
}


@pytest.mark.parametrize("entity", PATCHES)
def test_patch_without_if_match_is_428_and_changes_nothing(app, world, entity):
    path, body = PATCHES[entity]
    path = _resolve(path, world)
    admin = world.clients["admin"]
    before = state(admin, path)
    c = plain_client(app)
    response = c.patch(path, headers=bearer(make_token(app, "admin", name="a2")), json=body)
    assert_problem(response, 428)
    assert "If-Match" in response.get_json()["detail"]
    assert state(admin, path) == before


@pytest.mark.parametrize("entity", DELETES)
def test_delete_without_if_match_is_428_and_deletes_nothing(app, world, entity):
    path = _resolve(DELETES[entity], world)
    admin = world.clients["admin"]
    before = state(admin, path)
    c = plain_client(app)
    response = c.delete(path, headers=bearer(make_token(app, "admin", name="a2")))
    assert_problem(response, 428)
    assert state(admin, path) == before


def test_editor_without_if_match_is_428_on_its_own_records(app, world):
    c = plain_client(app)
    raw = world.tokens["bochum_editor"]
    for path, body in (
        (_org(BOCHUM), {"population": 1}),
        ("/api/v1/solutions/bochum-portal", {"name": "x"}),
        (f"{ADOPTIONS}/{world.bochum_adoption}", {"note": "x"}),
    ):
        assert_problem(c.patch(path, headers=bearer(raw), json=body), 428)
    assert_problem(c.delete("/api/v1/solutions/bochum-app", headers=bearer(raw)), 428)


@pytest.mark.parametrize("entity", PATCHES)
def test_patch_with_stale_etag_is_412_and_current_etag_wins(app, world, entity):
    path, body = PATCHES[entity]
    path = _resolve(path, world)
    admin = world.clients["admin"]
    raw = make_token(app, "admin", name="second-admin")
    c = plain_client(app)

    old = c.get(path).headers["ETag"]
    # someone else changes the record meanwhile
    change = {"note": "Zwischenstand"} if entity == "adoption" else {"source": "Zwischenstand"}
    assert admin.patch(path, json=change).status_code == 200
    current = state(admin, path)
    assert current[2] != old

    stale = c.patch(path, headers=bearer(raw, **{"If-Match": old}), json=body)
    assert_problem(stale, 412)
    assert state(admin, path) == current

    fresh = c.patch(path, headers=bearer(raw, **{"If-Match": current[2]}), json=body)
    assert fresh.status_code == 200, fresh.get_json()
    new_tag = fresh.headers.get("ETag")
    assert new_tag and new_tag not in (old, current[2])
    after = state(admin, path)
    assert after[2] == new_tag
    assert after[1] == fresh.get_json()
    for name, value in body.items():
        assert after[1][name] == value

    # the version just used is stale now, too
    again = c.patch(path, headers=bearer(raw, **{"If-Match": current[2]}), json=body)
    assert_problem(again, 412)


@pytest.mark.parametrize("entity", DELETES)
def test_delete_with_stale_etag_is_412_and_current_etag_deletes(app, world, entity):
    path = _resolve(DELETES[entity], world)
    admin = world.clients["admin"]
    raw = make_token(app, "admin", name="second-admin")
    c = plain_client(app)
    old = c.get(path).headers["ETag"]
    change = {"note": "Zwischenstand"} if entity == "adoption" else {"source": "Zwischenstand"}
    assert admin.patch(path, json=change).status_code == 200
    current = state(admin, path)

    assert_problem(c.delete(path, headers=bearer(raw, **{"If-Match": old})), 412)
    assert state(admin, path) == current
    assert_problem(c.delete(path, headers=bearer(raw, **{"If-Match": '"999999"'})), 412)
    assert state(admin, path) == current

    response = c.delete(path, headers=bearer(raw, **{"If-Match": current[2]}))
    assert response.status_code == 204, response.get_json()
    assert c.get(path).status_code == 404


def test_two_editors_cannot_lose_each_others_updates(app, world):
    """Two clients of the Bochum editor read the same version; the second write is 412."""
    raw = world.tokens["bochum_editor"]
    first, second = plain_client(app), plain_client(app)
    tag = first.get(_org(BOCHUM)).headers["ETag"]
    assert second.get(_org(BOCHUM)).headers["ETag"] == tag
    ok = first.patch(_org(BOCHUM), headers=bearer(raw, **{"If-Match": tag}), json={"population": 1})
    assert ok.status_code == 200
    lost = second.patch(
        _org(BOCHUM), headers=bearer(raw, **{"If-Match": tag}), json={"population": 2}
    )
    assert_problem(lost, 412)
    assert state(world.clients["admin"], _org(BOCHUM))[1]["population"] == 1
