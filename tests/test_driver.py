"""registry.logic.driver: a built-once statement run by its SQL text gives the rows the
session gives, on both databases, with its constants written in, its carried values
passed, and its execution seen by the connection's events (the statement counts)."""

from datetime import date

import pytest
from sqlalchemy import Integer, bindparam, event, func, literal, select
from sqlalchemy.engine import Connection

from registry.errors import NotFound
from registry.logic import asking, candidates, costs, driver, gaps
from registry.logic.among import among_param
from registry.logic.constants import const
from registry.models import (
    Adoption,
    OfferingCount,
    Organisation,
    Service,
    Solution,
    solution_service,
)
from tests import factories as f
from tests.test_analysis_statements import BOCHUM, EN_KREIS, NRW, WITTEN, build_small


@pytest.fixture
def statements(session):
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            seen.append(statement)

    engine = session.connection().engine
    event.listen(engine, "before_cursor_execute", note)
    yield seen
    event.remove(engine, "before_cursor_execute", note)


def organisation_ids(session, *keys):
    rows = session.execute(select(Organisation.ars, Organisation.id))
    ids = dict(rows.all())
    return [ids[key] for key in keys]


def test_the_rows_are_the_sessions(client, session, backend, statements):
    build_small(client, session)
    dialect = session.connection().dialect.name
    statement = (
        select(Organisation.id, Organisation.name, literal(7), Organisation.kind)
        .where(
            among_param(dialect, Organisation.id, "ids"),
            Organisation.kind != const("land"),
            Organisation.id != bindparam("not", type_=Integer),
        )
        .order_by(Organisation.id)
    )
    ids = organisation_ids(session, BOCHUM, WITTEN, EN_KREIS, NRW)
    params = {"ids": ids, "not": ids[0]}
    expected = [tuple(row) for row in session.execute(statement, params)]
    del statements[:]
    found = [tuple(row) for row in driver.rows(session, statement, params)]
    assert found == expected
    assert [row[0] for row in found] == sorted(ids[1:3])  # the Land and `not` left out
    assert {row[2] for row in found} == {7}  # the literal's value, carried
    assert len(statements) == 1  # seen by the events: the statement counts hold
    if backend == "postgresql":  # by its text: the constant written in, once compiled
        assert "kind != 'land'" in statements[0]
        assert driver.rows(session, statement, params) == found
        assert statements[1] == statements[0]


def test_id_lists_go_as_array_text_and_other_values_as_they_are(
    client, session, backend, monkeypatch
):
    """On PostgreSQL an id list for an `integer[]` parameter goes as the array's text
    (`{3,1,4}`, read by the statement's `::INTEGER[]` cast), not as a list psycopg dumps
    element by element; every other parameter as it is. An empty list finds nothing, as
    the session's does."""
    assert driver._array_text([3, 1, 4]) == "{3,1,4}"
    assert driver._array_text([]) == "{}"
    for kept in ([True, 2], ["05"], (1, 2), 5, None, "{1}"):
        assert driver._array_text(kept) == kept
    build_small(client, session)
    dialect = session.connection().dialect.name
    statement = select(Organisation.id, literal(7)).where(
        among_param(dialect, Organisation.id, "ids"),
        Organisation.id != bindparam("not", type_=Integer),
    )
    ids = organisation_ids(session, BOCHUM, WITTEN)
    sent: list[dict] = []
    execute = driver.execute
    monkeypatch.setattr(
        driver, "execute", lambda c, sql, p: sent.append(dict(p)) or execute(c, sql, p)
    )
    for given in (ids, [], [ids[0], ids[0]]):
        params = {"ids": given, "not": 0}
        expected = sorted(tuple(row) for row in session.execute(statement, params))
        found = sorted(tuple(row) for row in driver.rows(session, statement, params))
        assert found == expected, given
    assert not driver.rows(session, statement, {"ids": [], "not": 0})
    if backend == "postgresql":  # by its text; the other parameters as given
        assert [p["ids"] for p in sent[:3]] == [
            f"{{{ids[0]},{ids[1]}}}",
            "{}",
            f"{{{ids[0]},{ids[0]}}}",
        ]
        assert {p["not"] for p in sent} == {0}
        assert all(7 in p.values() for p in sent)  # the carried literal, as it is
    else:  # the session runs it (SQLAlchemy renders the expanding IN)
        assert not sent


