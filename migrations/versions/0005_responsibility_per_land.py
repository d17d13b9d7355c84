"""Responsibility per Land: the gemeindeverband level, per-Land levels of a service, the
reason for a service's level, where the level comes from (typisierung/curated/set/assumed),
and voluntary services (due for nobody).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 08:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEVELS = "('bund', 'land', 'kreis', 'gemeindeverband', 'gemeinde')"
OLD_LEVELS = "('bund', 'land', 'kreis', 'gemeinde')"
SOURCES = "('typisierung', 'curated', 'set', 'assumed')"
LAND_CODES = ", ".join(f"'{n:02d}'" for n in range(1, 17))


def upgrade() -> None:
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_service_executing_level"), type_="check")
        batch_op.drop_constraint(op.f("ck_service_executing_level_source"), type_="check")
        batch_op.alter_column(
            "executing_level", existing_type=sa.String(length=10), type_=sa.String(length=16)
        )
        batch_op.alter_column(
            "executing_level_source",
            existing_type=sa.String(length=10),
            type_=sa.String(length=12),
        )
        batch_op.add_column(sa.Column("executing_level_reason", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("voluntary", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    # The old majority-of-Typisierung guess decided nothing for "2/3": call it assumed.
    op.execute(
        "UPDATE service SET executing_level_source = 'assumed' "
        "WHERE executing_level_source = 'derived'"
    )
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_service_executing_level"), f"executing_level IN {LEVELS}"
        )
        batch_op.create_check_constraint(
            op.f("ck_service_executing_level_source"), f"executing_level_source IN {SOURCES}"
        )
    with op.batch_alter_table("organisation_duty", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_organisation_duty_level"), type_="check")
        batch_op.alter_column(
            "level", existing_type=sa.String(length=10), type_=sa.String(length=16)
        )
        batch_op.create_check_constraint(op.f("ck_organisation_duty_level"), f"level IN {LEVELS}")
    op.create_table(
        "service_responsibility",
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("land_code", sa.String(length=2), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.CheckConstraint(
            f"land_code IN ({LAND_CODES})", name=op.f("ck_service_responsibility_land_code")
        ),
        sa.CheckConstraint(f"level IN {LEVELS}", name=op.f("ck_service_responsibility_level")),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_service_responsibility_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_id", "land_code", name=op.f("pk_service_responsibility")),
    )
    with op.batch_alter_table("service_responsibility", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_responsibility_level"), ["level"], unique=False
        )


def downgrade() -> None:
    # The old schema knows one level per service and no gemeindeverband: the per-Land rows
    # go, a Gemeindeverband duty becomes the Gemeinde duty it stands in for.
    with op.batch_alter_table("service_responsibility", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_responsibility_level"))
    op.drop_table("service_responsibility")
    op.execute(
        "DELETE FROM organisation_duty WHERE level = 'gemeindeverband' AND EXISTS ("
        "SELECT 1 FROM organisation_duty AS other WHERE other.organisation_id = "
        "organisation_duty.organisation_id AND other.level = 'gemeinde')"
    )
    op.execute("UPDATE organisation_duty SET level = 'gemeinde' WHERE level = 'gemeindeverband'")
    with op.batch_alter_table("organisation_duty", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_organisation_duty_level"), type_="check")
        batch_op.alter_column(
            "level", existing_type=sa.String(length=16), type_=sa.String(length=10)
        )
        batch_op.create_check_constraint(
            op.f("ck_organisation_duty_level"), f"level IN {OLD_LEVELS}"
        )
    op.execute(
        "UPDATE service SET executing_level = 'gemeinde' WHERE executing_level = 'gemeindeverband'"
    )
    op.execute(
        "UPDATE service SET executing_level_source = CASE executing_level_source "
        "WHEN 'assumed' THEN 'derived' WHEN 'typisierung' THEN 'derived' ELSE 'set' END"
    )
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_service_executing_level"), type_="check")
        batch_op.drop_constraint(op.f("ck_service_executing_level_source"), type_="check")
        batch_op.drop_column("executing_level_reason")
        batch_op.drop_column("voluntary")
        batch_op.alter_column(
            "executing_level", existing_type=sa.String(length=16), type_=sa.String(length=10)
        )
        batch_op.alter_column(
            "executing_level_source",
            existing_type=sa.String(length=12),
            type_=sa.String(length=10),
        )
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_service_executing_level"), f"executing_level IN {OLD_LEVELS}"
        )
        batch_op.create_check_constraint(
            op.f("ck_service_executing_level_source"),
            "executing_level_source IN ('set', 'derived')",
        )
