"""first_sales: the first day each listing sold, kept with daily_sales (backfilled from it).

A replenishment run needs each listing's first sale (days before it are not counted in its
velocity); seeking every listing's oldest daily_sales row took about a tenth of a
100,000-listing run.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "first_sales",
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=False),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_first_sales_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_first_sales_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("store_id", "marketplace_id", "sku", name=op.f("pk_first_sales")),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO first_sales (store_id, marketplace_id, sku, first_day) "
        "SELECT store_id, marketplace_id, sku, MIN(day) FROM daily_sales "
        "GROUP BY store_id, marketplace_id, sku"
    )


def downgrade() -> None:
    op.drop_table("first_sales")
