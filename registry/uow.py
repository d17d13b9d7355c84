"""The unit of work: one per request, CLI command or import (learnt from Invenio's
`services/uow.py`).

It owns what every write needs, in one place and in this order: find the record (404),
the permission (401/403), the precondition `If-Match` (428/412), the domain operation
(registry.logic, which never commits), the audit event, and the single commit — before
which RegistrySession recounts the materialised figures once, after which post-commit work
runs (webhooks will be sent from there). Views, the CLI and the importers all write through
it; a new noun is one line in NOUNS.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from registry.errors import RegistryError
from registry.logic import adoptions, audit, lookup, organisations, permissions, services, solutions
from registry.logic.permissions import Principal


class PreconditionRequired(RegistryError):
    status = 428
    type = "urn:efa-registry:problem:precondition-required"
    title = "Precondition Required"


class PreconditionFailed(RegistryError):
    status = 412
    type = "urn:efa-registry:problem:stale"
    title = "Precondition Failed"


Rule = Callable[[Principal | None, Any, Mapping[str, Any] | None], None]


def _admins(what: str) -> Rule:
    def rule(principal: Principal | None, entity: Any, data: Mapping[str, Any] | None) -> None:
        verb = "create" if entity is None else "delete" if data is None else "change"
        permissions.admin_only(principal, f"{verb} {what}")

    return rule


def _organisations(principal: Principal | None, org: Any, data: Mapping[str, Any] | None):
    if org is None:
        permissions.admin_only(principal, "create organisations")
    else:
        permissions.organisation_change(principal, org, data)


@dataclass(frozen=True)
class Noun:
    name: str
    find: Callable[[Session, Any], Any]
    logic: Any  # a module with create(session, data), update(session, e, changes), delete
    allowed: Rule


NOUNS = {
    noun.name: noun
    for noun in (
        Noun("organisation", lookup.organisation, organisations, _organisations),
        Noun("service", lookup.service, services, _admins("services")),
        Noun("solution", lookup.solution, solutions, permissions.solution_write),
        Noun("adoption", lookup.adoption, adoptions, permissions.adoption_write),
    )
}


def etag(entity: Any) -> str:
    """The strong entity tag of a record's current version."""
    return f'"{entity.version}"'


def check_if_match(entity: Any, header: str | None) -> None:
    """RFC 9110 §13.1.1: `*` matches any current record; a weak tag never matches."""
    if header is None or not header.strip():
        raise PreconditionRequired(
            "Send 'If-Match' with the ETag of the version you change (GET gives it)."
        )
    tags = [tag.strip() for tag in header.split(",")]
    if "*" in tags:
        return
    if etag(entity) not in [tag for tag in tags if not tag.startswith("W/")]:
        raise PreconditionFailed(
            f"The record is at version {etag(entity)} now; fetch it again and retry."
        )


class UnitOfWork:
    """Writes of one principal in one session, committed once.

    `principal` None with `trusted` True is the system itself (the CLI, the seed, imports
    an admin started): no permission checks, no If-Match.
    """

    def __init__(
        self, session: Session, principal: Principal | None = None, *, trusted: bool = False
    ) -> None:
        self.session = session
        self.principal = principal
        self.trusted = trusted

    @classmethod
    def trusted_for(cls, session: Session) -> UnitOfWork:
        return cls(session, trusted=True)

    def _allow(self, noun: Noun, entity: Any, data: Mapping[str, Any] | None) -> None:
        if not self.trusted:
            noun.allowed(self.principal, entity, data)

    def _precondition(self, entity: Any, if_match: str | None) -> None:
        if not self.trusted:
            check_if_match(entity, if_match)

    def require_admin(self, what: str) -> None:
        """Reads and bulk operations only admins may do (the audit trail, export, import)."""
        if not self.trusted:
            permissions.admin_only(self.principal, what)

    def create(self, name: str, data: dict[str, Any]) -> Any:
        noun = NOUNS[name]
        self._allow(noun, None, data)
        entity = noun.logic.create(self.session, data)
        audit.created(self.session, entity)
        return entity

    def update(
        self, name: str, key: Any, changes: dict[str, Any], *, if_match: str | None = None
    ) -> Any:
        noun = NOUNS[name]
        entity = key if not isinstance(key, (str, int)) else noun.find(self.session, key)
        self._allow(noun, entity, changes)
        self._precondition(entity, if_match)
        before = audit.snapshot(entity)
        referring = audit.watch_references(self.session, entity, changes)
        noun.logic.update(self.session, entity, changes)
        audit.updated(self.session, entity, before)
        audit.record_batch(self.session, referring)
        return entity

    def delete(self, name: str, key: Any, *, if_match: str | None = None) -> None:
        noun = NOUNS[name]
        entity = key if not isinstance(key, (str, int)) else noun.find(self.session, key)
        self._allow(noun, entity, None)
        self._precondition(entity, if_match)
        before, entity_key = audit.snapshot(entity), audit.key_of(entity)
        noun.logic.delete(self.session, entity)
        audit.deleted(self.session, name, entity_key, before)

    def commit(self) -> None:
        """The one commit: RegistrySession recounts the figures first, post-commit after."""
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

    def after_commit(self, work: Callable[[], None]) -> None:
        """Run once the commit has succeeded (not at all if it fails)."""
        self.session.info.setdefault("post_commit", []).append(work)
