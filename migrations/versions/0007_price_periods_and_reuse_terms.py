"""Prices as EfA prices reuse: periods of weighted or rated components (JSON on the
solution), per-Land reuse terms (who pays), and per-service case rates for usage-based
prices. The five old models become one open period each, without loss (the first year
charged in full, as before); price_tier and the old price columns go.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 15:30:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_COLUMNS = (
    "price_model",
    "onboarding_fee_cents",
    "annual_fee_cents",
    "per_capita_fee_cents",
    "total_annual_cost_cents",
    "koenigstein_year",
)
OLD_CHECK_CONDITIONS = {
    "annual_fee_cents_model": "(annual_fee_cents IS NOT NULL) = (price_model = 'flat')",
    "koenigstein_year_model": "(koenigstein_year IS NOT NULL) = (price_model = 'koenigstein')",
    "per_capita_fee_cents_model": "(per_capita_fee_cents IS NOT NULL) = (price_model = 'per_capita')",
    "total_annual_cost_cents_model": (
        "(total_annual_cost_cents IS NOT NULL) = (price_model = 'koenigstein')"
    ),
    "price_model": "price_model IN ('free', 'flat', 'per_capita', 'tiered', 'koenigstein')",
    "annual_fee_cents": "annual_fee_cents IS NULL OR annual_fee_cents >= 0",
    "onboarding_fee_cents": "onboarding_fee_cents IS NULL OR onboarding_fee_cents >= 0",
    "per_capita_fee_cents": "per_capita_fee_cents IS NULL OR per_capita_fee_cents >= 0",
    "total_annual_cost_cents": "total_annual_cost_cents IS NULL OR total_annual_cost_cents >= 0",
}
solution = sa.table(
    "solution",
    sa.column("id", sa.Integer),
    sa.column("prices", sa.JSON),
    sa.column("reuse_terms", sa.JSON),
    *(sa.column(c) for c in OLD_COLUMNS),
)
price_tier = sa.table(
    "price_tier",
    sa.column("solution_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("max_population", sa.BigInteger),
    sa.column("annual_fee_cents", sa.BigInteger),
)


def _period(row: Any, tiers: list[dict[str, Any]]) -> dict[str, Any]:
    """registry.logic.prices.from_shorthand as of this revision (frozen here, so that the
    migration keeps meaning what it meant)."""
    component: dict[str, Any] | None = None
    pool = None
    if row.price_model == "flat":
        component = {"key": "flat", "amount_cents": row.annual_fee_cents}
    elif row.price_model == "per_capita":
        component = {"key": "inhabitants", "amount_cents": row.per_capita_fee_cents, "per_units": 1}
    elif row.price_model == "tiered":
        component = {"key": "tiers", "tiers": tiers}
    elif row.price_model == "koenigstein":
        pool = row.total_annual_cost_cents
        component = {"key": "koenigstein", "weight_bp": 10_000, "year": row.koenigstein_year}
    return {
        "valid_from": None,
        "valid_to": None,
        "onboarding_fee_cents": row.onboarding_fee_cents or 0,
        "first_year": "full",
        "pool_cents": pool,
        "components": [component] if component else [],
    }


def upgrade() -> None:
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(sa.Column("case_rate_e3", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("case_rate_source", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("case_rate_assumed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_check_constraint(
            "case_rate_e3", "case_rate_e3 IS NULL OR case_rate_e3 >= 0"
        )
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prices", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("reuse_terms", sa.JSON(), nullable=True))

    bind = op.get_bind()
    tiers: dict[int, list[dict[str, Any]]] = {}
    for t in bind.execute(sa.select(price_tier).order_by("solution_id", "position")):
        tiers.setdefault(t.solution_id, []).append(
            {"max_population": t.max_population, "annual_fee_cents": t.annual_fee_cents}
        )
    for row in bind.execute(sa.select(solution)).all():
        bind.execute(
            solution.update()
            .where(solution.c.id == row.id)
            .values(prices=[_period(row, tiers.get(row.id, []))], reuse_terms=[])
        )

    with op.batch_alter_table("solution", schema=None) as batch_op:
        for name in OLD_CHECK_CONDITIONS:
            batch_op.drop_constraint(op.f(f"ck_solution_{name}"), type_="check")
        for column in OLD_COLUMNS:
            batch_op.drop_column(column)
        batch_op.alter_column("prices", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("reuse_terms", existing_type=sa.JSON(), nullable=False)
    op.drop_table("price_tier")


def downgrade() -> None:
    """Back to the five models: only prices that are one of them (one period) go back;
    anything richer would be lost, so the downgrade refuses it."""
    bind = op.get_bind()
    rows = bind.execute(sa.select(solution.c.id, solution.c.prices, solution.c.reuse_terms)).all()
    for row in rows:
        if row.reuse_terms:
            raise RuntimeError(f"Solution {row.id} has reuse terms the old schema cannot hold.")
    rated = bind.execute(sa.text("SELECT count(*) FROM service WHERE case_rate_e3 IS NOT NULL"))
    if rated.scalar():
        raise RuntimeError("Services have case rates the old schema cannot hold.")
    old = {row.id: _shorthand(row.id, row.prices) for row in rows}
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
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("price_model", sa.String(20), nullable=False, server_default="free")
        )
        for column in OLD_COLUMNS[1:-1]:
            batch_op.add_column(sa.Column(column, sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("koenigstein_year", sa.Integer(), nullable=True))
    for solution_id, (values, _) in old.items():
        bind.execute(solution.update().where(solution.c.id == solution_id).values(**values))
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.drop_column("prices")
        batch_op.drop_column("reuse_terms")
        for name, condition in OLD_CHECK_CONDITIONS.items():
            batch_op.create_check_constraint(name, condition)
    # After SQLite's table rebuild (dropping solution would cascade to its tiers).
    for solution_id, (_, tier_rows) in old.items():
        for position, tier in enumerate(tier_rows):
            bind.execute(
                price_tier.insert().values(solution_id=solution_id, position=position, **tier)
            )
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_service_case_rate_e3"), type_="check")
        batch_op.drop_column("case_rate_assumed")
        batch_op.drop_column("case_rate_source")
        batch_op.drop_column("case_rate_e3")


def _shorthand(solution_id: int, periods: list[dict[str, Any]]):
    if len(periods) != 1:
        raise RuntimeError(f"Solution {solution_id} has {len(periods)} price periods.")
    (p,) = periods
    if p["valid_from"] or p["valid_to"] or p["first_year"] != "full":
        raise RuntimeError(f"Solution {solution_id} has a price period the old models lack.")
    if any("label" in c for c in p["components"]):
        raise RuntimeError(f"Solution {solution_id} has labelled price components.")
    values: dict[str, Any] = {c: None for c in OLD_COLUMNS}
    values["onboarding_fee_cents"] = p["onboarding_fee_cents"] or None
    components, tiers = p["components"], []
    c = components[0] if len(components) == 1 else None
    if not components:
        values["price_model"] = "free"
    elif c and c["key"] == "flat" and "amount_cents" in c:
        values |= {"price_model": "flat", "annual_fee_cents": c["amount_cents"]}
    elif c and c["key"] == "inhabitants" and c.get("per_units") == 1 and "amount_cents" in c:
        values |= {"price_model": "per_capita", "per_capita_fee_cents": c["amount_cents"]}
    elif c and c["key"] == "tiers":
        values["price_model"], tiers = "tiered", c["tiers"]
    elif c and c["key"] == "koenigstein" and c["weight_bp"] == 10_000:
        values |= {
            "price_model": "koenigstein",
            "total_annual_cost_cents": p["pool_cents"],
            "koenigstein_year": c["year"],
        }
    else:
        raise RuntimeError(f"Solution {solution_id} has a price the old models cannot hold.")
    return values, tiers
