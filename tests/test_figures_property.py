"""Property: whatever sequence of writes, rolled-back savepoints and failed imports happens,
after every commit the materialised offering figures equal a full recount.

Random sequences (fixed seeds, so a failure replays) of the writes that move the figures:
adoptions created, changed and deleted (status, scope), solutions switched live and back,
their services changed, a service's national level, per-Land rows and `voluntary` changed,
organisations renamed and a Gemeinde moved between its Kreis and a Gemeindeverband.
Some steps run in a savepoint that is rolled back; some are an import that fails and rolls
the whole transaction back.
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from registry.errors import RegistryError
from registry.importers import bundle
from registry.models import Adoption, Organisation
from registry.uow import UnitOfWork
from tests import factories as f
from tests.test_offering_figures import assert_exact

NRW, BY, EN, BOCHUM = "050000000000", "090000000000", "059540000000", "059110000000"
GEMEINDEN = ["059540004004", "059540008008", "059540036036"]
LK, VGEM, MEMBER, FREE = "091710000000", "091715151000", "091715151118", "091710111116"
ORGS = [NRW, BY, EN, BOCHUM, *GEMEINDEN, LK, VGEM, MEMBER, FREE]
WITH_BODIES_BELOW = {NRW, BY, EN, LK, VGEM}  # who can roll out to `subordinates`
SERVICES = ["10000", "10124", "10160", "10519"]
SOLUTIONS = ["alpha", "beta", "gamma"]
LEVELS = ["land", "kreis", "gemeindeverband", "gemeinde"]


@pytest.fixture
def world(client):
    f.land(client, "05")
    f.land(client, "09", "Bayern")
    f.organisation(client, EN, "Ennepe-Ruhr-Kreis", "kreis", NRW)
    for n, ars in enumerate(GEMEINDEN):
        f.organisation(client, ars, f"Gemeinde {n}", "gemeinde", EN)
    f.organisation(client, BOCHUM, "Bochum", "kreisfreie_stadt", NRW)
    f.organisation(client, LK, "Landkreis Altötting", "kreis", BY)
    f.organisation(client, VGEM, "Emmerting (VGem)", "gemeindeverband", LK)
    f.organisation(client, MEMBER, "Emmerting", "gemeinde", VGEM)
    f.organisation(client, FREE, "Burghausen", "gemeinde", LK)
    for ozg_id, level in zip(SERVICES, ("kreis", "gemeinde", "gemeinde", "kreis"), strict=True):
        f.service(client, ozg_id, level)
    for n, slug in enumerate(SOLUTIONS):
        f.solution(client, slug, NRW if n else BOCHUM, SERVICES[n : n + 2], efa=True)


def step(rng: random.Random, work: UnitOfWork) -> None:
    session = work.session
    kind = rng.choice(["adopt", "adopt", "adopt", "solution", "service", "organisation"])
    if kind == "adopt":
        org, slug = rng.choice(ORGS), rng.choice(SOLUTIONS)
        existing = session.scalar(
            select(Adoption).where(
                Adoption.organisation.has(ars=org), Adoption.solution.has(slug=slug)
            )
        )
        if existing is not None and rng.random() < 0.3:
            work.delete("adoption", existing)
            return
        data = {
            "status": rng.choice(["live", "live", "contracted", "ended"]),
            "scope": rng.choice(["self", "subordinates"]) if org in WITH_BODIES_BELOW else "self",
        }
        if existing is None:
            work.create(
                "adoption",
                {"organisation": org, "solution": slug, "provenance": "contract", **data},
            )
        else:
            work.update("adoption", existing, data)
    elif kind == "solution":
        slug = rng.choice(SOLUTIONS)
        if rng.random() < 0.5:
            work.update("solution", slug, {"status": rng.choice(["live", "pilot", "retired"])})
        else:
            work.update("solution", slug, {"services": rng.sample(SERVICES, rng.randint(1, 3))})
    elif kind == "organisation":  # due_offering copies names and places (Kreis, area)
        if rng.random() < 0.6:
            org = rng.choice(ORGS)
            work.update("organisation", org, {"name": f"Umbenannt {rng.randint(1, 99)}"})
        else:
            free = session.scalar(select(Organisation).where(Organisation.ars == FREE))
            work.update("organisation", free, {"parent": VGEM if free.parent.ars == LK else LK})
    else:
        ozg_id = rng.choice(SERVICES)
        choice = rng.random()
        if choice < 0.4:
            work.update("service", ozg_id, {"executing_level": rng.choice(LEVELS)})
        elif choice < 0.8:
            rows = [
                {"land_code": land, "level": rng.choice(LEVELS), "reason": "Landesrecht"}
                for land in rng.sample(["05", "09"], rng.randint(0, 2))
            ]
            work.update("service", ozg_id, {"responsibilities": rows})
        else:
            work.update("service", ozg_id, {"voluntary": rng.random() < 0.5})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_figures_equal_a_full_recount_after_every_commit(world, session, seed):
    rng = random.Random(seed)
    work = UnitOfWork.trusted_for(session)
    for _ in range(30):
        fate = rng.random()
        if fate < 0.25:  # a rolled-back savepoint must not lose the marks of what came before
            step(rng, work)
            savepoint = session.begin_nested()
            step(rng, work)
            session.flush()
            savepoint.rollback()
        elif fate < 0.35:  # an import that fails: nothing of it lands
            step(rng, work)
            bad = [("service", 1, {"ozg_id": "1", "name": "kaputt"})]
            with pytest.raises(RegistryError):
                bundle.import_all(session, bad)
            step(rng, work)
        else:
            step(rng, work)
        work.commit()
        assert_exact(session)


def test_a_service_no_solution_implements_recounts_no_offering(
    world, client, count_statements, session
):
    """Its level moves service_level (who is due for it), never the offering figures:
    nobody offers it."""
    count_statements.statements.clear()
    f.service(client, "10600", "gemeinde")
    client.patch("/api/v1/services/10600", json={"executing_level": "kreis"})
    writes = (
        "INSERT INTO offering_count",
        "INSERT INTO due_offering",
        "DELETE FROM offering_count",
        "DELETE FROM due_offering",
    )
    touched = [s for s in count_statements.statements if s.startswith(writes)]
    assert touched == []
    assert any("INSERT INTO service_level" in s for s in count_statements.statements)
    assert_exact(session)
    count_statements.statements.clear()
    client.patch(f"/api/v1/services/{SERVICES[0]}", json={"executing_level": "land"})
    assert any("offering_count" in s for s in count_statements.statements)  # alpha implements it
