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
SELECT store_id, marketplace_id, sku, snapshot_date, source, COALESCE(fulfillable, 0),
    COALESCE(reserved_given, 0), COALESCE(working_given, 0), COALESCE(shipped_given, 0),
    COALESCE(receiving_given, 0), inbound_day
FROM (
    SELECT *,
        ROW_NUMBER() OVER (PARTITION BY store_id, marketplace_id, sku
            ORDER BY snapshot_date DESC, preference, source) AS choice,
        FIRST_VALUE(reserved) OVER (PARTITION BY store_id, marketplace_id, sku
            ORDER BY CASE WHEN reserved IS NULL THEN 1 ELSE 0 END, snapshot_date DESC,
                preference, source) AS reserved_given,
        FIRST_VALUE(inbound_working) OVER by_inbound AS working_given,
        FIRST_VALUE(inbound_shipped) OVER by_inbound AS shipped_given,
        FIRST_VALUE(inbound_receiving) OVER by_inbound AS receiving_given,
        FIRST_VALUE(CASE WHEN gives_inbound = 1 THEN snapshot_date END) OVER by_inbound
            AS inbound_day
    FROM (
        SELECT *,
            CASE WHEN inbound_working IS NOT NULL OR inbound_shipped IS NOT NULL
                OR inbound_receiving IS NOT NULL THEN 1 ELSE 0 END AS gives_inbound
        FROM (
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
        ) reports
        WHERE snapshot_date = newest_of_report
    ) newest
    WINDOW by_inbound AS (PARTITION BY store_id, marketplace_id, sku
        ORDER BY 1 - gives_inbound, snapshot_date DESC, preference, source)
) chosen
WHERE choice = 1
"""


def upgrade() -> None:
    with op.batch_alter_table("inventory_latest", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inbound_date", sa.Date(), nullable=True))
    op.execute("DELETE FROM inventory_latest")
    op.execute(RECOMPUTE)


def downgrade() -> None:
    with op.batch_alter_table("inventory_latest", schema=None) as batch_op:
        batch_op.drop_column("inbound_date")
