"""audit_counter gets a key for the tags of answers (registry.api.conditional): a tag
names one question's successful answer, and only the registry can make one, so a tag
made up by a client (the sequence is in every ETag, the question in every URL) can no
longer turn a 401, 403 or 404 into a 304. Random per registry, the same for all its
workers, kept beside the sequence it is read with.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_counter") as batch_op:
        batch_op.add_column(sa.Column("tag_key", sa.String(32), nullable=True))
    # Made by the database, so that an offline script (`alembic upgrade --sql`) holds no
    # key that every database built from it would share: 16 random bytes as hex.
    if op.get_context().dialect.name == "postgresql":
        random_hex = "replace(gen_random_uuid()::text, '-', '')"  # 122 random bits, PG 13+
    else:
        random_hex = "lower(hex(randomblob(16)))"
    op.execute(f"UPDATE audit_counter SET tag_key = {random_hex}")
    with op.batch_alter_table("audit_counter") as batch_op:
        batch_op.alter_column("tag_key", existing_type=sa.String(32), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_counter") as batch_op:
        batch_op.drop_column("tag_key")
