"""Materialised offering figures, so that country-wide questions need not recount 1M rows.

`due_offering`: every (organisation, service, solution) where the organisation is due for
the service and offers it through that solution: DESIGN §2's effective offering, cut to
the due pairs. A gap is then one index lookup, and who near an organisation runs a
solution a join on it; the two counts below are sums of it.
`offering_count`: per live solution, service and Land, how many organisations due for the
service offer it through that solution (a reuse candidate's `adopters`, `adopters_in_land`).
`organisation_offered`: per organisation due for anything, its kind and Land and how many
of the services it is due for it offers online (scorecards and rankings: a standing is
then a count over one index; how many it is due for is a join of organisation_level and
service_level, not stored, so that a catalogue change rewrites no organisation's row).
Both follow DESIGN §2's effective offering.
`offered_peers`: per kind and Land, how many organisations organisation_offered holds.
`service_level`: the level executing each service in each Land (DESIGN §2), so that what
an organisation is due for is a join of two small indexes, not a scan of the catalogue.
`service_candidates`: per service, how many EfA solutions not retired implement it (a gap's
`candidates_total` is this less those the asking organisation built).

They are kept exact inside every write's own transaction: after each flush `_note` (on
RegistrySession only) marks what a change can affect, and RegistrySession.commit has
registry.logic.aggregates recount just that (one solution's rows, one subtree's
organisations) or, for changes to the organisation tree or to a service's level, everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from registry.db import Base, RegistrySession
from registry.models.adoption import Adoption
from registry.models.organisation import Organisation, OrganisationDuty
from registry.models.service import Service, ServiceResponsibility
from registry.models.solution import Solution

NO_LAND = ""  # the Bund has no Land; a key column cannot be NULL


class OrganisationLevel(Base):
    """The executing levels each organisation carries (registry.logic.duties.duty_table),
    with its Land: who is due for a service is then a join, not a union over every
    organisation. Recounted for touched organisations; a move or a Gemeindeverband's
    change of kind recounts everything (Stale)."""

    __tablename__ = "organisation_level"
    __table_args__ = (Index("ix_organisation_level_land_code_level", "land_code", "level"),)

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[str] = mapped_column(String(20), primary_key=True)
    land_code: Mapped[str] = mapped_column(String(2))  # NO_LAND for the Bund


class ServiceLevel(Base):
    """(land_code, level, service_id) for every service someone is due for (not the
    voluntary ones), in every Land and for NO_LAND: registry.logic.duties'
    computed_service_levels, materialised. Recounted for a service whose level, per-Land rows or
    `voluntary` change (Stale.services)."""

    __tablename__ = "service_level"

    land_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    level: Mapped[str] = mapped_column(String(20), primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )


class DueOffering(Base):
    __tablename__ = "due_offering"
    # The key leads with the organisation (its gaps, its offered count); one index with
    # the service (its coverage per Land; covering, so that counting reads only it). Three
    # answer "who near me runs it, by name" (registry.logic.nearby) as an ordered range
    # per (solution, service) read from the index alone: one in a Kreis, one in a
    # Regierungsbezirk (or Kreis), one in a Land, the last also serving a recount's
    # delete by solution and a candidate's adopters in a Land.
    __table_args__ = (
        Index(
            "ix_due_offering_service_id_land_code",
            "service_id",
            "land_code",
            "organisation_id",
            "solution_id",
        ),
        Index(
            "ix_due_offering_kreis_nearest",
            "kreis_id",
            "solution_id",
            "service_id",
            "name",
            "organisation_id",
        ),
        Index(
            "ix_due_offering_area_nearest",
            "area_id",
            "solution_id",
            "service_id",
            "name",
            "organisation_id",
            postgresql_include=["kreis_id"],
        ),
        Index(
            "ix_due_offering_land_nearest",
            "solution_id",
            "service_id",
            "land_code",
            "name",
            "organisation_id",
            postgresql_include=["area_id"],
        ),
    )

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    solution_id: Mapped[int] = mapped_column(
        ForeignKey("solution.id", ondelete="CASCADE"), primary_key=True
    )
    # The organisation's Land (NO_LAND for the Bund), copied: a change of Land recounts
    # the solutions reaching the organisation (Stale.touched), which rewrites these rows.
    land_code: Mapped[str] = mapped_column(String(2))
    # Where the organisation lies and what it is called, copied for the nearby ranges: its
    # Kreis (itself for a Kreis; NULL outside one) and its Regierungsbezirk, else that
    # Kreis (`area_id`). Moving an organisation, or a change of kind to or from Kreis or
    # Regierungsbezirk, recounts everything; a rename rewrites its rows (Stale.renamed).
    # No foreign keys: copies, like land_code, rewritten when what they copy changes.
    kreis_id: Mapped[int | None] = mapped_column(Integer)
    area_id: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))


class OfferingCount(Base):
    __tablename__ = "offering_count"
    # The counts in the index: a gap answer sums a candidate's rows of every Land for
    # each of up to 350 candidates, by an index-only scan where the table's pages are
    # vacuumed (the primary key visits the table for every row).
    __table_args__ = (
        Index(
            "ix_offering_count_counts",
            "solution_id",
            "service_id",
            "land_code",
            "organisations",
        ),
    )

    solution_id: Mapped[int] = mapped_column(
        ForeignKey("solution.id", ondelete="CASCADE"), primary_key=True
    )
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    land_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    organisations: Mapped[int] = mapped_column(Integer)


class OrganisationOffered(Base):
    """One row per organisation due for at least one service. `kind` and `land_code` are
    the organisation's, copied (a change of either touches the organisation, which
    recounts its row), so that a standing among peers reads this table's index only."""

    __tablename__ = "organisation_offered"
    # Peers in a Land and nationwide, and those ahead: ranges of these two indexes.
    __table_args__ = (
        Index("ix_organisation_offered_kind_land_code_offered", "kind", "land_code", "offered"),
        Index("ix_organisation_offered_kind_offered", "kind", "offered"),
    )

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    land_code: Mapped[str | None] = mapped_column(String(2))  # NULL for the Bund
    offered: Mapped[int] = mapped_column(Integer)


