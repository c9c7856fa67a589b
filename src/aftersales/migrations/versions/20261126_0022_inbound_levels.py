"""inbound_levels: each listing's inbound units where they change from one snapshot day to
the next, kept by the import (backfilled here).

Dating the inbound units read every snapshot of the 180-day look back of every listing with
inbound units: with daily inventory reports, 180 rows a listing.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

# As replenishment/inbound_eta.py keeps them at this revision: of each snapshot day the most
# complete report that gives inbound units (models.inventory.INVENTORY_SOURCE_PREFERENCE,
# condition lines added up; the AFN report gives none); a row where the three figures differ
# from the listing's previous such day (the first day's from zero).
BACKFILL = """
INSERT INTO inbound_levels (
    store_id, marketplace_id, sku, day, inbound_working, inbound_shipped, inbound_receiving
)
SELECT store_id, marketplace_id, sku, snapshot_date, working, shipped, receiving
FROM (
    SELECT store_id, marketplace_id, sku, snapshot_date, working, shipped, receiving,
        LAG(working, 1, 0) OVER listing AS before_working,
        LAG(shipped, 1, 0) OVER listing AS before_shipped,
        LAG(receiving, 1, 0) OVER listing AS before_receiving
    FROM (
        SELECT store_id, marketplace_id, sku, snapshot_date,
            SUM(COALESCE(inbound_working, 0)) AS working,
            SUM(COALESCE(inbound_shipped, 0)) AS shipped,
            SUM(COALESCE(inbound_receiving, 0)) AS receiving,
            ROW_NUMBER() OVER (
                PARTITION BY store_id, marketplace_id, sku, snapshot_date
                ORDER BY CASE source WHEN 'myi' THEN 0 WHEN 'planning' THEN 1
                    WHEN 'restock' THEN 2 WHEN 'afn' THEN 3 ELSE 4 END,
                    source
            ) AS choice
        FROM inventory_snapshots
        WHERE marketplace_id IS NOT NULL
            AND (inbound_working IS NOT NULL OR inbound_shipped IS NOT NULL
                OR inbound_receiving IS NOT NULL)
        GROUP BY store_id, marketplace_id, sku, snapshot_date, source
    ) ranked
    WHERE choice = 1
    WINDOW listing AS (PARTITION BY store_id, marketplace_id, sku ORDER BY snapshot_date)
) days
WHERE working <> before_working OR shipped <> before_shipped OR receiving <> before_receiving
"""


def upgrade() -> None:
    op.create_table(
        "inbound_levels",
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=False),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("inbound_working", sa.Integer(), nullable=False),
        sa.Column("inbound_shipped", sa.Integer(), nullable=False),
        sa.Column("inbound_receiving", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_inbound_levels_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_inbound_levels_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "store_id", "marketplace_id", "sku", "day", name=op.f("pk_inbound_levels")
        ),
        sqlite_with_rowid=False,
    )
    op.execute(BACKFILL)


def downgrade() -> None:
    op.drop_table("inbound_levels")
