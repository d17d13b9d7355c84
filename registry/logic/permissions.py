"""Who may write what: admins everything; an editor its own organisation's records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from registry.errors import RegistryError
from registry.models import Adoption, ApiToken, Organisation, Solution


class Unauthorized(RegistryError):
    status = 401
    type = "urn:efa-registry:problem:unauthorized"
    title = "Unauthorized"


class Forbidden(RegistryError):
    status = 403
    type = "urn:efa-registry:problem:forbidden"
    title = "Forbidden"


# An editor keeps its own record current, but its place in the hierarchy is the admins'.
STRUCTURAL_FIELDS = ("ars", "slug", "kind", "land_code", "parent", "duties")


@dataclass(frozen=True)
class Principal:
    name: str
    role: str
    organisation_id: int | None = None
    organisation_keys: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, token: ApiToken) -> Principal:
        org = token.organisation
        keys = frozenset(k for k in (org.ars, org.slug) if k) if org else frozenset()
        return cls(token.name, token.role, org.id if org else None, keys)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def owns(self, organisation_id: int | None) -> bool:
        return self.organisation_id is not None and organisation_id == self.organisation_id

    def owns_key(self, key: str | None) -> bool:
        return key in self.organisation_keys


def require_writer(principal: Principal | None) -> Principal:
    if principal is None:
        raise Unauthorized("Writes need 'Authorization: Bearer <token>'.")
    return principal


def _deny(principal: Principal, what: str) -> None:
    raise Forbidden(f"Token '{principal.name}' ({principal.role}) may not {what}.")


def admin_only(principal: Principal | None, what: str) -> None:
    p = require_writer(principal)
    if not p.is_admin:
        _deny(p, what)


def organisation_change(
    principal: Principal | None, org: Organisation, changes: Mapping[str, Any] | None
) -> None:
    """PATCH (changes given) or DELETE (None) of an organisation."""
    p = require_writer(principal)
    if p.is_admin:
        return
    if changes is None or not p.owns(org.id):
        _deny(p, f"{'change' if changes else 'delete'} organisation {org.key}")
    structural = sorted(set(STRUCTURAL_FIELDS) & set(changes or {}))
    if structural:
        _deny(p, f"change {', '.join(structural)} (only admins restructure the hierarchy)")


def solution_write(
    principal: Principal | None, solution: Solution | None, data: Mapping[str, Any] | None
) -> None:
    """Create (solution None), PATCH (both) or DELETE (data None): only the builder's editor."""
    p = require_writer(principal)
    if p.is_admin:
        return
    if solution is not None and not p.owns(solution.builder_id):
        _deny(p, f"change solution {solution.slug}, built by another organisation")
    if data is not None and "builder" in data and not p.owns_key(data["builder"]):
        _deny(p, "give a solution another builder than its own organisation")


def adoption_write(
    principal: Principal | None, adoption: Adoption | None, data: Mapping[str, Any] | None
) -> None:
    """Create (adoption None), PATCH (both) or DELETE (data None): only the adopter's editor."""
    p = require_writer(principal)
    if p.is_admin:
        return
    if adoption is not None and not p.owns(adoption.organisation_id):
        _deny(p, f"change adoption {adoption.id} of another organisation")
    if data is not None and "organisation" in data and not p.owns_key(data["organisation"]):
        _deny(p, "record or move an adoption for another organisation")
