"""due_offering: every (organisation, service, solution) where the organisation is due
for the service and offers it through the solution, materialised (filled, as the other
figures, by registry.migrate.upgrade's recount at the head); an index on organisation
(kind, population) for similar municipalities; organisation_level: the executing levels
each organisation carries.

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
    op.create_index(
        "ix_due_offering_service_id_land_code",
        "due_offering",
        ["service_id", "land_code", "organisation_id", "solution_id"],
    )
    op.create_table(
        "organisation_level",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("land_code", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_level_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organisation_id", "level", name=op.f("pk_organisation_level")),
    )
    op.create_index(
        "ix_organisation_level_land_code_level", "organisation_level", ["land_code", "level"]
    )
    op.create_index("ix_organisation_kind_population", "organisation", ["kind", "population"])


def downgrade() -> None:
    op.drop_index("ix_organisation_level_land_code_level", table_name="organisation_level")
    op.drop_table("organisation_level")
    op.drop_index("ix_organisation_kind_population", table_name="organisation")
    op.drop_index("ix_due_offering_service_id_land_code", table_name="due_offering")
    op.drop_index("ix_due_offering_solution_id_service_id_land_code", table_name="due_offering")
    op.drop_table("due_offering")
