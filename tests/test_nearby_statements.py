"""Nearby and similar adopters (registry.logic.nearby) against a reference computed in
Python from the hierarchy, on a synthetic Hessen (three Regierungsbezirke, Kreise,
kreisfreie Städte) and Brandenburg (no Regierungsbezirk, Ämter): for organisations of
every kind and every candidate pair, on both databases; on PostgreSQL both statements
(the LATERAL ranges and the portable window) give the reference's rows. Then a rename, a
move and a Kreis becoming kreisfrei keep the copied columns of due_offering exact."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from registry import migrate
from registry.db import make_engine, make_sessionmaker
from registry.logic import aggregates, nearby
from registry.models import DueOffering, Organisation, OrganisationClosure, solution_service
from registry.paths import project_dir
from registry.synthetic.build import build
from registry.synthetic.profiles import Profile
from registry.uow import UnitOfWork
from tests.conftest import drop_database, fresh_database_url, release, run_database_name

pytestmark = pytest.mark.slow

PROFILE = Profile("nearby", frozenset({"06", "12"}), 60, 12_000)
KINDS = ("gemeinde", "gemeindeverband", "kreis", "kreisfreie_stadt", "regierungsbezirk", "land")
PER_KIND = 8


@pytest.fixture(scope="module")
def synthetic(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    url = fresh_database_url(
        backend, run_database_name("nearby"), tmp_path_factory.mktemp("nearby")
    )
    migrate.upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        build(session, PROFILE, 3, project_dir("seed") / "official")
        session.commit()
    yield engine
    release(engine)
    drop_database(backend, url)


@pytest.fixture
def db(synthetic: Any) -> Iterator[Session]:
    """A session whose writes are rolled back."""
    connection = synthetic.connect()
    outer = connection.begin()
    session = make_sessionmaker(connection, join_transaction_mode="create_savepoint")()
    yield session
    session.close()
    outer.rollback()
    connection.close()


class Reference:
    """Who near whom, from the closure table and due_offering's key, in Python."""

    def __init__(self, session: Session) -> None:
        orgs = session.execute(
            select(
                Organisation.id, Organisation.kind, Organisation.land_code, Organisation.population
            )
        ).all()
        self.kind = {id_: kind for id_, kind, _, _ in orgs}
        self.land = {id_: land for id_, _, land, _ in orgs}
        self.population = {id_: population for id_, _, _, population in orgs}
        # The database's own order of names (its collation), not Python's.
        ordered = session.scalars(
            select(Organisation.id).order_by(Organisation.name, Organisation.id)
        )
        self.rank = {id_: n for n, id_ in enumerate(ordered)}
        self.above: dict[int, set[int]] = defaultdict(set)  # ancestors and itself
        for ancestor, descendant in session.execute(
            select(OrganisationClosure.ancestor_id, OrganisationClosure.descendant_id)
        ):
            self.above[descendant].add(ancestor)
        self.adopters: dict[tuple[int, int], list[int]] = defaultdict(list)
        for org, sol, svc in session.execute(
            select(DueOffering.organisation_id, DueOffering.solution_id, DueOffering.service_id)
        ):
            self.adopters[sol, svc].append(org)

    def _in(self, org: int, kind: str) -> int | None:
        return next((a for a in self.above[org] if self.kind[a] == kind), None)

    def nearby(self, org: int, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], list]:
        kreis = self._in(org, "kreis")
        bezirk = self._in(org, "regierungsbezirk")
        area = bezirk if bezirk is not None else kreis
        found = {}
        for pair in pairs:
            ranked = []
            for other in self.adopters.get(pair, []):
                if other == org:
                    continue
                if kreis is not None and kreis in self.above[other]:
                    distance = 0
                elif area is not None and area in self.above[other]:
                    distance = 1
                elif self.land[other] == self.land[org]:
                    distance = 2
                else:
                    continue
                ranked.append((distance, self.rank[other], other))
            if ranked:
                found[pair] = [(o, nearby.CLASSES[d]) for d, _, o in sorted(ranked)[: nearby.SHOWN]]
        return found

    def similar(self, org: int, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], list]:
        """Among the POOL of the same kind closest in population (within SPREAD), those
        running it, closest first, then by name."""
        mine = self.population[org]
        low, high = math.ceil(mine / nearby.SPREAD), math.floor(mine * nearby.SPREAD)
        peers = [
            (abs(population - mine), other)
            for other, population in self.population.items()
            if other != org
            and self.kind[other] == self.kind[org]
            and population is not None
            and low <= population <= high
        ]
        pool = {other for _, other in sorted(peers)[: nearby.POOL]}
        found = {}
        for pair in pairs:
            ranked = sorted(
                (abs(self.population[other] - mine), self.rank[other], other)
                for other in self.adopters.get(pair, [])
                if other in pool
            )
            if ranked:
                found[pair] = [(o, "similar") for _, _, o in ranked[: nearby.SIMILAR]]
        return found