def test_without_sqlalchemys_private_path_the_public_one_runs(
    client, session, backend, statements, monkeypatch
):
    """Should a SQLAlchemy release drop `Connection._cursor_execute`, `exec_driver_sql`
    runs the text: the same rows, seen by the events alike."""
    build_small(client, session)
    ids = organisation_ids(session, BOCHUM, WITTEN, EN_KREIS, NRW)
    statement = gaps._gap_statement(True)
    private = [[tuple(r) for r in driver.rows(session, statement, {"org": i})] for i in ids]
    seen = len(statements)
    monkeypatch.setattr(driver, "PRIVATE_PATH", False)

    def gone(*_args: object) -> None:
        raise AssertionError("the private path ran")

    monkeypatch.setattr(Connection, "_cursor_execute", gone)
    public = [[tuple(r) for r in driver.rows(session, statement, {"org": i})] for i in ids]
    assert public == private and any(private)
    assert len(statements) == seen + len(ids)
    if backend == "postgresql":  # the same text, by the other path
        assert statements[seen:] == statements[seen - len(ids) : seen]


KEYS = (BOCHUM, WITTEN, EN_KREIS, NRW)


def contracted_by(session, organisation_id: int) -> dict[int, tuple[str, date | None]]:
    rows = session.execute(
        select(Adoption.solution_id, Adoption.status, Adoption.contracted_on).where(
            Adoption.organisation_id == organisation_id,
            Adoption.status.in_(candidates.CONTRACTED),
        )
    )
    return {solution_id: (status, signed) for solution_id, status, signed in rows}


def test_the_answers_statements_agree(client, session):
    """The gap statement and a candidate answer's solutions, as the answers read them."""
    build_small(client, session)
    for org in organisation_ids(session, BOCHUM, WITTEN, EN_KREIS, NRW):
        for count in (True, False):
            statement = gaps._gap_statement(count)
            expected = [tuple(row) for row in session.execute(statement, {"org": org})]
            assert [tuple(r) for r in driver.rows(session, statement, {"org": org})] == expected
    # The candidates' pairs and their solutions, against the ORM's, for an organisation
    # that builds none of them (every EfA solution not retired is its candidate).
    bund = session.scalar(select(Organisation).where(Organisation.kind == "bund"))
    service_ids = list(session.scalars(select(Service.id)))
    pairs, loaded = candidates.pairs_for(session, bund, service_ids, None)
    expected_pairs = session.execute(
        select(solution_service.c.service_id, solution_service.c.solution_id)
        .join(Solution, Solution.id == solution_service.c.solution_id)
        .where(Solution.efa.is_(True), Solution.status != "retired")
    ).all()
    assert sorted(p[:2] for p in pairs) == sorted(tuple(p) for p in expected_pairs)
    assert sorted(loaded) == sorted({p.solution_id for p in pairs})
    # Each pair's adopters, as the materialised counts hold them (the Bund is in no Land).
    OC = OfferingCount
    totals = select(OC.service_id, OC.solution_id, func.sum(OC.organisations)).group_by(
        OC.service_id, OC.solution_id
    )
    counted = {(svc, sol): total for svc, sol, total in session.execute(totals)}
    assert [p.adopters for p in pairs] == [counted.get(p[:2], 0) for p in pairs]
    assert any(p.adopters for p in pairs) and not any(p.adopters_in_land for p in pairs)
    nrw = session.scalar(select(Organisation).where(Organisation.ars == NRW))
    of_nrw = select(OC.service_id, OC.solution_id, OC.organisations).where(OC.land_code == "05")
    in_nrw = {(svc, sol): n for svc, sol, n in session.execute(of_nrw)}
    nrw_pairs, _ = candidates.pairs_for(session, nrw, service_ids, nrw)
    assert [p.adopters_in_land for p in nrw_pairs] == [in_nrw.get(p[:2], 0) for p in nrw_pairs]
    assert any(p.adopters_in_land for p in nrw_pairs)
    # The organisation's own contracted adoptions and its Land's, per pair.
    seen_own = seen_land = False
    for org in session.scalars(select(Organisation).where(Organisation.ars.in_(KEYS))):
        land = costs.land_of(session, org)
        got, _ = candidates.pairs_for(session, org, service_ids, land)
        mine, lands = contracted_by(session, org.id), contracted_by(session, land.id)
        assert [p.own and (p.own.status, p.own.contracted_on) for p in got] == [
            mine.get(p.solution_id) for p in got
        ], org.name
        assert [p.land_contracted for p in got] == [p.solution_id in lands for p in got]
        seen_own |= any(p.own for p in got)
        seen_land |= any(p.land_contracted for p in got) and org.kind != "land"
    assert seen_own and seen_land
    for solution in session.scalars(select(Solution).where(Solution.id.in_(loaded))):
        row = loaded[solution.id]
        assert (row.slug, row.name, row.status, row.prices, row.reuse_terms) == (
            solution.slug,
            solution.name,
            solution.status,
            solution.prices,
            solution.reuse_terms,
        )
        assert row.requires_land_contract is solution.requires_land_contract
        builder = solution.builder
        assert row.builder == (candidates.Builder(builder.key, builder.name) if builder else None)
    assert any(row.builder for row in loaded.values())
    for solution in session.scalars(select(Solution)):  # as a cost answer reads one
        priced, who = costs.priced_for(session, solution.slug, NRW)
        assert tuple(priced) == (
            solution.id,
            solution.slug,
            solution.name,
            solution.prices,
            solution.reuse_terms,
        )
        assert who == asking.asking(session, NRW)  # the organisation read with it
    assert any(row.prices != [] for row in loaded.values())


