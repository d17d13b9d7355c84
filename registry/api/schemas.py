"""The public representation of each entity, by model (used for audit snapshots)."""

from registry.api.adoptions import AdoptionSchema
from registry.api.organisations import OrganisationSchema
from registry.api.services import ServiceSchema
from registry.api.solutions import SolutionSchema
from registry.models import Adoption, Organisation, Service, Solution

SCHEMAS = {
    Organisation: OrganisationSchema,
    Service: ServiceSchema,
    Solution: SolutionSchema,
    Adoption: AdoptionSchema,
}
