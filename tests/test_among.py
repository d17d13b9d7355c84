"""`among_param`: an id list given at execution whose SQL text does not depend on its
length on PostgreSQL (so that the driver prepares it once), and the same rows as IN
everywhere; `pairs_param` likewise for pairs."""

from sqlalchemy import select, tuple_
from sqlalchemy.dialects import postgresql

from registry.logic.among import among_param, dialect_of, pairs_param, pairs_values
from registry.models import Service, Solution, solution_service
from tests import factories as f

NAMES = ("firsts", "seconds")


def test_the_same_rows_as_in(client, session):
    for ozg_id in ("10001", "10002", "10003"):
        f.service(client, ozg_id)
    ids = sorted(session.scalars(select(Service.id)))
    stmt = select(Service.id).where(among_param(dialect_of(session), Service.id, "ids"))
    for wanted in ([], ids[:1], ids[1:], ids):
        found = session.scalars(stmt, {"ids": wanted})
        assert sorted(found) == wanted


def test_one_text_for_any_number_of_ids_on_postgresql(session, backend):
    def text(ids):
        stmt = select(Service.id).where(among_param(dialect_of(session), Service.id, "ids"))
        return str(stmt.compile(dialect=postgresql.dialect()))

    if backend == "postgresql":
        assert text([1]) == text([1, 2, 3]) == text(list(range(500)))
        assert "IN (SELECT unnest(" in text([1])
    else:  # SQLite has no arrays: an IN list
        assert " IN (" in text([1])


def _two_solutions(client):
    """Three services, two solutions sharing the middle one: four (solution, service)."""
    for ozg_id in ("10001", "10002", "10003"):
        f.service(client, ozg_id)
    f.land(client)
    f.solution(client, "one", "050000000000", ["10001", "10002"])
    f.solution(client, "two", "050000000000", ["10002", "10003"])


def test_pairs_give_the_rows_of_a_tuple_in(client, session):
    _two_solutions(client)
    dialect = dialect_of(session)
    SS = solution_service
    pairs = select(SS.c.solution_id, SS.c.service_id).where(
        pairs_param(dialect, (SS.c.solution_id, SS.c.service_id), NAMES)
    )
    every = sorted(tuple(r) for r in session.execute(select(SS.c.solution_id, SS.c.service_id)))
    assert len(every) == 4
    for wanted in ([], every[:1], every[1:3], every, [(every[0][0], every[3][1])]):
        found = session.execute(pairs, pairs_values(dialect, NAMES, wanted))
        expected = session.execute(
            select(SS.c.solution_id, SS.c.service_id).where(
                tuple_(SS.c.solution_id, SS.c.service_id).in_(wanted)
            )
        )
        assert (
            sorted(tuple(r) for r in found)
            == sorted(tuple(r) for r in expected)
            == sorted(set(wanted) & set(every))
        )


def test_one_text_for_any_number_of_pairs_on_postgresql(session, backend):
    def text(pairs):
        columns = (Solution.id, Service.id)
        stmt = select(Service.id).where(pairs_param(dialect_of(session), columns, NAMES))
        return str(stmt.compile(dialect=postgresql.dialect()))

    if backend == "postgresql":
        assert text([(1, 2)]) == text([(1, 2), (3, 4)]) == text([(n, n) for n in range(300)])
        assert "unnest(" in text([(1, 2)])
    else:
        assert " IN (" in text([(1, 2)])
