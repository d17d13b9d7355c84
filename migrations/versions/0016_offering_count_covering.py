"""offering_count gets an index that holds the counts: a candidate's adopters (the sum of
its rows of every Land, and its Land's row) are then an index-only scan where the table
is vacuumed; by the primary key PostgreSQL visits the table for each row
(registry.logic.candidates).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 09:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_offering_count_counts",
        "offering_count",
        ["solution_id", "service_id", "land_code", "organisations"],
    )


def downgrade() -> None:
    op.drop_index(
        "ix_offering_count_counts",
        table_name="offering_count",
    )
