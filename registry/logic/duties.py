"""Who is due for what, and who offers what online: the shared analysis queries.

Duties (DESIGN §2). A service is executed at one level per Land: its national default
(`service.executing_level`) unless a ServiceResponsibility row names another level for
that Land. An organisation is due for the service when it carries that level:
  - `kreis`: Kreise and kreisfreie Städte;
  - `gemeinde`: Gemeinden and kreisfreie Städte;
  - `gemeindeverband`: the Gemeindeverband (Amt, Samtgemeinde, Verbandsgemeinde,
    Verwaltungsgemeinschaft), and every organisation carrying `gemeinde` that belongs to
    none (a verbandsfreie Gemeinde, a kreisfreie Stadt, a city-state);
  - `land`, `bund`: the Land, the Bund.
An explicit `duties` override (Berlin, Hamburg: land, kreis, gemeinde) replaces the levels
of the kind; the Gemeindeverband rule applies to it as well. A `voluntary` service (a
freiwillige Leistung such as a Musikschule) is due for nobody.

Effective offering: O offers S online when a `live` solution X implementing S is
  - adopted by O with status `live`, or
  - adopted with status `live` and scope `subordinates` by any ancestor of O, or
  - built by O itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import (
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.selectable import Subquery

from registry.logic.constants import const
from registry.models import (
    Adoption,
    Organisation,
    OrganisationClosure,
    OrganisationDuty,
    OrganisationLevel,
    Service,
    ServiceLevel,
    ServiceResponsibility,
    Solution,
    solution_service,
)
from registry.models.stats import NO_LAND
from registry.models.vocab import LAND_CODES

KIND_LEVELS: dict[str, tuple[str, ...]] = {
    "bund": ("bund",),
    "land": ("land",),
    "kreis": ("kreis",),
    "kreisfreie_stadt": ("kreis", "gemeinde"),
    "gemeindeverband": ("gemeindeverband",),
    "gemeinde": ("gemeinde",),
}
VERBAND = "gemeindeverband"


class ServiceSummary(NamedTuple):
    """What a gap or an offered service shows of a service, read as plain columns (no ORM
    object): SUMMARY_COLUMNS, in this order."""

    id: int
    ozg_id: str
    name: str
    themenfeld: str


SUMMARY_COLUMNS = (Service.id, Service.ozg_id, Service.name, Service.themenfeld)


@dataclass(frozen=True)
class LocalService:
    """A service as one organisation meets it: with the level executing it in its Land."""

    service: Service | ServiceSummary
    executing_level: str

    @property
    def id(self) -> int:
        return self.service.id

    @property
    def ozg_id(self) -> str:
        return self.service.ozg_id

    @property
    def name(self) -> str:
        return self.service.name

    @property
    def themenfeld(self) -> str:
        return self.service.themenfeld


def carried(levels: tuple[str, ...], *, in_verband: bool) -> tuple[str, ...]:
    """The levels a body with these duties carries: outside a Gemeindeverband, who
    carries `gemeinde` carries the Gemeindeverband's tasks too."""
    if "gemeinde" in levels and VERBAND not in levels and not in_verband:
        return (*levels, VERBAND)
    return levels


def land_key(land_code: Any) -> Any:
    """The Land an organisation's duties are judged by; the Bund's is NO_LAND."""
    return func.coalesce(land_code, NO_LAND)


def computed_service_levels(service_ids: list[int] | None = None) -> Subquery:
    """(service_id, land_code, level) for every service someone is due for (not the
    voluntary ones), in every Land and for NO_LAND, computed from the catalogue: what
    the service_level table holds (registry.models.stats; the recount fills it so)."""
    lands = union_all(
        *(select(literal(code).label("land_code")) for code in (NO_LAND, *LAND_CODES))
    ).subquery("lands")
    R = aliased(ServiceResponsibility)
    stmt = (
        select(
            Service.id.label("service_id"),
            lands.c.land_code,
            func.coalesce(R.level, Service.executing_level).label("level"),
        )
        .select_from(Service)
        .join(lands, true())
        .outerjoin(R, and_(R.service_id == Service.id, R.land_code == lands.c.land_code))
        .where(Service.voluntary.is_(False))
    )
    if service_ids is not None:
        stmt = stmt.where(Service.id.in_(service_ids))
    return stmt.subquery("service_levels")


def service_levels(service_ids: list[int] | None = None) -> Subquery:
    """(service_id, land_code, level) as materialised in service_level."""
    L = ServiceLevel
    stmt = select(L.service_id, L.land_code, L.level)
    if service_ids is not None:
        stmt = stmt.where(L.service_id.in_(service_ids))
    return stmt.subquery("service_levels")


def due_services(organisation_id: Any, *where: Any) -> Subquery:
    """(service_id, level) for every service the organisation is due for: its carried
    levels (organisation_level) joined with the services' levels in its Land
    (service_level), both materialised: two index lookups. `where`: conditions on
    ServiceLevel.service_id that narrow them (registry.logic.gaps: not offered)."""
    L, S = OrganisationLevel, ServiceLevel
    return (
        select(S.service_id, S.level)
        .join(L, and_(L.land_code == S.land_code, L.level == S.level))
        .where(L.organisation_id == organisation_id, *where)
        .subquery("due_services")
    )


def due_count(organisation_id: Any) -> Any:
    """How many services an organisation (an id, or a column of ids to correlate with)
    is due for: a scalar subquery counting its due_services."""
    L, S = OrganisationLevel, ServiceLevel
    return (
        select(func.count())
        .select_from(S)
        .join(L, and_(L.land_code == S.land_code, L.level == S.level))
        .where(L.organisation_id == organisation_id)
        .scalar_subquery()
    )


