"""An organisation's own adoptions by status, covering the columns the gap and candidate
answers read (solution, contract date): an index-only scan where a city's hundred
adoptions were a hundred heap visits (0.3-0.5 ms of every gap answer).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 17:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_adoption_organisation_id_status_solution_id_contracted_on"


def upgrade() -> None:
    op.create_index(NAME, "adoption", ["organisation_id", "status", "solution_id", "contracted_on"])


def downgrade() -> None:
    op.drop_index(NAME, table_name="adoption")
