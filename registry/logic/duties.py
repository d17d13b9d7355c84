"""Who is due for what, and who offers what online: the two shared analysis queries.

Duties (DESIGN §2): a service's executing level is due for the organisations of that level;
Kreis-level services also for kreisfreie Städte, Gemeinde-level services also for
kreisfreie Städte. An explicit `duties` override (Berlin, Hamburg) replaces the default.

Effective offering: O offers S online when a `live` solution X implementing S is
  - adopted by O with status `live`, or
  - adopted with status `live` and scope `subordinates` by any ancestor of O, or
  - built by O itself.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, exists, literal, or_, select, union_all
from sqlalchemy.sql.selectable import Subquery

from registry.models import (
    Adoption,
    Organisation,
    OrganisationClosure,
    OrganisationDuty,
    Solution,
    solution_service,
)

KIND_LEVELS: dict[str, tuple[str, ...]] = {
    "bund": ("bund",),
    "land": ("land",),
    "kreis": ("kreis",),
    "kreisfreie_stadt": ("kreis", "gemeinde"),
    "gemeinde": ("gemeinde",),
}


def levels_of(org: Organisation) -> tuple[str, ...]:
    """The executing levels one organisation is due for."""
    return tuple(org.duties) if org.duties else KIND_LEVELS.get(org.kind, ())


def duty_table(organisations: Select[Any] | None = None) -> Subquery:
    """(organisation_id, level) for every organisation: its override, else its kind's levels.

    `organisations` (a select of ids) narrows both branches; planners do not push such a
    filter into a UNION by themselves, and the whole table is 12,000 rows.
    """
    kind_levels = union_all(
        *(
            select(literal(kind).label("kind"), literal(level).label("level"))
            for kind, levels in KIND_LEVELS.items()
            for level in levels
        )
    ).subquery("kind_levels")
    has_override = exists().where(OrganisationDuty.organisation_id == Organisation.id)
    overrides = select(OrganisationDuty.organisation_id, OrganisationDuty.level)
    defaults = (
        select(Organisation.id.label("organisation_id"), kind_levels.c.level)
        .join(kind_levels, kind_levels.c.kind == Organisation.kind)
        .where(~has_override)
    )
    if organisations is not None:
        overrides = overrides.where(OrganisationDuty.organisation_id.in_(organisations))
        defaults = defaults.where(Organisation.id.in_(organisations))
    return union_all(overrides, defaults).subquery("duty")


def offering(
    *,
    organisation_id: int | Select[Any] | None = None,
    service_ids: Select | list[int] | None = None,
    solution_ids: Select | list[int] | None = None,
) -> Subquery:
    """(organisation_id, service_id, solution_id, via) for every effective offering.

    `via` is `adoption` (own live adoption), `rollout` (an ancestor's live `subordinates`
    adoption) or `built` (O built the live solution). Filters narrow it early, so that
    one organisation's question touches only its own rows.
    """
    C, SS = OrganisationClosure, solution_service
    adopted = (
        select(
            C.descendant_id.label("organisation_id"),
            SS.c.service_id,
            Adoption.solution_id,
            case((C.depth == 0, literal("adoption")), else_=literal("rollout")).label("via"),
        )
        .select_from(Adoption)
        .join(Solution, and_(Solution.id == Adoption.solution_id, Solution.status == "live"))
        .join(SS, SS.c.solution_id == Solution.id)
        .join(
            C,
            and_(
                C.ancestor_id == Adoption.organisation_id,
                or_(C.depth == 0, Adoption.scope == "subordinates"),
            ),
        )
        .where(Adoption.status == "live")
    )
    built = (
        select(
            Solution.builder_id.label("organisation_id"),
            SS.c.service_id,
            Solution.id.label("solution_id"),
            literal("built").label("via"),
        )
        .join(SS, SS.c.solution_id == Solution.id)
        .where(Solution.status == "live")
    )
    if organisation_id is not None:
        adopted = adopted.where(_match(C.descendant_id, organisation_id))
        built = built.where(_match(Solution.builder_id, organisation_id))
    if service_ids is not None:
        adopted = adopted.where(SS.c.service_id.in_(service_ids))
        built = built.where(SS.c.service_id.in_(service_ids))
    if solution_ids is not None:
        adopted = adopted.where(Adoption.solution_id.in_(solution_ids))
        built = built.where(Solution.id.in_(solution_ids))
    return union_all(adopted, built).subquery("offering")


def _match(column, value):  # type: ignore[no-untyped-def]
    return column == value if isinstance(value, int) else column.in_(value)
