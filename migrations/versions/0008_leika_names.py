"""Services: the names of the LeiKa Leistungen they bundle, so that /search finds
Hundehaltung by "Hundesteuer" (filled by the next `registry seed`).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 16:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(sa.Column("leika_names", sa.JSON(), nullable=True))
    op.execute("UPDATE service SET leika_names = '[]'")
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.alter_column("leika_names", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_column("leika_names")
