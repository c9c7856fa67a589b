"""stockout_spans: the days each listing's inventory reports showed it out of stock, kept by
the import (backfilled here).

A replenishment run read the snapshot history of every listing that had been out of stock
to find its out-of-stock days: about a tenth of a 100,000-listing run.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

# As replenishment/inputs.py counted at this revision: a snapshot day whose most complete
# report (models.inventory.INVENTORY_SOURCE_PREFERENCE, condition lines added up) gave no
# fulfillable unit stands for itself and the days after it, up to the listing's next snapshot
# day and for at most 7 days in all (SNAPSHOT_VALID_DAYS).
BACKFILL = """
INSERT INTO stockout_spans (store_id, marketplace_id, sku, first_day, last_day)
SELECT store_id, marketplace_id, sku, snapshot_date, {last_day}
FROM (
    SELECT store_id, marketplace_id, sku, snapshot_date, fulfillable,
        LEAD(snapshot_date) OVER (
            PARTITION BY store_id, marketplace_id, sku ORDER BY snapshot_date
        ) AS next_day
    FROM (
        SELECT store_id, marketplace_id, sku, snapshot_date,
            SUM(COALESCE(fulfillable, 0)) AS fulfillable,
            ROW_NUMBER() OVER (
                PARTITION BY store_id, marketplace_id, sku, snapshot_date
                ORDER BY CASE source WHEN 'myi' THEN 0 WHEN 'planning' THEN 1
                    WHEN 'restock' THEN 2 WHEN 'afn' THEN 3 ELSE 4 END,
                    source
            ) AS choice
        FROM inventory_snapshots
        WHERE marketplace_id IS NOT NULL
        GROUP BY store_id, marketplace_id, sku, snapshot_date, source
    ) ranked
    WHERE choice = 1
) days
WHERE fulfillable <= 0
"""
LAST_DAY = {
    "sqlite": "MIN(date(snapshot_date, '+6 days'), COALESCE(date(next_day, '-1 day'), '9999-12-31'))",
    "postgresql": "LEAST(snapshot_date + 6, next_day - 1)",
}


def upgrade() -> None:
    op.create_table(
        "stockout_spans",
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=False),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_stockout_spans_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_stockout_spans_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "store_id", "marketplace_id", "sku", "first_day", name=op.f("pk_stockout_spans")
        ),
        sqlite_with_rowid=False,
    )
    dialect = op.get_bind().dialect.name
    op.execute(BACKFILL.format(last_day=LAST_DAY.get(dialect, LAST_DAY["postgresql"])))


def downgrade() -> None:
    op.drop_table("stockout_spans")
