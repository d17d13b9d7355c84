"""Initial schema: organisations, services, solutions with prices, adoptions, Königstein shares.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 12:31:40.863694
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def digits(column: str, length: int) -> str:
    """CHECK body: exactly `length` ASCII digits (the dialects spell it differently)."""
    if op.get_context().dialect.name == "postgresql":
        return f"{column} ~ '^[0-9]{{{length}}}$'"
    return f"length({column}) = {length} AND {column} NOT GLOB '*[^0-9]*'"


def upgrade() -> None:
    op.create_table(
        "koenigstein_share",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("land_code", sa.String(length=2), nullable=False),
        sa.Column("share_e5", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "land_code IN ('01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16')",
            name=op.f("ck_koenigstein_share_land_code"),
        ),
        sa.CheckConstraint(
            "share_e5 BETWEEN 0 AND 10000000", name=op.f("ck_koenigstein_share_share_e5")
        ),
        sa.CheckConstraint("year BETWEEN 1949 AND 2200", name=op.f("ck_koenigstein_share_year")),
        sa.PrimaryKeyConstraint("year", "land_code", name=op.f("pk_koenigstein_share")),
    )
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ars", sa.String(length=12), nullable=True),
        sa.Column("slug", sa.String(length=100), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("land_code", sa.String(length=2), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("population_date", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "ars IS NOT NULL OR kind IN ('bund', 'non_territorial')",
            name=op.f("ck_organisation_territorial_has_ars"),
        ),
        sa.CheckConstraint(
            "kind IN ('bund', 'land', 'regierungsbezirk', 'kreis', 'kreisfreie_stadt', 'gemeindeverband', 'gemeinde', 'non_territorial')",
            name=op.f("ck_organisation_kind"),
        ),
        sa.CheckConstraint(
            "land_code IN ('01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16')",
            name=op.f("ck_organisation_land_code"),
        ),
        sa.CheckConstraint(digits("ars", 12), name=op.f("ck_organisation_ars_format")),
        sa.CheckConstraint(
            "ars IS NOT NULL OR slug IS NOT NULL", name=op.f("ck_organisation_has_key")
        ),
        sa.CheckConstraint(
            "ars IS NULL OR substr(ars, 1, 2) = land_code",
            name=op.f("ck_organisation_land_code_of_ars"),
        ),
        sa.CheckConstraint(
            "parent_id IS NULL OR parent_id <> id", name=op.f("ck_organisation_not_own_parent")
        ),
        sa.CheckConstraint(
            "population IS NULL OR population >= 0", name=op.f("ck_organisation_population")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_parent_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("ars", name=op.f("uq_organisation_ars")),
        sa.UniqueConstraint("slug", name=op.f("uq_organisation_slug")),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_organisation_land_code"), ["land_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_organisation_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_organisation_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "service",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ozg_id", sa.String(length=5), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("themenfeld", sa.String(length=60), nullable=False),
        sa.Column("lebenslage", sa.String(length=150), nullable=True),
        sa.Column("executing_level", sa.String(length=10), nullable=False),
        sa.Column("executing_level_source", sa.String(length=10), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "executing_level IN ('bund', 'land', 'kreis', 'gemeinde')",
            name=op.f("ck_service_executing_level"),
        ),
        sa.CheckConstraint(
            "executing_level_source IN ('set', 'derived')",
            name=op.f("ck_service_executing_level_source"),
        ),
        sa.CheckConstraint(digits("ozg_id", 5), name=op.f("ck_service_ozg_id_format")),
        sa.CheckConstraint(
            "themenfeld IN ('Arbeit & Ruhestand', 'Bauen & Wohnen', 'Bildung', 'Ein- & Auswanderung', 'Engagement & Hobby', 'Familie & Kind', 'Forschung & Förderung', 'Gesundheit', 'Mobilität & Reisen', 'Querschnitt', 'Recht & Ordnung', 'Steuern & Zoll', 'Umwelt', 'Unternehmensführung & -entwicklung')",
            name=op.f("ck_service_themenfeld"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service")),
        sa.UniqueConstraint("ozg_id", name=op.f("uq_service_ozg_id")),
    )
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_executing_level"), ["executing_level"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_service_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_themenfeld"), ["themenfeld"], unique=False)

    op.create_table(
        "organisation_duty",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.CheckConstraint(
            "level IN ('bund', 'land', 'kreis', 'gemeinde')",
            name=op.f("ck_organisation_duty_level"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_duty_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organisation_id", "level", name=op.f("pk_organisation_duty")),
    )
    op.create_table(
        "service_leika_key",
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("leika_key", sa.String(length=14), nullable=False),
        sa.CheckConstraint(
            digits("leika_key", 14), name=op.f("ck_service_leika_key_leika_key_format")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_service_leika_key_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_id", "leika_key", name=op.f("pk_service_leika_key")),
    )
    with op.batch_alter_table("service_leika_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_leika_key_leika_key"), ["leika_key"], unique=False
        )

    op.create_table(
        "solution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("builder_id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("efa", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("maturity", sa.Integer(), nullable=True),
        sa.Column("maturity_model", sa.String(length=5), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=True),
        sa.Column("requires_land_contract", sa.Boolean(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("price_model", sa.String(length=20), nullable=False),
        sa.Column("onboarding_fee_cents", sa.BigInteger(), nullable=True),
        sa.Column("annual_fee_cents", sa.BigInteger(), nullable=True),
        sa.Column("per_capita_fee_cents", sa.BigInteger(), nullable=True),
        sa.Column("total_annual_cost_cents", sa.BigInteger(), nullable=True),
        sa.Column("koenigstein_year", sa.Integer(), nullable=True),
        sa.Column("price_source", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(annual_fee_cents IS NOT NULL) = (price_model = 'flat')",
            name=op.f("ck_solution_annual_fee_cents_model"),
        ),
        sa.CheckConstraint(
            "(koenigstein_year IS NOT NULL) = (price_model = 'koenigstein')",
            name=op.f("ck_solution_koenigstein_year_model"),
        ),
        sa.CheckConstraint(
            "(maturity IS NULL AND maturity_model IS NULL) OR (maturity_model = '1.1' AND maturity BETWEEN 0 AND 4) OR (maturity_model = '2.0' AND maturity BETWEEN 0 AND 7)",
            name=op.f("ck_solution_maturity"),
        ),
        sa.CheckConstraint(
            "(per_capita_fee_cents IS NOT NULL) = (price_model = 'per_capita')",
            name=op.f("ck_solution_per_capita_fee_cents_model"),
        ),
        sa.CheckConstraint(
            "(total_annual_cost_cents IS NOT NULL) = (price_model = 'koenigstein')",
            name=op.f("ck_solution_total_annual_cost_cents_model"),
        ),
        sa.CheckConstraint(
            "channel IN ('fit_store', 'efa_marktplatz', 'direct', 'open_source')",
            name=op.f("ck_solution_channel"),
        ),
        sa.CheckConstraint(
            "price_model IN ('free', 'flat', 'per_capita', 'tiered', 'koenigstein')",
            name=op.f("ck_solution_price_model"),
        ),
        sa.CheckConstraint(
            "status IN ('development', 'pilot', 'live', 'retired')", name=op.f("ck_solution_status")
        ),
        sa.CheckConstraint(
            "annual_fee_cents IS NULL OR annual_fee_cents >= 0",
            name=op.f("ck_solution_annual_fee_cents"),
        ),
        sa.CheckConstraint(
            "onboarding_fee_cents IS NULL OR onboarding_fee_cents >= 0",
            name=op.f("ck_solution_onboarding_fee_cents"),
        ),
        sa.CheckConstraint(
            "per_capita_fee_cents IS NULL OR per_capita_fee_cents >= 0",
            name=op.f("ck_solution_per_capita_fee_cents"),
        ),
        sa.CheckConstraint(
            "total_annual_cost_cents IS NULL OR total_annual_cost_cents >= 0",
            name=op.f("ck_solution_total_annual_cost_cents"),
        ),
        sa.ForeignKeyConstraint(
            ["builder_id"],
            ["organisation.id"],
            name=op.f("fk_solution_builder_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["organisation.id"],
            name=op.f("fk_solution_operator_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_solution")),
        sa.UniqueConstraint("slug", name=op.f("uq_solution_slug")),
    )
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_solution_builder_id"), ["builder_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_solution_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_solution_operator_id"), ["operator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_solution_status"), ["status"], unique=False)

    op.create_table(
        "adoption",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("solution_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("contracted_on", sa.Date(), nullable=True),
        sa.Column("live_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("provenance", sa.String(length=20), nullable=False),
        sa.Column("evidence_url", sa.String(length=500), nullable=True),
        sa.Column("confirmed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "provenance IN ('self_declared', 'builder_declared', 'contract', 'dashboard', 'pvog', 'press', 'illustrative')",
            name=op.f("ck_adoption_provenance"),
        ),
        sa.CheckConstraint("scope IN ('self', 'subordinates')", name=op.f("ck_adoption_scope")),
        sa.CheckConstraint(
            "status IN ('interested', 'contracted', 'onboarding', 'live', 'ended')",
            name=op.f("ck_adoption_status"),
        ),
        sa.CheckConstraint(
            "contracted_on IS NULL OR ended_on IS NULL OR contracted_on <= ended_on",
            name=op.f("ck_adoption_contracted_before_end"),
        ),
        sa.CheckConstraint(
            "contracted_on IS NULL OR live_on IS NULL OR contracted_on <= live_on",
            name=op.f("ck_adoption_contracted_before_live"),
        ),
        sa.CheckConstraint(
            "live_on IS NULL OR ended_on IS NULL OR live_on <= ended_on",
            name=op.f("ck_adoption_live_before_end"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_adoption_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["solution_id"],
            ["solution.id"],
            name=op.f("fk_adoption_solution_id_solution"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adoption")),
        sa.UniqueConstraint(
            "organisation_id", "solution_id", name=op.f("uq_adoption_organisation_id_solution_id")
        ),
    )
    with op.batch_alter_table("adoption", schema=None) as batch_op:
        batch_op.create_index(
            "ix_adoption_solution_id_status", ["solution_id", "status"], unique=False
        )

    op.create_table(
        "price_tier",
        sa.Column("solution_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("max_population", sa.BigInteger(), nullable=True),
        sa.Column("annual_fee_cents", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("annual_fee_cents >= 0", name=op.f("ck_price_tier_annual_fee_cents")),
        sa.CheckConstraint(
            "max_population IS NULL OR max_population >= 0",
            name=op.f("ck_price_tier_max_population"),
        ),
        sa.ForeignKeyConstraint(
            ["solution_id"],
            ["solution.id"],
            name=op.f("fk_price_tier_solution_id_solution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("solution_id", "position", name=op.f("pk_price_tier")),
    )
    op.create_table(
        "solution_service",
        sa.Column("solution_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_solution_service_service_id_service"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["solution_id"],
            ["solution.id"],
            name=op.f("fk_solution_service_solution_id_solution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("solution_id", "service_id", name=op.f("pk_solution_service")),
    )
    with op.batch_alter_table("solution_service", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_solution_service_service_id"), ["service_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("solution_service", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_solution_service_service_id"))

    op.drop_table("solution_service")
    op.drop_table("price_tier")
    with op.batch_alter_table("adoption", schema=None) as batch_op:
        batch_op.drop_index("ix_adoption_solution_id_status")

    op.drop_table("adoption")
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_solution_status"))
        batch_op.drop_index(batch_op.f("ix_solution_operator_id"))
        batch_op.drop_index(batch_op.f("ix_solution_name"))
        batch_op.drop_index(batch_op.f("ix_solution_builder_id"))

    op.drop_table("solution")
    with op.batch_alter_table("service_leika_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_leika_key_leika_key"))

    op.drop_table("service_leika_key")
    op.drop_table("organisation_duty")
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_themenfeld"))
        batch_op.drop_index(batch_op.f("ix_service_name"))
        batch_op.drop_index(batch_op.f("ix_service_executing_level"))

    op.drop_table("service")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_parent_id"))
        batch_op.drop_index(batch_op.f("ix_organisation_name"))
        batch_op.drop_index(batch_op.f("ix_organisation_land_code"))
        batch_op.drop_index(batch_op.f("ix_organisation_kind"))

    op.drop_table("organisation")
    op.drop_table("koenigstein_share")