def _sample(session: Session) -> list[Organisation]:
    rng = random.Random(5)
    chosen = []
    for kind in KINDS:
        of_kind = session.scalars(
            select(Organisation).where(Organisation.kind == kind).order_by(Organisation.id)
        ).all()
        chosen += rng.sample(of_kind, min(PER_KIND, len(of_kind)))
    return chosen


def _pairs(session: Session) -> list[tuple[int, int]]:
    SS = solution_service
    return sorted(tuple(r) for r in session.execute(select(SS.c.solution_id, SS.c.service_id)))


def _keys(session: Session) -> dict[str, int]:
    rows = session.execute(select(Organisation.ars, Organisation.slug, Organisation.id))
    return {ars or slug: id_ for ars, slug, id_ in rows}


def _as_ids(found: nearby.Pairs, keys: dict[str, int], pairs: list[tuple[int, int]]) -> dict:
    """Only the asked pairs (the window also answers other pairs of their ids)."""
    asked = set(pairs)
    return {
        pair: [(keys[n.key], n.distance) for n in listed]
        for pair, listed in found.items()
        if pair in asked and listed
    }


def test_the_world_has_every_distance_class(db):
    reference, pairs = Reference(db), _pairs(db)
    classes = set()
    for org in _sample(db):
        for listed in reference.nearby(org.id, pairs).values():
            classes |= {distance for _, distance in listed}
    assert classes == {"kreis", "regierungsbezirk", "land"}


def test_nearby_adopters_equal_the_reference(db, backend):
    reference, keys, pairs = Reference(db), _keys(db), _pairs(db)
    statements = [nearby.adopters]
    if backend == "postgresql":  # adopters() takes the LATERAL ranges; the window too
        statements.append(nearby.windowed)
    compared = 0
    for org in _sample(db):
        expected = reference.nearby(org.id, pairs)
        for statement in statements:
            assert _as_ids(statement(db, org, pairs), keys, pairs) == expected, org.name
        compared += sum(len(listed) for listed in expected.values())
    assert compared > 1_000  # enough named adopters to mean something


def test_similar_adopters_equal_the_reference(db):
    reference, keys, pairs = Reference(db), _keys(db), _pairs(db)
    compared = 0
    for org in _sample(db):
        if not org.population:
            continue
        expected = reference.similar(org.id, pairs)
        assert _as_ids(nearby.similar(db, org, pairs), keys, pairs) == expected, org.name
        compared += sum(len(listed) for listed in expected.values())
    assert compared > 300


def test_both_in_one_statement_equal_the_reference(db, backend):
    """named_and_similar: on PostgreSQL one statement for both lists, each in its order."""
    reference, keys, pairs = Reference(db), _keys(db), _pairs(db)
    statements: list[int] = []
    compared = 0
    for org in _sample(db):
        before = len(statements)
        with _counting(db, statements):
            named, alike = nearby.named_and_similar(db, org, pairs)
        assert _as_ids(named, keys, pairs) == reference.nearby(org.id, pairs), org.name
        expected = reference.similar(org.id, pairs) if org.population else {}
        assert _as_ids(alike, keys, pairs) == expected, org.name
        if backend == "postgresql" and org.population and org.land_code:
            assert len(statements) - before == 1, org.name
        compared += sum(len(listed) for listed in expected.values())
    assert compared > 300