def test_a_column_needing_result_processing_is_refused_on_postgresql(session, backend):
    """UtcDateTime makes the driver's timestamp an aware one: the raw row would differ."""
    statement = select(Organisation.id, Organisation.created_at).where(
        Organisation.id == bindparam("id", type_=Integer)
    )
    if backend != "postgresql":  # the session processes it
        assert driver.rows(session, statement, {"id": -1}) == []
        return
    with pytest.raises(ValueError, match="created_at"):
        driver.rows(session, statement, {"id": -1})


def test_an_expanding_parameter_is_refused_on_postgresql(session, backend):
    statement = select(Organisation.id).where(Organisation.id.in_(bindparam("ids", expanding=True)))
    if backend != "postgresql":  # the session renders it
        assert driver.rows(session, statement, {"ids": [-1]}) == []
        return
    with pytest.raises(ValueError, match="expanding"):
        driver.rows(session, statement, {"ids": [-1]})


def test_the_bare_gap_list_is_the_full_answer_without_candidates(client, session, anonymous):
    """gaps.bare (top=0: the lookup and the gaps in one statement) against the full
    answer's path, for every organisation of the small world, by ARS and by slug."""
    build_small(client, session)
    # Work in progress, two adoptions for one gap: rows the statement joins per gap.
    gaps_of = client.get(f"/api/v1/organisations/{BOCHUM}/gaps?top=20").get_json()["gaps"]
    shared = next(gap for gap in gaps_of if len(gap["top_candidates"]) >= 2)
    first, second = (c["solution"] for c in shared["top_candidates"][:2])
    f.adoption(client, BOCHUM, first, status="contracted", contracted_on="2026-01-15")
    f.adoption(client, BOCHUM, second, status="onboarding")
    keys = [
        ars or slug for ars, slug in session.execute(select(Organisation.ars, Organisation.slug))
    ]
    in_progress = 0
    for key in keys:
        bare = anonymous.get(f"/api/v1/organisations/{key}/gaps?top=0")
        full = anonymous.get(f"/api/v1/organisations/{key}/gaps?top=20")
        assert bare.status_code == full.status_code == 200, key
        expected = full.get_json()
        for gap in expected["gaps"]:
            gap["top_candidates"] = []
        assert bare.get_json() == expected, key
        in_progress += sum(len(gap["in_progress"]) for gap in expected["gaps"])
    assert in_progress >= 2, "the world has adoptions in progress to compare"
    missing = anonymous.get("/api/v1/organisations/059549999999/gaps?top=0")
    assert missing.status_code == 404
    assert missing.headers["Content-Type"] == "application/problem+json"


def test_the_asking_organisation_is_the_orm_s(client, session):
    """asking(): every organisation by its key, with its Land, as the ORM loads it."""
    build_small(client, session)
    # A body of no Land, keyed by slug.
    f.post(client, "organisations", {"slug": "fitko", "name": "FITKO", "kind": "non_territorial"})
    every = session.scalars(select(Organisation)).all()
    assert {o.kind for o in every} >= {"bund", "land", "kreis", "gemeinde", "non_territorial"}
    for org in every:
        found = asking.asking(session, org.key)
        assert [getattr(found, c) for c in asking.COLUMNS] == [
            getattr(org, c) for c in asking.COLUMNS
        ], org.key
        land = org.land_body if org.kind != "land" else None
        if land is None:
            assert found.land_body is None, org.key
        else:
            assert [getattr(found.land_body, c) for c in asking.COLUMNS] == [
                getattr(land, c) for c in asking.COLUMNS
            ], org.key
        assert costs.land_of(session, found) is (found if org.kind == "land" else found.land_body)
    with pytest.raises(NotFound):
        asking.asking(session, "000000000000")
