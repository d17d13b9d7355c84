"""due_offering gets each organisation's Kreis, its Regierungsbezirk (else that Kreis)
and its name, with two indexes ordered by name: "who near me runs this solution" is then
an ordered index range per candidate (five rows read), not every adopter of the
Regierungsbezirk sorted by name (thousands for a city in a large one). Derived rows
only: the table is rebuilt empty and filled, as the other figures, by
registry.migrate.upgrade's recount at the head.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = ["organisation_id", "service_id", "solution_id", "land_code"]


def _due_table(*extra: sa.Column) -> None:
    op.create_table(
        "due_offering",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("solution_id", sa.Integer(), nullable=False),
        sa.Column("land_code", sa.String(length=2), nullable=False),
        *extra,
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
        "ix_due_offering_service_id_land_code",
        "due_offering",
        ["service_id", "land_code", "organisation_id", "solution_id"],
    )


def upgrade() -> None:
    op.drop_table("due_offering")
    _due_table(
        sa.Column("kreis_id", sa.Integer(), nullable=True),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
    )
    op.create_index(
        "ix_due_offering_area_nearest",
        "due_offering",
        ["area_id", "solution_id", "service_id", "name", "organisation_id"],
        postgresql_include=["kreis_id"],
    )
    op.create_index(
        "ix_due_offering_land_nearest",
        "due_offering",
        ["solution_id", "service_id", "land_code", "name", "organisation_id"],
        postgresql_include=["area_id"],
    )


def downgrade() -> None:
    # The old table holds the same rows without the copied columns: keep them.
    columns = ", ".join(KEY)
    op.execute(f"CREATE TABLE due_offering_0011 AS SELECT {columns} FROM due_offering")
    op.drop_table("due_offering")
    _due_table()
    op.create_index(
        "ix_due_offering_solution_id_service_id_land_code",
        "due_offering",
        ["solution_id", "service_id", "land_code"],
    )
    op.execute(f"INSERT INTO due_offering ({columns}) SELECT {columns} FROM due_offering_0011")
    op.drop_table("due_offering_0011")
