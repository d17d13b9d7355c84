"""due_offering: every (organisation, service, solution) where the organisation is due
for the service and offers it through the solution, materialised (filled, as the other
figures, by registry.migrate.upgrade's recount at the head); an index on organisation
(kind, population) for similar municipalities.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 21:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "due_offering",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("solution_id", sa.Integer(), nullable=False),
        sa.Column("land_code", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_due_offering_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_due_offering_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["solution_id"],
            ["solution.id"],
            name=op.f("fk_due_offering_solution_id_solution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "organisation_id", "service_id", "solution_id", name=op.f("pk_due_offering")
        ),
    )
    op.create_index(
        "ix_due_offering_solution_id_service_id_land_code",
        "due_offering",
        ["solution_id", "service_id", "land_code"],
    )
    op.create_index("ix_organisation_kind_population", "organisation", ["kind", "population"])


def downgrade() -> None:
    op.drop_index("ix_organisation_kind_population", table_name="organisation")
    op.drop_index("ix_due_offering_solution_id_service_id_land_code", table_name="due_offering")
    op.drop_table("due_offering")