@contextmanager
def _counting(session: Session, statements: list[int]) -> Iterator[None]:
    engine = session.get_bind()
    note = lambda *_args: statements.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", note)


def _place_of(session: Session, org_id: int) -> set[tuple[Any, ...]]:
    rows = session.execute(
        select(DueOffering.kreis_id, DueOffering.area_id, DueOffering.name).where(
            DueOffering.organisation_id == org_id
        )
    )
    return {tuple(row) for row in rows}


def _adopting(session: Session, kind: str) -> Organisation:
    return session.scalars(
        select(Organisation)
        .where(Organisation.kind == kind, Organisation.land_code == "06")
        .where(Organisation.id.in_(select(DueOffering.organisation_id)))
        .order_by(Organisation.id)
    ).first()


def test_a_rename_rewrites_the_copied_name_and_the_order(db):
    gemeinde = _adopting(db, "gemeinde")
    work = UnitOfWork.trusted_for(db)
    work.update("organisation", gemeinde.ars, {"name": "Aaaa-Vorderstadt"})
    work.commit()
    places = _place_of(db, gemeinde.id)
    assert places and {name for _, _, name in places} == {"Aaaa-Vorderstadt"}
    assert aggregates.equals_full_recount(db)
    reference, keys, pairs = Reference(db), _keys(db), _pairs(db)
    neighbour = next(o for o in _sample(db) if o.kind == "gemeinde" and o.id != gemeinde.id)
    assert _as_ids(nearby.adopters(db, neighbour, pairs), keys, pairs) == reference.nearby(
        neighbour.id, pairs
    )


def test_a_move_rewrites_the_places(db):
    """A Gemeinde moved to another Kreis lies in that Kreis (and its Bezirk) in every row."""
    gemeinde = _adopting(db, "gemeinde")
    other = db.scalars(
        select(Organisation)
        .where(Organisation.kind == "kreis", Organisation.land_code == "06")
        .where(Organisation.id != gemeinde.parent_id)
        .order_by(Organisation.id.desc())
    ).first()
    work = UnitOfWork.trusted_for(db)
    work.update("organisation", gemeinde.ars, {"parent": other.ars})
    work.commit()
    bezirk = other.parent_id if other.parent.kind == "regierungsbezirk" else None
    assert {(k, a) for k, a, _ in _place_of(db, gemeinde.id)} == {
        (other.id, bezirk if bezirk is not None else other.id)
    }
    assert aggregates.equals_full_recount(db)


def test_the_copied_columns_equal_the_hierarchy(db):
    """Every row's Kreis and area are what the closure says, its name the organisation's."""
    rows = db.execute(
        text(
            "SELECT d.organisation_id, d.kreis_id, d.area_id, d.name, o.name "
            "FROM due_offering d JOIN organisation o ON o.id = d.organisation_id"
        )
    ).all()
    reference = Reference(db)
    assert rows
    for org, kreis, area, copied, name in rows:
        bezirk = reference._in(org, "regierungsbezirk")
        assert kreis == reference._in(org, "kreis")
        assert area == (bezirk if bezirk is not None else kreis)
        assert copied == name


def test_a_kreis_becoming_kreisfrei_takes_its_gemeinden_out_of_any_kreis(db):
    gemeinde = _adopting(db, "gemeinde")
    kreis = gemeinde.parent if gemeinde.parent.kind == "kreis" else gemeinde.parent.parent
    bezirk = kreis.parent_id if kreis.parent.kind == "regierungsbezirk" else None
    work = UnitOfWork.trusted_for(db)
    work.update("organisation", kreis.ars, {"kind": "kreisfreie_stadt"})
    work.commit()
    assert {(k, a) for k, a, _ in _place_of(db, gemeinde.id)} == {(None, bezirk)}
    assert aggregates.equals_full_recount(db)
