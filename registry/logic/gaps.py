"""Services an organisation is due for and does not offer online."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, lazyload, load_only

from registry.logic import candidates, duties
from registry.models import Organisation, Service

SUMMARY_COLUMNS = (Service.ozg_id, Service.name, Service.themenfeld, Service.executing_level)


@dataclass
class Gaps:
    organisation: Organisation
    due: int
    services: list[duties.LocalService]
    candidates: dict[int, list[candidates.Candidate]]

    @property
    def offered(self) -> int:
        return self.due - len(self.services)


def not_offered(org: Organisation):  # type: ignore[no-untyped-def]
    off = duties.offering(organisation_id=org.id)
    return ~exists().where(off.c.service_id == Service.id)


def gaps(
    session: Session,
    org: Organisation,
    *,
    years: int = 5,
    sort: str = "score",
    start: date | None = None,
) -> Gaps:
    due = session.scalar(select(func.count(Service.id)).where(duties.is_due(org)))
    missing = session.execute(
        select(Service, duties.service_level(org.land_code))
        .where(duties.is_due(org), not_offered(org))
        .order_by(Service.ozg_id)
        # A gap shows the service's summary only: no texts, no LeiKa keys.
        .options(
            load_only(*SUMMARY_COLUMNS),
            lazyload(Service.leika_rows),
            lazyload(Service.responsibilities),
        )
    ).all()
    local = [duties.LocalService(service, level) for service, level in missing]
    # The gap ids just found, not the gap query again inside the candidate queries.
    gap_ids = [service.id for service in local]
    found = (
        candidates.candidates_for(session, org, gap_ids, years=years, sort=sort, start=start)
        if local
        else {}
    )
    return Gaps(org, due or 0, local, found)


def offered_ids(session: Session, org: Organisation, service_ids: list[int]) -> set[int]:
    """Which of these services the organisation offers online."""
    off = duties.offering(organisation_id=org.id, service_ids=service_ids)
    return set(session.scalars(select(off.c.service_id).distinct()))
