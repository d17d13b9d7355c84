"""`among`: an id list whose SQL text does not depend on its length on PostgreSQL (so
that the driver prepares it once), and the same rows as IN everywhere."""

from sqlalchemy import select
from sqlalchemy.dialects import postgresql

from registry.logic.among import among
from registry.models import Service
from tests import factories as f


def test_the_same_rows_as_in(client, session):
    for ozg_id in ("10001", "10002", "10003"):
        f.service(client, ozg_id)
    ids = sorted(session.scalars(select(Service.id)))
    for wanted in ([], ids[:1], ids[1:], ids):
        found = session.scalars(select(Service.id).where(among(session, Service.id, wanted)))
        assert sorted(found) == wanted
    subquery = select(Service.id).where(Service.ozg_id == "10002")
    assert list(
        session.scalars(select(Service.id).where(among(session, Service.id, subquery)))
    ) == [ids[1]]


def test_one_text_for_any_number_of_ids_on_postgresql(session, backend):
    def text(ids):
        stmt = select(Service.id).where(among(session, Service.id, ids))
        return str(stmt.compile(dialect=postgresql.dialect()))

    if backend == "postgresql":
        assert text([1]) == text([1, 2, 3]) == text(list(range(500)))
        assert "= ANY (" in text([1])
    else:  # SQLite has no arrays: an IN list
        assert " IN (" in text([1])
