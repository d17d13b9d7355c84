"""The database itself keeps the rules, whatever writes to it (imports, scripts, a buggy view).

Each test writes past the API, first a valid row (so that the refusal below is due to the
one bad value, not to some other missing column), then the bad one, which must raise
IntegrityError on SQLite and on PostgreSQL. The refused write is rolled back to its savepoint.
"""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DataError, IntegrityError

from registry.logic import prices
from registry.models import Adoption, Organisation, Service, ServiceLeikaKey, Solution


def _write(session, *objects):
    """Flush `objects` inside a savepoint; an error rolls back just that savepoint."""
    with session.begin_nested():
        session.add_all(objects)
        session.flush()


def _refused(session, constraint, *objects):
    """The database refuses `objects`, naming `constraint` (None: a unique constraint,
    which SQLite reports by its columns, not by its name)."""
    with pytest.raises(IntegrityError) as caught:
        _write(session, *objects)
    if constraint:
        assert constraint in str(caught.value.orig)


FREE = prices.from_shorthand({"model": "free"})
FLAT = {"model": "flat", "annual_fee_cents": 0, "onboarding_fee_cents": 0}


def _bochum(**overrides):
    values = {"ars": "059110000000", "name": "Bochum", "kind": "kreisfreie_stadt"}
    return Organisation(**{"land_code": "05", **values, **overrides})


def _solution(builder, **overrides):
    values = {"slug": "hundesteuer-online", "name": "Hundesteuer online", "status": "live"}
    return Solution(builder=builder, **{"prices": [FREE], "reuse_terms": [], **values, **overrides})


def _adoption(organisation, solution, **overrides):
    values = {"status": "live", "scope": "self", "provenance": "contract"}
    return Adoption(organisation=organisation, solution=solution, **{**values, **overrides})


def test_valid_rows_are_accepted(session):
    bochum = _bochum()
    solution = _solution(bochum, prices=[prices.from_shorthand(FLAT)])
    service = Service(
        ozg_id="10601", name="Hundesteuer", themenfeld="Querschnitt", executing_level="gemeinde"
    )
    service.leika_rows = [ServiceLeikaKey(leika_key="99102112000000")]
    _write(session, bochum, solution, service, _adoption(bochum, solution))
    assert session.get(Organisation, bochum.id).ars == "059110000000"


def test_ars_of_eleven_digits_is_refused(session):
    _refused(session, "ck_organisation_ars_format", _bochum(ars="05911000000"))


def test_ars_of_twelve_characters_with_a_letter_is_refused(session):
    _refused(session, "ck_organisation_ars_format", _bochum(ars="05911000000X"))


def test_ars_of_thirteen_digits_is_refused(session):
    # PostgreSQL refuses it for the column length (DataError) before the check runs.
    with pytest.raises((IntegrityError, DataError)):
        _write(session, _bochum(ars="0591100000000"))


def test_ars_outside_its_land_code_is_refused(session):
    _refused(session, "ck_organisation_land_code_of_ars", _bochum(land_code="06"))


def test_ars_outside_its_land_code_is_refused_in_plain_sql(connection):
    insert = text(
        "INSERT INTO organisation (ars, name, kind, land_code, version, created_at, updated_at)"
        " VALUES (:ars, 'Bochum', 'kreisfreie_stadt', :land, 1, :now, :now)"
    )
    now = datetime(2025, 1, 1, tzinfo=UTC)
    with connection.begin_nested():
        connection.execute(insert, {"ars": "059110000000", "land": "05", "now": now})
    nested = connection.begin_nested()
    with pytest.raises(IntegrityError) as caught:
        connection.execute(insert, {"ars": "059130000000", "land": "06", "now": now})
    nested.rollback()
    assert "ck_organisation_land_code_of_ars" in str(caught.value.orig)
    count = connection.execute(text("SELECT count(*) FROM organisation")).scalar_one()
    assert count == 1


def test_negative_case_rate_is_refused(session):
    # Prices are JSON, validated by the API's schemas on every way in (tests/test_prices_api);
    # the case rate they may use is a column, checked here.
    service = Service(
        ozg_id="10601",
        name="Hundesteuer",
        themenfeld="Querschnitt",
        executing_level="gemeinde",
        case_rate_e3=-1,
    )
    _refused(session, "ck_service_case_rate_e3", service)


def test_second_adoption_of_the_same_solution_by_the_same_organisation_is_refused(session):
    bochum = _bochum()
    solution = _solution(bochum)
    _write(session, bochum, solution, _adoption(bochum, solution, status="contracted"))
    _refused(session, None, _adoption(bochum, solution, status="live", provenance="press"))
    assert session.scalar(select(func.count()).select_from(Adoption)) == 1


def test_adoption_status_outside_the_enumeration_is_refused(session):
    bochum = _bochum()
    solution = _solution(bochum)
    _write(session, bochum, solution)
    _refused(session, "ck_adoption_status", _adoption(bochum, solution, status="planned"))


def test_adoption_live_before_contract_is_refused(session):
    bochum = _bochum()
    solution = _solution(bochum)
    _write(session, bochum, solution)
    adoption = _adoption(
        bochum, solution, contracted_on=date(2023, 5, 1), live_on=date(2023, 4, 30)
    )
    _refused(session, "ck_adoption_contracted_before_live", adoption)


def test_leika_key_of_13_digits_is_refused(session):
    service = Service(
        ozg_id="10601", name="Hundesteuer", themenfeld="Querschnitt", executing_level="gemeinde"
    )
    _write(session, service)
    service.leika_rows = [ServiceLeikaKey(leika_key="9910211200000")]
    _refused(session, "ck_service_leika_key_leika_key_format")


def test_maturity_5_in_model_1_1_is_refused(session):
    bochum = _bochum()
    _write(session, bochum)
    _refused(session, "ck_solution_maturity", _solution(bochum, maturity=5, maturity_model="1.1"))


def test_maturity_5_in_model_2_0_is_accepted(session):
    bochum = _bochum()
    _write(session, bochum, _solution(bochum, maturity=5, maturity_model="2.0"))
