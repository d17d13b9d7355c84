"""All mapped classes, imported so that the metadata is complete."""

from registry.models.adoption import Adoption
from registry.models.koenigstein import KoenigsteinShare
from registry.models.organisation import Organisation, OrganisationDuty
from registry.models.service import Service, ServiceLeikaKey
from registry.models.solution import PriceTier, Solution, solution_service

__all__ = [
    "Adoption",
    "KoenigsteinShare",
    "Organisation",
    "OrganisationDuty",
    "PriceTier",
    "Service",
    "ServiceLeikaKey",
    "Solution",
    "solution_service",
]
