"""service_candidates: per service, how many EfA solutions not retired implement it, so
that the bare gap list reads each gap's candidate count from one row instead of counting
over solution_service and solution for every gap. Derived rows only: the table is created
empty and filled, as the other figures, by registry.migrate.upgrade's recount at the head.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "service_candidates",
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("solutions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_service_candidates_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_id", name=op.f("pk_service_candidates")),
    )


def downgrade() -> None:
    op.drop_table("service_candidates")