class OfferedPeers(Base):
    """How many organisation_offered rows each kind has in each Land: a standing's peers
    (in its Land: one row; nationwide: the kind's 16 rows added up) without counting the
    10,645 Gemeinden of Germany at every Gemeinde's scorecard (1.25 ms of its 3.4 ms in
    one process)."""

    __tablename__ = "offered_peers"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    land_code: Mapped[str] = mapped_column(String(2), primary_key=True)  # NO_LAND: the Bund
    organisations: Mapped[int] = mapped_column(Integer)


class ServiceCandidates(Base):
    """How many reuse candidates (EfA, not retired: registry.logic.candidates.reusable_by
    without the builder's exclusion) each service has, for the services with any. The bare
    gap list counted them per gap, a correlated count over solution_service and solution
    for each of some ninety gaps of a city: a third of its statement. Rebuilt whole (a few
    hundred rows) when a solution is created, deleted, or changes its EfA flag, status or
    services."""

    __tablename__ = "service_candidates"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    solutions: Mapped[int] = mapped_column(Integer)


@dataclass
class Stale:
    """What the figures must be recounted for before this transaction commits."""

    everything: bool = False
    solutions: set[int] = field(default_factory=set)  # due_offering, offering_count rows
    # Adoptions changed: per solution, the organisations (and the subtrees, for a scope
    # `subordinates`) whose due_offering rows of that solution it can move; the rest of
    # the solution's rows stay. A solution also in `solutions` is recounted whole.
    adopted: dict[int, tuple[set[int], set[int]]] = field(default_factory=dict)
    organisations: set[int] = field(default_factory=set)  # organisation_offered rows
    subtrees: set[int] = field(default_factory=set)  # ... of these and all below them
    reached_by: set[int] = field(default_factory=set)  # ... of all offering these solutions
    # New organisations, or ones whose kind, Land or duties changed: their own row, and
    # the rows of every solution reaching them.
    touched: set[int] = field(default_factory=set)
    # Services new, deleted, or whose level, per-Land rows or `voluntary` changed: who is
    # due for them changed. Their service_level rows are recounted, and which
    # organisations are due for anything at all (organisation_offered's rows); the
    # offering figures only where a solution implements them.
    services: set[int] = field(default_factory=set)
    # Renamed organisations: the name copied into their due_offering rows.
    renamed: set[int] = field(default_factory=set)
    # A solution new, deleted, or its EfA flag, status or services changed: service_candidates.
    candidates: bool = False

    def __bool__(self) -> bool:
        return bool(
            self.everything
            or self.services
            or self.touched
            or self.solutions
            or self.adopted
            or self.organisations
            or self.subtrees
            or self.reached_by
            or self.renamed
            or self.candidates
        )


