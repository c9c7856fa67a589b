"""A row hash on every imported fact table, so re-imports skip unchanged rows cheaply.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FACT_TABLES = (
    "fba_returns",
    "seller_returns",
    "orders",
    "order_items",
    "shipment_items",
    "reimbursements",
    "refunds",
    "inventory_snapshots",
    "removal_orders",
    "removal_shipments",
    "seller_feedback",
)


def upgrade() -> None:
    # Existing rows keep NULL: their next import compares them column by column, once.
    for table in FACT_TABLES:
        op.add_column(table, sa.Column("row_hash", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    for table in FACT_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("row_hash")
