"""The organisation an analysis answer is asked for, with its Land: plain columns.

A gap, candidate or cost answer needs of the asking organisation its id, key, name, kind,
Land and population, and the same of its Land (cost estimates split by the Königsteiner
Schlüssel and by inhabitants). Loaded as an `Organisation` with its `land_body` joined,
that was the ORM's statement and two instrumented objects: 0.37 ms of a 1.2 ms cost
answer in one process. As one row of plain columns by its SQL text (registry.logic.
driver) a cost answer took 1.58 → 1.38 ms over HTTP, side by side. Estimates and the
candidates' ranking read either (`Body`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import String, and_, bindparam, cast, func, select
from sqlalchemy.orm import Session, aliased

from registry.errors import NotFound
from registry.logic import driver
from registry.logic.constants import const
from registry.logic.lookup import ARS_RE
from registry.models import KoenigsteinShare, Organisation

COLUMNS = ("id", "ars", "slug", "name", "kind", "land_code", "population", "population_date")


@dataclass(frozen=True, slots=True)
class Named:
    """An organisation as an answer names it (registry.api.render's summary)."""

    id: int
    ars: str | None
    slug: str | None
    name: str
    kind: str
    land_code: str | None

    @property
    def key(self) -> str:
        return self.ars or self.slug or ""


@dataclass(frozen=True, slots=True)
class Asking(Named):
    """The organisation an answer is asked for, with what its estimates need."""

    population: int | None
    population_date: date | None
    # Its Land: none for a Land itself (it is its own), the Bund and bodies of no Land.
    land_body: Asking | None = None
    # Its Land's Königsteiner shares, (year, share_e5) pairs (None: not read with it); a
    # tuple, so that the organisation stays hashable as a frozen dataclass.
    land_shares: tuple[tuple[int, int], ...] | None = None


# What the analysis reads of an organisation: the ORM's object or this row.
Body = Organisation | Asking


def asking(session: Session, key: str) -> Asking:
    """The organisation with this key (ARS or slug; 404 if none) and its Land: one
    statement."""
    rows = driver.rows(session, statement(bool(ARS_RE.match(key))), {"key": key})
    if not rows:
        raise NotFound("organisation", key)
    return from_row(rows[0])


# The columns of a row of `statement`: the organisation's, its Land's, the Land's shares.
WIDTH = 2 * len(COLUMNS) + 1


def from_row(row: Any) -> Asking:
    """The organisation of a row of `statement` (its first WIDTH columns)."""
    n = len(COLUMNS)
    land = _body(row[n : 2 * n], None) if row[n] is not None else None
    return _body(row[:n], land, _shares(row[2 * n]))


def _shares(text: str | None) -> tuple[tuple[int, int], ...]:
    """'2024:1292815,2025:…' (the statement's last column) as (year, share_e5) pairs."""
    pairs = (part.split(":") for part in text.split(",")) if text else ()
    return tuple(sorted((int(year), int(share)) for year, share in pairs))


def _body(
    values: Any, land: Asking | None, shares: tuple[tuple[int, int], ...] | None = None
) -> Asking:
    id_, ars, slug, name, kind, land_code, population, population_date = values
    return Asking(id_, ars, slug, name, kind, land_code, population, population_date, land, shares)


@cache
def statement(by_ars: bool) -> Any:
    """The organisation by its ARS (`by_ars`) or slug (the parameter `key`), with its
    Land and the Land's shares: WIDTH columns (`from_row`)."""
    org, land = Organisation, aliased(Organisation)
    key = bindparam("key", type_=String)
    # The Land's key shares (a handful of years) as one text column: an estimate split by
    # the Königsteiner Schlüssel read them in a round trip of their own.
    K = KoenigsteinShare
    share = cast(K.year, String).concat(const(":")).concat(cast(K.share_e5, String))
    shares = (
        select(func.aggregate_strings(share, ","))
        .where(K.land_code == org.land_code)
        .scalar_subquery()
    )
    return (
        select(*(getattr(org, c) for c in COLUMNS), *(getattr(land, c) for c in COLUMNS), shares)
        .outerjoin(
            land,
            and_(
                org.kind != const("land"),
                land.kind == const("land"),
                land.land_code == org.land_code,
            ),
        )
        .where(org.ars == key if by_ars else org.slug == key)
        # One row even if two Länder shared a code (no constraint forbids it, the API
        # does): the statements that read this as a CTE need one.
        .limit(const(1))
    )
