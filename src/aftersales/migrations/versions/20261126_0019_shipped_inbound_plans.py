"""Inbound plans can be marked shipped: the day the shipment left and Amazon's shipment ID,
so its units date the listing's inbound stock (status "shipped" fits the String(10) column).

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shipped_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("shipment_id", sa.String(length=20), nullable=True))


def downgrade() -> None:
    op.execute("UPDATE inbound_plans SET status = 'exported' WHERE status = 'shipped'")
    with op.batch_alter_table("inbound_plans", schema=None) as batch_op:
        batch_op.drop_column("shipment_id")
        batch_op.drop_column("shipped_on")