def due_counts(organisation_ids: list[int] | None = None) -> Any:
    """(organisation_id, due) for every organisation due for something: the services of
    its carried levels in its Land."""
    L, S = OrganisationLevel, ServiceLevel
    per_level = (
        select(S.land_code, S.level, func.count().label("n"))
        .group_by(S.land_code, S.level)
        .subquery("per_level")
    )
    due = select(L.organisation_id, func.sum(per_level.c.n).label("due")).join(
        per_level, and_(per_level.c.land_code == L.land_code, per_level.c.level == L.level)
    )
    if organisation_ids is not None:
        due = due.where(L.organisation_id.in_(organisation_ids))
    return due.group_by(L.organisation_id).subquery("due")


def duty_table(organisations: Select[Any] | None = None) -> Subquery:
    """(organisation_id, land_code, level) for every organisation: its override, else its
    kind's levels; plus `gemeindeverband` for those carrying `gemeinde` outside a Verband.

    `land_code` is the organisation's (NO_LAND for the Bund). `organisations` (a select of
    ids) narrows every branch; planners do not push such a filter into a UNION by
    themselves, and the whole table is 12,000 rows.
    """
    kind_levels = union_all(
        *(
            select(literal(kind).label("kind"), literal(level).label("level"))
            for kind, levels in KIND_LEVELS.items()
            for level in levels
        )
    ).subquery("kind_levels")
    Org, D = Organisation, OrganisationDuty
    land = land_key(Org.land_code)
    has_override = exists().where(D.organisation_id == Org.id)
    parent = aliased(Organisation)
    outside_verband = ~exists().where(parent.id == Org.parent_id, parent.kind == VERBAND)
    overrides = select(D.organisation_id, land.label("land_code"), D.level).join(
        Org, Org.id == D.organisation_id
    )
    defaults = (
        select(Org.id.label("organisation_id"), land.label("land_code"), kind_levels.c.level)
        .join(kind_levels, kind_levels.c.kind == Org.kind)
        .where(~has_override)
    )
    municipal_kinds = [kind for kind, levels in KIND_LEVELS.items() if "gemeinde" in levels]
    verband_by_kind = select(Org.id, land, literal(VERBAND)).where(
        Org.kind.in_(municipal_kinds), ~has_override, outside_verband
    )
    explicit = aliased(OrganisationDuty)
    override_verband = (
        select(Org.id, land, literal(VERBAND))
        .join(D, and_(D.organisation_id == Org.id, D.level == "gemeinde"))
        .where(
            outside_verband,
            ~exists().where(explicit.organisation_id == Org.id, explicit.level == VERBAND),
        )
    )
    branches = [overrides, defaults, verband_by_kind, override_verband]
    if organisations is not None:
        branches = [b.where(Org.id.in_(organisations)) for b in branches]
    return union_all(*branches).subquery("duty")


def carried_levels(organisations: Select[Any] | None = None) -> Subquery:
    """duty_table's rows as materialised in organisation_level (registry.models.stats),
    kept exact by every write: (organisation_id, land_code, level)."""
    L = OrganisationLevel
    stmt = select(L.organisation_id, L.land_code, L.level)
    if organisations is not None:
        # joined, not IN: planners then start from the (usually few) organisations
        scope = organisations.subquery("scope")
        stmt = stmt.join(scope, scope.c[0] == L.organisation_id)
    return stmt.subquery("duty")


def due_pairs(
    organisations: Select[Any] | None = None, service_ids: list[int] | None = None
) -> Subquery:
    """(organisation_id, service_id, land_code) for every organisation due for a service."""
    duty = carried_levels(organisations)
    levels = service_levels(service_ids)
    return (
        select(duty.c.organisation_id, levels.c.service_id, duty.c.land_code)
        .join(
            levels,
            and_(levels.c.land_code == duty.c.land_code, levels.c.level == duty.c.level),
        )
        .subquery("due_pairs")
    )


def offering(
    *,
    organisation_id: int | BindParameter[int] | list[int] | Select[Any] | None = None,
    service_ids: Select | list[int] | Callable[[Any], Any] | None = None,
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
        .join(Solution, and_(Solution.id == Adoption.solution_id, Solution.status == const("live")))
        .join(SS, SS.c.solution_id == Solution.id)
        .join(
            C,
            and_(
                C.ancestor_id == Adoption.organisation_id,
                or_(C.depth == const(0), Adoption.scope == const("subordinates")),
            ),
        )
        .where(Adoption.status == const("live"))
    )
    built = (
        select(
            Solution.builder_id.label("organisation_id"),
            SS.c.service_id,
            Solution.id.label("solution_id"),
            literal("built").label("via"),
        )
        .join(SS, SS.c.solution_id == Solution.id)
        .where(Solution.status == const("live"), Solution.builder_id.is_not(None))
    )
    if organisation_id is not None:
        adopted = adopted.where(_match(C.descendant_id, organisation_id))
        built = built.where(_match(Solution.builder_id, organisation_id))
    if service_ids is not None:
        adopted = adopted.where(_within(SS.c.service_id, service_ids))
        built = built.where(_within(SS.c.service_id, service_ids))
    if solution_ids is not None:
        adopted = adopted.where(Adoption.solution_id.in_(solution_ids))
        built = built.where(Solution.id.in_(solution_ids))
    return union_all(adopted, built).subquery("offering")


def _match(column, value):  # type: ignore[no-untyped-def]
    """An id or a bound parameter: equal; ids or a select: in."""
    return column == value if isinstance(value, int | BindParameter) else column.in_(value)


def _within(column, values):  # type: ignore[no-untyped-def]
    """Ids or a select: in; a callable makes the condition (a statement built once)."""
    return values(column) if callable(values) else column.in_(values)
