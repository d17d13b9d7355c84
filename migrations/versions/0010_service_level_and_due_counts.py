"""service_level: the level executing each service in each Land, materialised;
organisation_offered gets the organisation's kind and Land (a row for every organisation
due for anything), so that a standing among peers is one index count. Both
are derived data: filled, as the other figures, by registry.migrate.upgrade's recount at
the head.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 08:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _offered_table(*extra: sa.Column) -> None:
    op.create_table(
        "organisation_offered",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        *extra,
        sa.Column("offered", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_offered_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_organisation_offered")),
    )


def upgrade() -> None:
    op.create_table(
        "service_level",
        sa.Column("land_code", sa.String(length=2), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_service_level_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("land_code", "level", "service_id", name=op.f("pk_service_level")),
    )
    # Derived rows only: recounted at the head with the new columns.
    op.drop_table("organisation_offered")
    _offered_table(
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("land_code", sa.String(length=2), nullable=True),
    )
    op.create_index(
        "ix_organisation_offered_kind_land_code_offered",
        "organisation_offered",
        ["kind", "land_code", "offered"],
    )
    op.create_index(
        "ix_organisation_offered_kind_offered", "organisation_offered", ["kind", "offered"]
    )


def downgrade() -> None:
    # The old table held the organisations offering something; keep those counts.
    op.execute(
        "CREATE TABLE organisation_offered_0009 AS "
        "SELECT organisation_id, offered FROM organisation_offered WHERE offered > 0"
    )
    op.drop_index("ix_organisation_offered_kind_offered", table_name="organisation_offered")
    op.drop_index(
        "ix_organisation_offered_kind_land_code_offered", table_name="organisation_offered"
    )
    op.drop_table("organisation_offered")
    _offered_table()
    op.execute(
        "INSERT INTO organisation_offered (organisation_id, offered) "
        "SELECT organisation_id, offered FROM organisation_offered_0009"
    )
    op.drop_table("organisation_offered_0009")
    op.drop_table("service_level")
