"""Create or update one record by its public key, validated like an API request.

The seed, the bundle import and the HTTP import all write through here, so a record is
judged by the same schema and the same domain rules however it arrives, and a record
already present with the same values is left alone (an import run twice changes nothing).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from marshmallow import Schema, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.api.adoptions import AdoptionSchema
from registry.api.organisations import OrganisationSchema
from registry.api.services import ServiceSchema
from registry.api.solutions import SolutionSchema
from registry.errors import Invalid, NotFound, flatten_errors
from registry.logic import koenigstein, lookup, prices
from registry.models import Adoption
from registry.models.vocab import LAND_CODES
from registry.uow import UnitOfWork


@dataclass(frozen=True)
class Kind:
    name: str
    schema: type[Schema]

    def find(self, session: Session, data: dict[str, Any]) -> Any:
        try:
            if self.name == "organisation":
                return lookup.organisation(session, data.get("ars") or data["slug"])
            if self.name == "service":
                return lookup.service(session, data["ozg_id"])
            if self.name == "solution":
                return lookup.solution(session, data["slug"])
        except NotFound:
            return None
        org = lookup.organisation(session, data["organisation"], field="organisation")
        solution = lookup.solution(session, data["solution"], field="solution")
        return session.scalar(
            select(Adoption).where(
                Adoption.organisation_id == org.id, Adoption.solution_id == solution.id
            )
        )


KINDS = {
    "organisation": Kind("organisation", OrganisationSchema),
    "service": Kind("service", ServiceSchema),
    "solution": Kind("solution", SolutionSchema),
    "adoption": Kind("adoption", AdoptionSchema),
}


def writable(kind_name: str) -> list[str]:
    """The fields a client may write: what a bundle record (and a change) consists of."""
    schema = KINDS[kind_name].schema()
    return sorted(name for name, f in schema.fields.items() if not f.dump_only)


def upsert(session: Session, kind_name: str, record: dict[str, Any]) -> str:
    """'created', 'updated' or 'unchanged'; Invalid (422) naming the fields otherwise."""
    if kind_name == "koenigstein_share":
        _check_share(record)
        return koenigstein.put_share(
            session,
            year=record["year"],
            land_code=record["land_code"],
            share_e5=koenigstein.parse_percent(record["share_percent"]),
            source=record.get("source"),
        )
    kind = KINDS[kind_name]
    schema = kind.schema()
    try:
        desired = schema.load(jsonable(record))
    except ValidationError as error:
        raise Invalid(flatten_errors(error.normalized_messages())) from error
    existing = kind.find(session, desired)
    work = UnitOfWork.trusted_for(session)
    if existing is None:
        work.create(kind_name, desired)
        return "created"
    current = _current(kind_name, schema, existing)
    if "price_periods" in desired:
        desired.pop("price", None)  # validated equal to the last period
    changes = {k: v for k, v in desired.items() if not _same(k, v, current.get(k))}
    if not changes:
        return "unchanged"
    work.update(kind_name, existing, changes)
    return "updated"


def _check_share(record: dict[str, Any]) -> None:
    errors = {}
    if record.get("land_code") not in LAND_CODES:
        errors["land_code"] = ["A Land code is 01 to 16."]
    year = record.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2200:
        errors["year"] = ["A year between 1949 and 2200."]
    if not isinstance(record.get("share_percent"), str):
        errors["share_percent"] = ["A percentage as a string, e.g. '21.14355'."]
    if errors:
        raise Invalid(errors)


def _current(kind_name: str, schema: Any, existing: Any) -> dict[str, Any]:
    """The record as a write would set it: a solution's prices in their stored form."""
    current = schema.dump(existing)
    if kind_name == "solution":
        current["price_periods"] = existing.prices
        current["price"] = existing.prices  # writing a price replaces every period
        current["reuse_terms"] = existing.reuse_terms
    return current


def _same(field: str, wanted: Any, current: Any) -> bool:
    if field == "price":
        wanted = [wanted]
    elif field == "reuse_terms":
        wanted = prices.canonical_terms(wanted or [])
    wanted, current = jsonable(wanted), jsonable(current)
    if isinstance(wanted, list) and all(isinstance(v, str) for v in wanted):
        # Key lists (duties, LeiKa keys, services) are sets: their order carries no meaning.
        return isinstance(current, list) and sorted(wanted) == sorted(current)
    return wanted == current


def jsonable(value: Any) -> Any:
    """Dates become ISO strings, as the API's JSON carries them."""
    return json.loads(json.dumps(value, default=_iso))


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)
