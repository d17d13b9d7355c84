"""Materialised offering figures (offering_count, organisation_offered), counted for existing data.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 13:51:22.539120
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organisation_offered",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("offered", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_offered_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_organisation_offered")),
    )
    op.create_table(
        "offering_count",
        sa.Column("solution_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("land_code", sa.String(length=2), nullable=False),
        sa.Column("organisations", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_offering_count_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["solution_id"],
            ["solution.id"],
            name=op.f("fk_offering_count_solution_id_solution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "solution_id", "service_id", "land_code", name=op.f("pk_offering_count")
        ),
    )
    # Existing data gets its figures after the last migration (registry.migrate.upgrade
    # recounts them with the code of that schema): counting here would run today's queries
    # against a schema they were not written for.


def downgrade() -> None:
    op.drop_table("offering_count")
    op.drop_table("organisation_offered")
