"""Königsteiner Schlüssel shares: exact decimal percentages stored as integers."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.errors import Invalid
from registry.logic import audit
from registry.models import KoenigsteinShare
from registry.models.koenigstein import SHARE_SCALE

PERCENT_RE = re.compile(r"^(\d{1,3})(?:\.(\d{1,5}))?$")


def parse_percent(text: str, field: str = "share_percent") -> int:
    """'21.14355' -> 2114355 (hundred-thousandths of a percent), never through a float."""
    match = PERCENT_RE.match(text)
    if not match:
        raise Invalid({field: ["A percentage with at most five decimals, e.g. '21.14355'."]})
    whole, frac = match.group(1), (match.group(2) or "").ljust(5, "0")
    return int(whole) * SHARE_SCALE + int(frac)


def shares_for(session: Session, year: int) -> dict[str, KoenigsteinShare]:
    rows = session.scalars(select(KoenigsteinShare).where(KoenigsteinShare.year == year))
    return {row.land_code: row for row in rows}


def put_share(
    session: Session, *, year: int, land_code: str, share_e5: int, source: str | None
) -> str:
    """Create or update one share; says which ("created", "updated", "unchanged")."""
    row = session.get(KoenigsteinShare, (year, land_code))
    if row is None:
        row = KoenigsteinShare(year=year, land_code=land_code, share_e5=share_e5, source=source)
        session.add(row)
        audit.created(session, row)
        return "created"
    if (row.share_e5, row.source) == (share_e5, source):
        return "unchanged"
    before = audit.snapshot(row)
    row.share_e5, row.source = share_e5, source
    audit.updated(session, row, before)
    return "updated"
