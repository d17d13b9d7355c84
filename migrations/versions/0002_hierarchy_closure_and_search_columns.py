"""Organisation closure table and folded search columns, backfilled for existing rows.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 12:41:04.150631
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from registry.text import fold

# Searched fields per table, as registry.models.search had them when this was written.
SEARCHED = {
    "organisation": ("name", "slug", "ars"),
    "service": ("name", "ozg_id", "lebenslage", "themenfeld"),
    "solution": ("name", "slug", "description"),
}

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organisation_closure",
        sa.Column("ancestor_id", sa.Integer(), nullable=False),
        sa.Column("descendant_id", sa.Integer(), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.CheckConstraint("depth >= 0", name=op.f("ck_organisation_closure_depth")),
        sa.ForeignKeyConstraint(
            ["ancestor_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_closure_ancestor_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["descendant_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_closure_descendant_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "ancestor_id", "descendant_id", name=op.f("pk_organisation_closure")
        ),
    )
    with op.batch_alter_table("organisation_closure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_closure_descendant_id"), ["descendant_id"], unique=False
        )

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_name", sa.Text(), nullable=False, server_default=" "))
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=" "))

    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_name", sa.Text(), nullable=False, server_default=" "))
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=" "))

    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_name", sa.Text(), nullable=False, server_default=" "))
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=" "))

    backfill()


def backfill() -> None:
    """Existing rows get their search columns and closure links."""
    bind = op.get_bind()
    for table, fields in SEARCHED.items():
        rows = bind.execute(sa.text(f"SELECT id, {', '.join(fields)} FROM {table}")).all()
        for row in rows:
            values = dict(zip(fields, row[1:], strict=True))
            bind.execute(
                sa.text(f"UPDATE {table} SET search_name = :n, search_text = :t WHERE id = :id"),
                {
                    "n": fold(values["name"]),
                    "t": fold(" ".join(str(v or "") for v in values.values())),
                    "id": row[0],
                },
            )
    bind.execute(
        sa.text(
            "INSERT INTO organisation_closure (ancestor_id, descendant_id, depth) "
            "WITH RECURSIVE tree (ancestor_id, descendant_id, depth) AS ("
            " SELECT id, id, 0 FROM organisation"
            " UNION ALL"
            " SELECT tree.ancestor_id, child.id, tree.depth + 1"
            " FROM tree JOIN organisation child ON child.parent_id = tree.descendant_id"
            ") SELECT ancestor_id, descendant_id, depth FROM tree"
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.drop_column("search_text")
        batch_op.drop_column("search_name")

    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_column("search_text")
        batch_op.drop_column("search_name")

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("search_text")
        batch_op.drop_column("search_name")

    with op.batch_alter_table("organisation_closure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_closure_descendant_id"))

    op.drop_table("organisation_closure")
