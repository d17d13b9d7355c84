"""How many services each level executes in a Land, and what that makes each kind due for
(`registry duties summary`): the figures to hold against what a Land says its municipalities
are responsible for."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from registry.logic import duties
from registry.models import Organisation, Service
from registry.models.vocab import LEVEL_SOURCES, LEVELS

# What an organisation of each kind carries (the rule of duties.duty_table).
KIND = duties.KIND_LEVELS
DUE_BY_KIND = {
    "kreisfreie Stadt": duties.carried(KIND["kreisfreie_stadt"], in_verband=False),
    "Kreis": duties.carried(KIND["kreis"], in_verband=False),
    "Gemeindeverband (Amt, Verbandsgemeinde …)": KIND["gemeindeverband"],
    "Gemeinde outside a Gemeindeverband": duties.carried(KIND["gemeinde"], in_verband=False),
    "Gemeinde in a Gemeindeverband": duties.carried(KIND["gemeinde"], in_verband=True),
}
# Which organisations' kind a row of DUE_BY_KIND is about, to show only those the Land has.
KIND_OF_ROW = {
    "kreisfreie Stadt": "kreisfreie_stadt",
    "Kreis": "kreis",
    "Gemeindeverband (Amt, Verbandsgemeinde …)": "gemeindeverband",
    "Gemeinde outside a Gemeindeverband": "gemeinde",
    "Gemeinde in a Gemeindeverband": "gemeinde_in_verband",
}


@dataclass
class LandSummary:
    land_code: str
    land_name: str | None
    levels: Counter[str] = field(default_factory=Counter)  # services per level, due ones
    voluntary: int = 0
    sources: Counter[str] = field(default_factory=Counter)
    organisations: Counter[str] = field(default_factory=Counter)  # kind -> how many

    def due(self, kind: str) -> int:
        return sum(self.levels[level] for level in DUE_BY_KIND[kind])


def summary(session: Session, land_code: str) -> LandSummary:
    levels = duties.service_levels()
    name = session.scalar(
        select(Organisation.name).where(
            Organisation.kind == "land", Organisation.land_code == land_code
        )
    )
    found = LandSummary(land_code, name)
    rows = session.execute(
        select(levels.c.level, func.count())
        .where(levels.c.land_code == land_code)
        .group_by(levels.c.level)
    ).all()
    found.levels.update({level: count for level, count in rows})
    found.voluntary = (
        session.scalar(select(func.count()).select_from(Service).where(Service.voluntary.is_(True)))
        or 0
    )
    found.sources.update(
        dict(
            session.execute(
                select(Service.executing_level_source, func.count()).group_by(
                    Service.executing_level_source
                )
            ).all()
        )
    )
    parent = aliased(Organisation)
    kinds = session.execute(
        select(Organisation.kind, parent.kind, func.count())
        .outerjoin(parent, parent.id == Organisation.parent_id)
        .where(Organisation.land_code == land_code)
        .group_by(Organisation.kind, parent.kind)
    ).all()
    for kind, parent_kind, count in kinds:
        in_verband = kind == "gemeinde" and parent_kind == "gemeindeverband"
        found.organisations["gemeinde_in_verband" if in_verband else kind] += count
    return found


def lines(found: LandSummary) -> list[str]:
    total = sum(found.levels.values()) + found.voluntary
    out = [f"{found.land_name or '?'} ({found.land_code}): who executes the {total} services"]
    out += [f"  {level:<22}{found.levels[level]:>5}" for level in LEVELS]
    out.append(f"  {'voluntary (due: none)':<22}{found.voluntary:>5}")
    out.append("due, by kind of organisation (how many the Land has):")
    for kind in DUE_BY_KIND:
        how_many = found.organisations[KIND_OF_ROW[kind]]
        if how_many:
            german = f"{how_many:,}".replace(",", ".")
            out.append(f"  {kind:<42}{found.due(kind):>5}  ({german})")
    sources = ", ".join(f"{found.sources[s]} {s}" for s in LEVEL_SOURCES if found.sources[s])
    out.append(f"levels from: {sources or 'no services'}")
    return out
