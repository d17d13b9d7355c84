"""offered_peers: per kind and Land, how many organisations are due for anything (the
rows of organisation_offered), so that a scorecard's peers are one row in the Land and
sixteen nationwide instead of a count over every Gemeinde in Germany. Derived rows only:
the table is created empty and filled, as the other figures, by
registry.migrate.upgrade's recount at the head.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "offered_peers",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("land_code", sa.String(length=2), nullable=False),
        sa.Column("organisations", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "land_code", name=op.f("pk_offered_peers")),
    )


def downgrade() -> None:
    op.drop_table("offered_peers")
