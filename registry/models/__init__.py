"""All mapped classes, imported so that the metadata is complete."""

from registry.models import search as _search  # noqa: F401  (event listeners)
from registry.models.adoption import Adoption
from registry.models.audit import AuditCounter, AuditEvent
from registry.models.hierarchy import OrganisationClosure
from registry.models.koenigstein import KoenigsteinShare
from registry.models.organisation import Organisation, OrganisationDuty
from registry.models.service import Service, ServiceLeikaKey, ServiceResponsibility
from registry.models.solution import Solution, SolutionUrlPattern, solution_service
from registry.models.stats import (
    DueOffering,
    OfferedPeers,
    OfferingCount,
    OrganisationLevel,
    OrganisationOffered,
    ServiceCandidates,
    ServiceLevel,
)
from registry.models.token import ApiToken

__all__ = [
    "Adoption",
    "ApiToken",
    "AuditCounter",
    "AuditEvent",
    "DueOffering",
    "KoenigsteinShare",
    "OfferedPeers",
    "OfferingCount",
    "Organisation",
    "OrganisationClosure",
    "OrganisationDuty",
    "OrganisationLevel",
    "OrganisationOffered",
    "Service",
    "ServiceCandidates",
    "ServiceLeikaKey",
    "ServiceLevel",
    "ServiceResponsibility",
    "Solution",
    "SolutionUrlPattern",
    "solution_service",
]