def stale(session: Session) -> Stale:
    return session.info.setdefault("stale_figures", Stale())


ADOPTION_FIELDS = ("organisation_id", "solution_id", "status", "scope")
SOLUTION_FIELDS = ("status", "builder_id", "services")
CANDIDATE_FIELDS = ("efa", "status", "services")  # what service_candidates counts by
ORGANISATION_FIELDS = ("kind", "land_code", "duty_rows")
# Kinds whose change moves more than the organisation's own rows (see _note_organisation).
AREA_KINDS = {"gemeindeverband", "kreis", "regierungsbezirk"}
LEVEL_FIELDS = ("executing_level", "voluntary", "responsibilities")


def _values(obj: Any, name: str) -> set[Any]:
    """The attribute's value before and after this flush."""
    history = inspect(obj).attrs[name].history
    return {*history.added, *history.unchanged, *history.deleted} - {None}


def _changed(obj: Any, names: tuple[str, ...]) -> bool:
    return any(inspect(obj).attrs[name].history.has_changes() for name in names)


def _note_adoption(mark: Stale, adoption: Adoption, state: str) -> None:
    if state == "dirty" and not _changed(adoption, ADOPTION_FIELDS):
        return
    wide = "subordinates" in _values(adoption, "scope")
    organisations = _values(adoption, "organisation_id")
    (mark.subtrees if wide else mark.organisations).update(organisations)
    for solution_id in _values(adoption, "solution_id"):
        own, subtrees = mark.adopted.setdefault(solution_id, (set(), set()))
        (subtrees if wide else own).update(organisations)


def _note_solution(mark: Stale, solution: Solution, state: str) -> None:
    if state != "dirty" or _changed(solution, CANDIDATE_FIELDS):
        mark.candidates = True
    if state == "dirty" and not _changed(solution, SOLUTION_FIELDS):
        return
    mark.solutions.add(solution.id)
    mark.organisations |= _values(solution, "builder_id")
    if state == "dirty":
        mark.reached_by.add(solution.id)


@event.listens_for(RegistrySession, "after_flush")
def _note(session: Session, _context: Any) -> None:
    mark = stale(session)
    for state, objects in (
        ("new", session.new),
        ("dirty", session.dirty),
        ("deleted", session.deleted),
    ):
        for obj in objects:
            if isinstance(obj, Adoption):
                _note_adoption(mark, obj, state)
            elif isinstance(obj, Solution):
                _note_solution(mark, obj, state)
            elif isinstance(obj, Organisation):
                _note_organisation(mark, obj, state)
            elif isinstance(obj, OrganisationDuty):
                mark.touched |= _values(obj, "organisation_id")
            elif isinstance(obj, ServiceResponsibility):
                mark.services |= _values(obj, "service_id")
            elif isinstance(obj, Service) and (state != "dirty" or _changed(obj, LEVEL_FIELDS)):
                # A level decides who is due for the service everywhere (or in a Land).
                mark.services.add(obj.id)


def _note_organisation(mark: Stale, org: Organisation, state: str) -> None:
    # A move changes what reaches a whole subtree, before and after; a deletion leaves
    # nothing to ask what reached it. Both are rare curation steps: recount everything.
    if state == "deleted" or (state == "dirty" and _changed(org, ("parent_id",))):
        mark.everything = True
    elif state == "dirty" and _changed(org, ("kind",)) and _values(org, "kind") & AREA_KINDS:
        # Whether a Gemeinde carries the Gemeindeverband level depends on its parent's
        # kind; which Kreis or Regierungsbezirk a subtree lies in, on these kinds.
        mark.everything = True
    elif state == "new" or _changed(org, ORGANISATION_FIELDS):
        mark.touched.add(org.id)
    if state == "dirty" and _changed(org, ("name",)):
        mark.renamed.add(org.id)
