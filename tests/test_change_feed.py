"""The audit trail and the change feed.

Every write (API, CLI, seed) appends an event in its own transaction: monotonic id, UTC
time, actor, action, entity type and key, the record before and after. A write that fails
leaves no event. `GET /changes?after=&limit=` pages through the catalogue events in id
order; a consumer replaying it from 0 rebuilds exactly the current state.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from registry import cli
from registry.importers.report import ImportFailed
from registry.logic import audit, tokens
from registry.models import AuditEvent, KoenigsteinShare
from registry.paths import project_dir
from registry.seed import seed
from tests import factories as f
from tests.conftest import make_token, token_client

PROBLEM = "application/problem+json"
NRW = "050000000000"
ARNSBERG = "059000000000"
BOCHUM = "059110000000"
DUESSELDORF = "051000000000"
MUELHEIM = "051170000000"
CATALOGUE = {"organisation", "service", "solution", "adoption", "koenigstein_share"}
LISTS = {
    "organisation": "/api/v1/organisations",
    "service": "/api/v1/services",
    "solution": "/api/v1/solutions",
    "adoption": "/api/v1/adoptions",
}
ADMIN = "test-admin"  # the name of the `client` fixture's token
BOCHUM_EDITOR = "bochum-digital"


# ---------------------------------------------------------------------------------------
# A consumer of the feed
# ---------------------------------------------------------------------------------------


def read_feed(client, after: int = 0, limit: int = 7) -> tuple[list[dict[str, Any]], int]:
    """Every event after `after`, page by page as a consumer would; checks the paging."""
    events: list[dict[str, Any]] = []
    cursor = after
    while True:
        response = client.get(f"/api/v1/changes?after={cursor}&limit={limit}")
        assert response.status_code == 200, response.get_json()
        page = response.get_json()
        assert set(page) == {"events", "next_after", "has_more"}
        batch = page["events"]
        assert len(batch) <= limit
        assert all(e["id"] > cursor for e in batch)
        if batch:
            assert page["next_after"] == batch[-1]["id"]
        else:
            assert page["next_after"] == cursor
            assert page["has_more"] is False
        if page["has_more"]:
            assert len(batch) == limit
        events.extend(batch)
        cursor = page["next_after"]
        if not page["has_more"]:
            return events, cursor


def record_key(entity_type: str, record: dict[str, Any]) -> str:
    if entity_type == "adoption":
        return str(record["id"])
    if entity_type == "koenigstein_share":
        return f"{record['year']}-{record['land_code']}"
    return record["key"]


def replay(
    events: list[dict[str, Any]], strict: bool = True
) -> dict[tuple[str, str], dict[str, Any]]:
    """Apply the events; `strict` also checks each `before` against what the feed said last."""
    state: dict[tuple[str, str], dict[str, Any]] = {}
    for event in events:
        kind, key = event["entity_type"], event["entity_key"]
        if event["action"] == "create":
            assert event["before"] is None
            assert (kind, key) not in state, f"created twice: {kind} {key}"
            assert record_key(kind, event["after"]) == key
            state[(kind, key)] = event["after"]
        elif event["action"] == "update":
            old_key = record_key(kind, event["before"])
            assert (kind, old_key) in state, f"update of unknown {kind} {old_key}"
            assert not strict or state[(kind, old_key)] == event["before"], (
                f"update of {kind} {key}: `before` is not what the feed said last"
            )
            del state[(kind, old_key)]
            assert record_key(kind, event["after"]) == key
            state[(kind, key)] = event["after"]
        else:
            assert event["action"] == "delete"
            assert event["after"] is None
            assert (kind, key) in state, f"delete of unknown {kind} {key}"
            assert not strict or state[(kind, key)] == event["before"], f"deleted {kind} {key}"
            del state[(kind, key)]
    return state


def current_state(client, session) -> dict[tuple[str, str], dict[str, Any]]:
    """The catalogue as the list endpoints show it (plus the Königstein shares)."""
    state: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, path in LISTS.items():
        page, pages = 1, 1
        while page <= pages:
            body = client.get(f"{path}?page_size=500&page={page}").get_json()
            pages = body["pagination"]["total_pages"]
            for item in body["items"]:
                state[(kind, record_key(kind, item))] = item
            page += 1
    session.expire_all()
    for share in session.scalars(select(KoenigsteinShare)):
        state[("koenigstein_share", audit.key_of(share))] = audit.snapshot(share)
    return state


def assert_same_state(rebuilt, current) -> None:
    assert sorted(rebuilt) == sorted(current), (
        f"only in the feed: {sorted(set(rebuilt) - set(current))}; "
        f"only in the registry: {sorted(set(current) - set(rebuilt))}"
    )
    differing = {}
    for key, record in current.items():
        fields = set(record) | set(rebuilt[key])
        diff = {
            name: (rebuilt[key].get(name, "<absent>"), record.get(name, "<absent>"))
            for name in fields
            if rebuilt[key].get(name, "<absent>") != record.get(name, "<absent>")
        }
        if diff:
            differing[key] = diff
    assert not differing, f"(feed, registry) per differing field: {differing}"


def last_id(session) -> int:
    session.expire_all()
    return session.scalar(select(func.max(AuditEvent.id))) or 0


def events_of(session, after: int) -> list[AuditEvent]:
    session.expire_all()
    return list(
        session.scalars(select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id))
    )


def ok(response, status: int = 200) -> dict[str, Any] | None:
    assert response.status_code == status, response.get_json()
    return response.get_json(silent=True)


# ---------------------------------------------------------------------------------------
# Replaying the feed
# ---------------------------------------------------------------------------------------


def _mixed_writes(client, editor) -> None:
    """Creates, updates and deletes of every kind, by an admin and an editor, with failures
    in between: what the feed must carry, and must not."""
    org = "/api/v1/organisations"
    # organisations: create, change (also its key), delete; a no-op PATCH
    f.post(
        client, "organisations", {"slug": "kommunal-it", "name": "KIT", "kind": "non_territorial"}
    )
    ok(client.patch(f"{org}/kommunal-it", json={"name": "Kommunal-IT", "parent": NRW}))
    ok(client.patch(f"{org}/kommunal-it", json={"slug": "kommunale-it"}))
    ok(client.patch(f"{org}/kommunale-it", json={"name": "Kommunal-IT"}))  # changes nothing
    f.post(client, "organisations", {"slug": "wegwerf", "name": "Weg", "kind": "non_territorial"})
    ok(client.delete(f"{org}/wegwerf"), 204)
    ok(client.patch(f"{org}/{MUELHEIM}", json={"population": 170001}))
    ok(editor.patch(f"{org}/bochum", json={"population": 360000, "source": "Stadt Bochum"}))
    ok(client.patch(f"{org}/{BOCHUM}", json={"population_date": "2025-06-30"}))
    # services
    f.service(client, "99901", "kreis", name="Testleistung", leika_keys=["99102112000000"])
    ok(client.patch("/api/v1/services/99901", json={"leika_keys": [], "lebenslage": "Test"}))
    f.service(client, "99902", "gemeinde")
    ok(client.patch("/api/v1/services/99902", json={"executing_level": "land"}))
    ok(client.delete("/api/v1/services/99902"), 204)
    # solutions, with price changes
    f.solution(
        client,
        "feed-portal",
        "bochum",
        ["99901"],
        price={"model": "flat", "annual_fee_cents": 100000},
    )
    ok(
        editor.patch(
            "/api/v1/solutions/feed-portal",
            json={
                "price": {
                    "model": "tiered",
                    "tiers": [
                        {"max_population": 100000, "annual_fee_cents": 50000},
                        {"max_population": None, "annual_fee_cents": 90000},
                    ],
                }
            },
        )
    )
    ok(
        client.patch(
            "/api/v1/solutions/feed-portal",
            json={"price": {"model": "per_capita", "per_capita_fee_cents": 3}, "efa": True},
        )
    )
    ok(
        client.patch(
            "/api/v1/solutions/feed-portal",
            json={
                "price": {
                    "model": "koenigstein",
                    "total_annual_cost_cents": 1_000_000_00,
                    "koenigstein_year": 2016,
                    "onboarding_fee_cents": 5000,
                },
                "services": ["99901", "10000"],
            },
        )
    )
    ok(
        editor.post(
            "/api/v1/solutions",
            json={"slug": "bochum-feed", "name": "Feed", "builder": BOCHUM, "status": "pilot"},
        ),
        201,
    )
    ok(editor.patch("/api/v1/solutions/bochum-feed", json={"slug": "bochum-feed-2"}))
    ok(editor.delete("/api/v1/solutions/bochum-feed-2"), 204)
    # adoptions
    mine = f.adoption(client, "muelheim-an-der-ruhr", "feed-portal", status="interested")["id"]
    ok(client.patch(f"/api/v1/adoptions/{mine}", json={"status": "contracted"}))
    theirs = ok(
        editor.post(
            "/api/v1/adoptions",
            json={
                "organisation": "bochum",
                "solution": "feed-portal",
                "status": "live",
                "provenance": "self_declared",
            },
        ),
        201,
    )["id"]
    ok(editor.patch(f"/api/v1/adoptions/{theirs}", json={"note": "seit 2025"}))
    ok(client.delete(f"/api/v1/adoptions/{mine}"), 204)
    seeded = client.get(f"/api/v1/adoptions?organisation={MUELHEIM}").get_json()["items"]
    ok(client.delete(f"/api/v1/adoptions/{seeded[0]['id']}"), 204)
    ok(client.patch(f"/api/v1/adoptions/{theirs}", json={"organisation": "muelheim-an-der-ruhr"}))
    # refused and failed writes in between: no events
    assert client.post("/api/v1/services", json={"ozg_id": "99901"}).status_code == 422
    assert editor.patch(f"{org}/{MUELHEIM}", json={"population": 1}).status_code == 403
    assert client.delete(f"{org}/{BOCHUM}").status_code == 409


@pytest.mark.world("nrw")
def test_replaying_the_feed_from_zero_rebuilds_the_current_state(client, app, session):
    editor = token_client(app, make_token(app, "editor", BOCHUM, name=BOCHUM_EDITOR))
    _mixed_writes(client, editor)

    events, cursor = read_feed(client, after=0, limit=7)
    ids = [e["id"] for e in events]
    assert ids == sorted(set(ids)), "ids strictly increasing"
    assert cursor == ids[-1]
    assert {e["entity_type"] for e in events} == CATALOGUE  # tokens stay out of the feed
    assert {e["action"] for e in events} == {"create", "update", "delete"}

    assert_same_state(replay(events), current_state(client, session))

    # a consumer that synced half-way and continues gets the same result
    half = ids[len(ids) // 2]
    first, _ = read_feed(client, after=0, limit=500)
    rest, _ = read_feed(client, after=half, limit=3)
    assert [e for e in first if e["id"] <= half] + rest == events


@pytest.mark.world("nrw")
def test_replay_follows_renames_of_referenced_records(client, app, session):
    """Records show the names and keys of the records they refer to (builder, organisation,
    solution, parent). When those change, a consumer must still end up with what GET shows."""
    org = "/api/v1/organisations"
    f.solution(client, "feed-portal", "bochum", ["10000"])
    f.adoption(client, "muelheim-an-der-ruhr", "feed-portal")
    f.post(
        client, "organisations", {"slug": "kommunal-it", "name": "KIT", "kind": "non_territorial"}
    )
    f.post(
        client,
        "organisations",
        {
            "slug": "kit-tochter",
            "name": "KIT Tochter",
            "kind": "non_territorial",
            "parent": "kommunal-it",
        },
    )
    f.solution(client, "kit-app", "kommunal-it", ["10000"])

    # Bochum's name appears as builder_name of feed-portal and organisation_name of adoptions
    ok(client.patch(f"{org}/bochum", json={"name": "Stadt Bochum"}))
    # the solution's name and slug appear as solution_name and solution of its adoption
    ok(client.patch("/api/v1/solutions/feed-portal", json={"name": "Portal"}))
    ok(client.patch("/api/v1/solutions/feed-portal", json={"slug": "feed-portal-2"}))
    # the body's key appears as builder of kit-app and parent of kit-tochter
    ok(client.patch(f"{org}/kommunal-it", json={"slug": "kommunale-it"}))

    events, _ = read_feed(client, after=0, limit=50)
    assert_same_state(replay(events, strict=False), current_state(client, session))


def test_deletions_appear_as_deletions(client, session):
    f.nrw_with_bochum(client)
    f.service(client, "10000", "gemeinde")
    f.solution(client, "portal", "bochum", ["10000"])
    adoption = f.adoption(client, "bochum", "portal")
    start = last_id(session)
    shown = {
        ("adoption", str(adoption["id"])): client.get(f"/api/v1/adoptions/{adoption['id']}"),
        ("solution", "portal"): client.get("/api/v1/solutions/portal"),
        ("service", "10000"): client.get("/api/v1/services/10000"),
        ("organisation", BOCHUM): client.get(f"/api/v1/organisations/{BOCHUM}"),
    }
    for kind, key in shown:
        path = {"organisation": "organisations", "service": "services"}.get(kind, f"{kind}s")
        ok(client.delete(f"/api/v1/{path}/{key}"), 204)

    events, _ = read_feed(client, after=start)
    assert [(e["action"], e["entity_type"], e["entity_key"]) for e in events] == [
        ("delete", kind, key) for kind, key in shown
    ]
    for event, response in zip(events, shown.values(), strict=True):
        assert event["before"] == response.get_json()
        assert event["after"] is None
        assert event["actor"] == ADMIN


# ---------------------------------------------------------------------------------------
# The events themselves
# ---------------------------------------------------------------------------------------


def test_event_carries_time_actor_action_key_before_and_after(client, app, session):
    f.nrw_with_bochum(client)
    editor = token_client(app, make_token(app, "editor", BOCHUM, name=BOCHUM_EDITOR))
    start = last_id(session)
    t0 = datetime.now(UTC)

    before = client.get("/api/v1/organisations/bochum").get_json()
    after = ok(editor.patch("/api/v1/organisations/bochum", json={"population": 360000}))
    created = ok(
        client.post(
            "/api/v1/services",
            json={
                "ozg_id": "10000",
                "name": "Wohngeld",
                "themenfeld": "Querschnitt",
                "executing_level": "gemeinde",
            },
        ),
        201,
    )
    t1 = datetime.now(UTC)

    update, create = read_feed(client, after=start)[0]
    assert update["id"] == start + 1 and create["id"] == start + 2
    assert (update["action"], update["entity_type"], update["entity_key"]) == (
        "update",
        "organisation",
        BOCHUM,
    )
    assert update["actor"] == BOCHUM_EDITOR
    assert update["before"] == before
    assert update["after"] == after == client.get("/api/v1/organisations/bochum").get_json()
    assert (create["action"], create["entity_type"], create["entity_key"]) == (
        "create",
        "service",
        "10000",
    )
    assert create["actor"] == ADMIN
    assert create["before"] is None
    assert create["after"] == created
    for event in (update, create):
        at = datetime.fromisoformat(event["at"])
        assert at.utcoffset() == timedelta(0), event["at"]
        assert event["at"].endswith(("+00:00", "Z"))
        assert t0 - timedelta(seconds=1) <= at <= t1 + timedelta(seconds=1)
    assert update["at"] <= create["at"]


def test_one_event_per_write_and_none_for_a_patch_that_changes_nothing(client, session):
    f.nrw_with_bochum(client)
    start = last_id(session)
    ok(client.patch("/api/v1/organisations/bochum", json={"name": "Bochum"}))
    assert last_id(session) == start
    ok(client.patch("/api/v1/organisations/bochum", json={"name": "Stadt Bochum", "population": 1}))
    assert last_id(session) == start + 1


def test_seed_writes_append_events_and_a_second_seed_none(client, session):
    start = last_id(session)
    report = seed(session, lands=frozenset({"04"}))
    session.commit()
    created = sum(counts["created"] for counts in report.values())
    # the slugs step gives bodies the GV100AD step created a friendly key: an update each
    updated = sum(counts["updated"] for counts in report.values())
    events = events_of(session, start)
    assert len(events) == created + updated > 0
    assert sum(e.action == "create" for e in events) == created
    assert {e.action for e in events} == {"create", "update"}
    assert [e.id for e in events] == list(range(start + 1, start + 1 + created + updated))

    seed(session, lands=frozenset({"04"}))
    session.commit()
    assert last_id(session) == start + created + updated


def test_cli_writes_are_recorded_with_actor_cli(client, app, session, monkeypatch, tmp_path):
    (tmp_path / "organisations.ndjson").write_text(
        '{"slug": "bund", "name": "Bund", "kind": "bund"}\n'
        '{"ars": "050000000000", "name": "Nordrhein-Westfalen", "kind": "land", '
        '"parent": "bund"}\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(cli, "_app", lambda: app)
    runner = CliRunner()
    start = last_id(session)
    result = runner.invoke(cli.main, ["import", "bundle", str(tmp_path)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli.main, ["tokens", "create", "--role", "editor", "--org", NRW, "--name", "nrw-cli"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli.main, ["tokens", "revoke", "nrw-cli"])
    assert result.exit_code == 0, result.output

    events = events_of(session, start)
    assert [(e.actor, e.action, e.entity_type, e.entity_key) for e in events] == [
        ("cli", "create", "organisation", "bund"),
        ("cli", "create", "organisation", NRW),
        ("cli", "create", "api_token", "nrw-cli"),
        ("cli", "update", "api_token", "nrw-cli"),
    ]
    token_event = events[2].after
    assert "token_hash" not in token_event and token_event["role"] == "editor"
    assert events[3].before["revoked_at"] is None and events[3].after["revoked_at"]
    feed, _ = read_feed(client, after=start)
    assert [e["entity_key"] for e in feed] == ["bund", NRW]
    assert all(e["actor"] == "cli" for e in feed)


# ---------------------------------------------------------------------------------------
# Failed writes leave no event
# ---------------------------------------------------------------------------------------


@pytest.fixture
def small_world(client, app):
    f.nrw_with_bochum(client)
    f.organisation(client, DUESSELDORF, "Regierungsbezirk Düsseldorf", "regierungsbezirk", NRW)
    f.organisation(
        client,
        MUELHEIM,
        "Mülheim an der Ruhr",
        "kreisfreie_stadt",
        DUESSELDORF,
        slug="muelheim-an-der-ruhr",
    )
    f.service(client, "10000", "gemeinde")
    f.solution(client, "portal", "bochum", ["10000"])
    adoption = f.adoption(client, "muelheim-an-der-ruhr", "portal")
    editor = token_client(app, make_token(app, "editor", BOCHUM, name=BOCHUM_EDITOR))
    return {"editor": editor, "adoption": adoption["id"]}


def _failing_writes(client, anonymous, editor, adoption: int):
    org = "/api/v1/organisations"
    service = {
        "ozg_id": "10000",
        "name": "X",
        "themenfeld": "Querschnitt",
        "executing_level": "kreis",
    }
    solution = {"slug": "neu", "name": "Neu", "builder": "bochum", "status": "live"}
    return [
        # 422: the schema refuses
        (422, client.post(org, json={"slug": "x", "kind": "non_territorial"})),
        (422, client.patch(f"{org}/bochum", json={"population": -1})),
        (422, client.patch(f"{org}/bochum", json={"role": "admin"})),
        # 422: the domain refuses, after part of the change was applied
        (422, client.patch(f"{org}/bochum", json={"name": "Neu", "land_code": "09"})),
        (422, client.patch(f"{org}/bochum", json={"population": 5, "parent": "gibt-es-nicht"})),
        (422, client.post("/api/v1/solutions", json={**solution, "services": ["10000", "99999"]})),
        (
            422,
            client.patch(
                "/api/v1/solutions/portal",
                json={
                    "name": "Anders",
                    "price": {
                        "model": "koenigstein",
                        "total_annual_cost_cents": 100,
                        "koenigstein_year": 1990,
                    },
                },
            ),
        ),
        (
            422,
            client.patch(
                f"/api/v1/adoptions/{adoption}",
                json={"status": "ended", "live_on": "2025-01-01", "ended_on": "2024-01-01"},
            ),
        ),
        # 409
        (409, client.post("/api/v1/services", json=service)),
        (409, client.post("/api/v1/solutions", json={**solution, "slug": "portal"})),
        (409, client.patch(f"{org}/{MUELHEIM}", json={"slug": "bochum"})),
        (409, client.delete(f"{org}/bochum")),
        (409, client.delete("/api/v1/services/10000")),
        (409, client.delete("/api/v1/solutions/portal")),
        (
            409,
            client.post(
                "/api/v1/adoptions",
                json={
                    "organisation": MUELHEIM,
                    "solution": "portal",
                    "status": "live",
                    "provenance": "contract",
                },
            ),
        ),
        # 403 and 401
        (403, editor.patch(f"{org}/{MUELHEIM}", json={"population": 1})),
        (403, editor.patch(f"{org}/bochum", json={"parent": DUESSELDORF})),
        (403, editor.delete(f"/api/v1/adoptions/{adoption}")),
        (403, editor.patch("/api/v1/solutions/portal", json={"builder": MUELHEIM})),
        (401, anonymous.patch(f"{org}/bochum", json={"population": 1})),
        # 412, 404
        (412, client.patch(f"{org}/bochum", json={"population": 1}, headers={"If-Match": '"99"'})),
        (412, client.delete("/api/v1/solutions/portal", headers={"If-Match": '"99"'})),
        (404, client.patch(f"{org}/gibt-es-nicht", json={"population": 1})),
    ]


def test_failed_writes_leave_no_event(client, anonymous, session, small_world):
    org_before = client.get(f"/api/v1/organisations/{BOCHUM}").get_json()
    start = last_id(session)
    outcomes = _failing_writes(client, anonymous, small_world["editor"], small_world["adoption"])
    for expected, response in outcomes:
        assert response.status_code == expected, (expected, response.get_json())
        assert response.mimetype == PROBLEM
    assert last_id(session) == start, [
        (e.action, e.entity_type, e.entity_key) for e in events_of(session, start)
    ]
    events, cursor = read_feed(client, after=start)
    assert events == [] and cursor == start
    assert client.get(f"/api/v1/organisations/{BOCHUM}").get_json() == org_before
    # and the next successful write takes the very next id
    ok(client.patch(f"/api/v1/organisations/{BOCHUM}", json={"population": 1}))
    assert [e["id"] for e in read_feed(client, after=start)[0]] == [start + 1]


def test_failed_seed_leaves_no_event(client, session, tmp_path):
    # The shares land first; then the GV100AD file is missing and the seed fails.
    shutil.copy(project_dir("seed") / "koenigstein.toml", tmp_path / "koenigstein.toml")
    start = last_id(session)
    with pytest.raises(ImportFailed, match="file missing"):
        seed(session, tmp_path)
    session.rollback()
    assert last_id(session) == start
    assert session.scalar(select(func.count()).select_from(KoenigsteinShare)) == 0


# ---------------------------------------------------------------------------------------
# The feed's paging
# ---------------------------------------------------------------------------------------


def test_feed_paging_at_the_end(client, anonymous, session):
    f.nrw_with_bochum(client)  # Bund, NRW, Arnsberg, Bochum: four creates
    events, last = read_feed(client, after=0, limit=500)
    assert len(events) >= 4 and last == events[-1]["id"]

    def page(after, limit):
        return ok(client.get(f"/api/v1/changes?after={after}&limit={limit}"))

    at_end = page(last, 7)
    assert at_end == {"events": [], "next_after": last, "has_more": False}
    beyond = page(last + 100, 7)
    assert beyond == {"events": [], "next_after": last + 100, "has_more": False}
    start = events[-4]["id"] - 1
    exact = page(start, 4)
    assert [e["id"] for e in exact["events"]] == [e["id"] for e in events[-4:]]
    assert exact["next_after"] == last and exact["has_more"] is False
    short = page(start, 3)
    assert short["next_after"] == events[-2]["id"] and short["has_more"] is True
    one = page(short["next_after"], 1)
    assert [e["id"] for e in one["events"]] == [last] and one["has_more"] is False
    # the default `after` is 0 and the feed is public, like every read
    assert ok(anonymous.get("/api/v1/changes"))["events"][0]["id"] == events[0]["id"]

    ok(client.patch(f"/api/v1/organisations/{BOCHUM}", json={"population": 2}))
    again = page(last, 7)
    assert [e["entity_key"] for e in again["events"]] == [BOCHUM]
    assert again["next_after"] == again["events"][0]["id"] > last
    assert again["has_more"] is False


@pytest.mark.parametrize(
    "query", ["after=-1", "after=x", "limit=0", "limit=1001", "limit=x", "unknown=1"]
)
def test_feed_rejects_bad_cursors(client, query):
    response = client.get(f"/api/v1/changes?{query}")
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == PROBLEM


# ---------------------------------------------------------------------------------------
# /audit, for admins
# ---------------------------------------------------------------------------------------


def test_audit_needs_an_admin(app, anonymous, small_world):
    response = anonymous.get("/api/v1/audit")
    assert response.status_code == 401
    assert response.mimetype == PROBLEM
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    for editor in (small_world["editor"], token_client(app, make_token(app, "editor", MUELHEIM))):
        response = editor.get("/api/v1/audit")
        assert response.status_code == 403, response.get_json()
        assert response.mimetype == PROBLEM
    bogus = token_client(app, "efa_unknown").get("/api/v1/audit")
    assert bogus.status_code == 401


def test_audit_filters_by_entity_key_and_actor(client, session, small_world):
    editor = small_world["editor"]
    ok(editor.patch("/api/v1/organisations/bochum", json={"population": 1}))
    ok(editor.patch("/api/v1/organisations/bochum", json={"population": 2}))
    ok(client.patch("/api/v1/organisations/bochum", json={"population": 3}))
    ok(editor.patch("/api/v1/solutions/portal", json={"name": "Bürgerportal"}))

    def audit_items(query):
        body = ok(client.get(f"/api/v1/audit?page_size=500&{query}"))
        assert body["pagination"]["total_items"] == len(body["items"])
        ids = [e["id"] for e in body["items"]]
        assert ids == sorted(ids)
        return body["items"]

    by_editor = audit_items(f"actor={BOCHUM_EDITOR}")
    # Renaming the solution changes what its adoption shows: that adoption gets an event.
    assert [(e["entity_type"], e["entity_key"]) for e in by_editor] == [
        ("organisation", BOCHUM),
        ("organisation", BOCHUM),
        ("solution", "portal"),
        ("adoption", str(small_world["adoption"])),
    ]
    bochum = audit_items(f"entity=organisation&key={BOCHUM}")
    assert [e["action"] for e in bochum] == ["create", "update", "update", "update"]
    assert [e["after"]["population"] for e in bochum[1:]] == [1, 2, 3]
    assert [e["actor"] for e in bochum] == [ADMIN, BOCHUM_EDITOR, BOCHUM_EDITOR, ADMIN]
    both = audit_items(f"entity=organisation&key={BOCHUM}&actor={ADMIN}")
    assert [e["id"] for e in both] == [bochum[0]["id"], bochum[3]["id"]]
    assert audit_items("entity=solution&key=portal&actor=nobody") == []
    assert {e["entity_type"] for e in audit_items("entity=adoption")} == {"adoption"}
    # the audit trail has the token events the feed leaves out
    token_events = audit_items("entity=api_token")
    assert {e["entity_key"] for e in token_events} >= {ADMIN, BOCHUM_EDITOR}
    assert all("token_hash" not in (e["after"] or {}) for e in token_events)
    feed, _ = read_feed(client, after=0, limit=1000)
    assert "api_token" not in {e["entity_type"] for e in feed}
    everything = ok(client.get("/api/v1/audit?page_size=2&page=1"))
    assert everything["pagination"]["total_items"] == last_id(session)


def test_audit_records_token_revocation(client, app, session, small_world):
    tokens.revoke(session, BOCHUM_EDITOR)
    session.commit()
    items = ok(client.get(f"/api/v1/audit?entity=api_token&key={BOCHUM_EDITOR}"))["items"]
    assert [e["action"] for e in items] == ["create", "update"]
    assert items[1]["before"]["revoked_at"] is None and items[1]["after"]["revoked_at"]


@pytest.mark.parametrize("query", ["entity=token", "entity=", "page=0", "key=" + "x" * 101])
def test_audit_rejects_bad_filters(client, query):
    response = client.get(f"/api/v1/audit?{query}")
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == PROBLEM
