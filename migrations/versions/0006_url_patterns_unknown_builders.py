"""Solutions: URL patterns (to recognise them in OZG-Dashboard exports) and an unknown
builder (NULL, flagged for curation); adoptions: the date later evidence contradicted them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "solution_url_pattern",
        sa.Column("solution_id", sa.Integer(), nullable=False),
        sa.Column("pattern", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["solution_id"],
            ["solution.id"],
            name=op.f("fk_solution_url_pattern_solution_id_solution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("solution_id", "pattern", name=op.f("pk_solution_url_pattern")),
    )
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.alter_column("builder_id", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("adoption", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contradicted_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("adoption", schema=None) as batch_op:
        batch_op.drop_column("contradicted_on")
    # The old schema needs a builder: solutions nobody has curated yet cannot stay.
    op.execute(
        "DELETE FROM adoption WHERE solution_id IN (SELECT id FROM solution WHERE builder_id IS NULL)"
    )
    op.execute("DELETE FROM solution WHERE builder_id IS NULL")
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.alter_column("builder_id", existing_type=sa.Integer(), nullable=False)
    op.drop_table("solution_url_pattern")
