"""inventory_latest: the reserved and inbound units from the newest report that gives them,
dated (inbound_date); recomputed here.

The kept figures took every figure from the newest day's most complete report, so a newer
AFN inventory report (it gives available units only) set a listing's reserved and inbound
units to zero, and a replenishment run then told the seller to send units already on their
way.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

# As replenishment/repository.py chooses at this revision, among each report's newest day
# of each listing (condition lines added up; a report without a figure's column stores
# null): available units and the day from the newest day's most complete report
# (models.inventory.INVENTORY_SOURCE_PREFERENCE); reserved units, and the inbound units with
# their day, from the newest, most complete report that gives them.
RECOMPUTE = """
INSERT INTO inventory_latest (store_id, marketplace_id, sku, snapshot_date, source,
    fulfillable, reserved, inbound_working, inbound_shipped, inbound_receiving, inbound_date)
WITH reports AS (
    SELECT store_id, marketplace_id, sku, snapshot_date, source,
        SUM(fulfillable) AS fulfillable,
        SUM(reserved) AS reserved,
        SUM(inbound_working) AS inbound_working,
        SUM(inbound_shipped) AS inbound_shipped,
        SUM(inbound_receiving) AS inbound_receiving,
        CASE source WHEN 'myi' THEN 0 WHEN 'planning' THEN 1 WHEN 'restock' THEN 2
            WHEN 'afn' THEN 3 ELSE 4 END AS preference,
        MAX(snapshot_date) OVER (PARTITION BY store_id, marketplace_id, sku, source)
            AS newest_of_report
    FROM inventory_snapshots
    WHERE marketplace_id IS NOT NULL
    GROUP BY store_id, marketplace_id, sku, snapshot_date, source
),
newest AS (
    SELECT *,
        ROW_NUMBER() OVER (
            PARTITION BY store_id, marketplace_id, sku
            ORDER BY snapshot_date DESC, preference, source
        ) AS choice
    FROM reports
    WHERE snapshot_date = newest_of_report
),
reserved AS (
    SELECT store_id, marketplace_id, sku, reserved,
        ROW_NUMBER() OVER (
            PARTITION BY store_id, marketplace_id, sku
            ORDER BY snapshot_date DESC, preference, source
        ) AS choice
    FROM newest
    WHERE reserved IS NOT NULL
),
inbound AS (
    SELECT store_id, marketplace_id, sku, snapshot_date, inbound_working, inbound_shipped,
        inbound_receiving,
        ROW_NUMBER() OVER (
            PARTITION BY store_id, marketplace_id, sku
            ORDER BY snapshot_date DESC, preference, source
        ) AS choice
    FROM newest
    WHERE inbound_working IS NOT NULL OR inbound_shipped IS NOT NULL
        OR inbound_receiving IS NOT NULL
)
SELECT n.store_id, n.marketplace_id, n.sku, n.snapshot_date, n.source,
    COALESCE(n.fulfillable, 0), COALESCE(r.reserved, 0),
    COALESCE(i.inbound_working, 0), COALESCE(i.inbound_shipped, 0),
    COALESCE(i.inbound_receiving, 0), i.snapshot_date
FROM newest n
LEFT JOIN reserved r ON r.store_id = n.store_id AND r.marketplace_id = n.marketplace_id
    AND r.sku = n.sku AND r.choice = 1
LEFT JOIN inbound i ON i.store_id = n.store_id AND i.marketplace_id = n.marketplace_id
    AND i.sku = n.sku AND i.choice = 1
WHERE n.choice = 1
"""


def upgrade() -> None:
    with op.batch_alter_table("inventory_latest", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inbound_date", sa.Date(), nullable=True))
    op.execute("DELETE FROM inventory_latest")
    op.execute(RECOMPUTE)


def downgrade() -> None:
    with op.batch_alter_table("inventory_latest", schema=None) as batch_op:
        batch_op.drop_column("inbound_date")
