"""The statements of the core answers are planned once per connection on PostgreSQL.

psycopg prepares a statement from its fifth execution on a connection; PostgreSQL then
keeps one generic plan when it looks no dearer than the plans made for the values seen,
and otherwise plans the statement anew at every execution. Vocabulary constants passed as
parameters (`kind = $1` for 'land') and id arrays whose length a generic plan must guess
had the organisation lookup with its Land, the organisation's contracted adoptions and
the offering check of a one-service candidate answer planned at every execution, 0.1-0.7
ms each time (registry.logic.constants). On both databases the constants are in the SQL
text.

On PostgreSQL the test also reads pg_prepared_statements after the answers and fails on
any statement planned anew more than five times. Weak: at this size PostgreSQL's choice
differs from Germany's (the old statements too kept one plan here; the bench data is
where they did not, `tests/bench/run.py`), so that half guards against statements that
replan even on small data. On a database of its own (`own_database`): psycopg forgets
its prepared statements at every ROLLBACK, and the other tests roll each request back to a
savepoint.
"""

from sqlalchemy import event

from registry.db import make_sessionmaker
from tests.conftest import (
    make_token,
    token_client,
)
from tests.test_analysis_statements import BOCHUM, HUNDESTEUER, WITTEN, build_small

PATHS = [
    f"organisations/{BOCHUM}/gaps?top=3",
    f"organisations/{WITTEN}/gaps",
    f"organisations/{WITTEN}/candidates?service={HUNDESTEUER}",
    f"solutions/hundesteuer-online/cost?for={WITTEN}",
    f"solutions/elfe/cost?for={BOCHUM}",
    f"organisations/{WITTEN}/scorecard",
    f"organisations/{BOCHUM}/scorecard",
    f"organisations/{BOCHUM}/budget",
]
ROUNDS = 8  # past psycopg's threshold (5) and the five plans PostgreSQL makes per value


def test_the_core_answers_keep_one_plan_per_statement(own_database, backend):
    own_app = own_database
    db = own_app.extensions["registry_db"]
    engine = db.engine
    admin = token_client(own_app, make_token(own_app, "admin", name="admin"))
    with make_sessionmaker(engine)() as session:
        build_small(admin, session)
        if backend == "postgresql":  # statistics, as autovacuum keeps them in production
            session.connection().exec_driver_sql("ANALYZE")
            session.commit()
    anonymous = token_client(own_app, None)
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split()))

    reads = db.read_engine  # the answers' own pool (on SQLite, the one engine)
    event.listen(reads, "before_cursor_execute", note)
    try:
        for _ in range(ROUNDS):
            for path in PATHS:
                answer = anonymous.get(f"/api/v1/{path}")
                assert answer.status_code == 200, (path, answer.get_json())
    finally:
        event.remove(reads, "before_cursor_execute", note)
    # The Land joined to the organisation, and the contracted adoptions: constants.
    assert any("kind = 'land'" in s and "LEFT OUTER JOIN organisation" in s for s in seen)
    assert any("status IN ('contracted', 'onboarding', 'live')" in s for s in seen)
    if backend != "postgresql":
        return
    # Every connection the answers used (sequential requests: usually one).
    pooled = [reads.raw_connection() for _ in range(reads.pool.checkedin())]
    rows = []
    try:
        for connection in pooled:
            cursor = connection.cursor()
            cursor.execute(
                "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements "
                "WHERE NOT from_sql"
            )
            rows += cursor.fetchall()
            cursor.close()
    finally:
        for connection in pooled:
            connection.close()
    # Seven: the audit sequence; the organisation (with its Land and the Land's key
    # shares) in the gap statement, in the one service's, in the priced solution's and in
    # the scorecard's (its standing read from a correlated row, not from parameters); the
    # candidate pairs; the adopters named.
    assert len(rows) >= 7, "psycopg prepared too few statements: the test asks too little"
    replanned = [
        f"{custom} custom plans, {generic} generic: {' '.join(statement.split())[:240]}"
        for statement, generic, custom in rows
        if custom > 5
    ]
    assert not replanned, "\n".join(replanned)
