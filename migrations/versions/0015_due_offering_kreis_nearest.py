"""due_offering gets an index ordered by name within each Kreis: "who in my Kreis runs
this solution" is then a range of five entries per candidate, not the Regierungsbezirk's
range filtered by Kreis (80 entries read per candidate for a Verbandsgemeinde in a large
one; registry.logic.nearby).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 06:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_due_offering_kreis_nearest",
        "due_offering",
        ["kreis_id", "solution_id", "service_id", "name", "organisation_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_due_offering_kreis_nearest", table_name="due_offering")
