"""`registry seed --synthetic`: deterministic, Germany-shaped, every feature the analysis reads."""

import hashlib
import random
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from registry import migrate
from registry.db import make_engine
from registry.errors import Conflict
from registry.logic import prices
from registry.models import Adoption, Organisation, Service, Solution
from registry.paths import project_dir
from registry.synthetic import adoptions, catalogue, organisations
from registry.synthetic.build import build
from registry.synthetic.profiles import PROFILES

DATA = project_dir("seed") / "official"


def load(tmp_path: Path, name: str, data: Path | None) -> tuple[Session, object]:
    url = f"sqlite:///{tmp_path / name}.sqlite3"
    migrate.upgrade(url, "head")
    engine = make_engine(url)
    session = Session(engine)
    loaded = build(session, PROFILES["quick"], 7, data)
    session.commit()
    return session, loaded


def fingerprint(session: Session) -> str:
    rows = session.execute(
        text("SELECT organisation_id, solution_id, status, scope FROM adoption ORDER BY id")
    ).all()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.mark.slow
def test_quick_profile_is_deterministic_and_complete(tmp_path):
    first, loaded = load(tmp_path, "a", DATA)
    second, _ = load(tmp_path, "b", DATA)
    assert fingerprint(first) == fingerprint(second)
    assert loaded.counts["service"] == 557  # the real catalogue
    assert loaded.counts["adoption"] >= 25_000
    models = {prices.model_of(p[0]) for p in first.scalars(select(Solution.prices))}
    assert models == {"free", "flat", "per_capita", "tiered", "koenigstein", "composite"}
    assert set(first.scalars(select(Service.executing_level))) == {
        "bund",
        "land",
        "kreis",
        "gemeinde",
    }
    scopes = Counter(first.scalars(select(Adoption.scope)))
    assert scopes["subordinates"] > 0 and scopes["self"] > scopes["subordinates"]
    assert first.scalar(select(func.count()).select_from(text("offering_count"))) > 0
    assert set(first.scalars(select(Adoption.provenance))) == {"illustrative"}
    with pytest.raises(Conflict):  # never on top of existing data
        build(first, PROFILES["quick"], 7, DATA)


@pytest.mark.slow
def test_generated_tree_and_catalogue_without_files(tmp_path):
    session, loaded = load(tmp_path, "generated", None)
    assert loaded.sources == ["organisations: generated tree", "services: generated catalogue"]
    kinds = Counter(session.scalars(select(Organisation.kind)))
    assert kinds["gemeinde"] > 400 and kinds["kreis"] >= 14 and kinds["land"] == 4


@pytest.mark.slow
def test_germany_adoptions_are_a_million_with_a_long_tail():
    """The adoption generator alone (no database): size and skew of the germany profile."""
    rng = random.Random(1)
    tree = organisations.generated_tree(rng, None)
    for n, org in enumerate(tree, start=1):
        org["id"] = n
    services = catalogue.generated_services(rng)
    for n, service in enumerate(services, start=1):
        service["id"] = n
    builders: dict[str, list[int]] = {}
    for org in tree:
        builders.setdefault(org["kind"], []).append(org["id"])
    profile = PROFILES["germany"]
    solutions = catalogue.solutions(rng, profile.solutions, services, builders, 2016)
    for n, solution in enumerate(solutions, start=1):
        solution["id"] = n
    per_solution = Counter(row[2] for row in adoptions.generate(rng, tree, solutions, 1_060_000))
    assert len(tree) > 11_000 and len(solutions) >= 300  # GV100AD has 12,292
    assert sum(per_solution.values()) >= 1_000_000
    due = adoptions.eligible(tree)
    share = sorted(
        (per_solution[s["id"]] / len(due[s["level"]]) for s in solutions if due[s["level"]]),
        reverse=True,
    )
    assert share[0] > 0.9  # adopted almost everywhere
    assert share[len(share) // 2] < 0.3  # the median solution by far not
