"""Replenishment data: daily sales (backfilled from the order lines), planning settings,
local / 3PL stock, purchase orders, runs and their results.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from aftersales.db.types import JSONType, UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "daily_sales",
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=False),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("units_shipped", sa.Integer(), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_daily_sales_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_daily_sales_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "store_id", "day", "marketplace_id", "sku", name=op.f("pk_daily_sales")
        ),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("daily_sales", schema=None) as batch_op:
        batch_op.create_index(
            "ix_daily_sales_listing", ["store_id", "marketplace_id", "sku", "day"], unique=False
        )
    op.create_table(
        "local_stock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("warehouse_kind", sa.String(length=20), nullable=False),
        sa.Column("warehouse_name", sa.String(length=80), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_local_stock_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_stock")),
        sa.UniqueConstraint(
            "store_id",
            "sku",
            "warehouse_kind",
            "warehouse_name",
            name=op.f("uq_local_stock_store_id_sku_warehouse_kind_warehouse_name"),
        ),
    )
    op.create_table(
        "purchase_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("expected_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_purchase_orders_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_purchase_orders_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_orders")),
    )
    with op.batch_alter_table("purchase_orders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_purchase_orders_store_status_sku", ["store_id", "status", "sku"], unique=False
        )

    op.create_table(
        "replenishment_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("rules", JSONType, nullable=False),
        sa.Column("listings", sa.Integer(), nullable=False),
        sa.Column("counts", JSONType, nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_replenishment_runs_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replenishment_runs")),
    )
    with op.batch_alter_table("replenishment_runs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_replenishment_runs_store_started", ["store_id", "started_at"], unique=False
        )

    op.create_table(
        "replenishment_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("values", JSONType, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_replenishment_settings_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_replenishment_settings_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replenishment_settings")),
        sa.UniqueConstraint("store_id", name=op.f("uq_replenishment_settings_store_id")),
    )
    op.create_table(
        "replenishment_sku_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("values", JSONType, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_replenishment_sku_settings_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replenishment_sku_settings")),
        sa.UniqueConstraint(
            "store_id", "sku", name=op.f("uq_replenishment_sku_settings_store_id_sku")
        ),
    )
    op.create_table(
        "replenishment_results",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=False),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("velocity", sa.Float(), nullable=False),
        sa.Column("fba_stock", sa.Integer(), nullable=False),
        sa.Column("inbound_stock", sa.Integer(), nullable=False),
        sa.Column("other_stock", sa.Integer(), nullable=False),
        sa.Column("days_of_supply_fba", sa.Float(), nullable=True),
        sa.Column("days_of_supply_inbound", sa.Float(), nullable=True),
        sa.Column("days_of_supply_all", sa.Float(), nullable=True),
        sa.Column("stockout_date", sa.Date(), nullable=True),
        sa.Column("ship_by", sa.Date(), nullable=True),
        sa.Column("purchase_by", sa.Date(), nullable=True),
        sa.Column("send_quantity", sa.Integer(), nullable=False),
        sa.Column("buy_quantity", sa.Integer(), nullable=False),
        sa.Column("transfer_quantity", sa.Integer(), nullable=False),
        sa.Column("cap_applied", sa.Boolean(), nullable=False),
        sa.Column("band", sa.String(length=20), nullable=False),
        sa.Column("explanation", JSONType, nullable=False),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_replenishment_results_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["replenishment_runs.id"],
            name=op.f("fk_replenishment_results_run_id_replenishment_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_replenishment_results_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replenishment_results")),
        sa.UniqueConstraint(
            "store_id",
            "marketplace_id",
            "sku",
            name=op.f("uq_replenishment_results_store_id_marketplace_id_sku"),
        ),
    )
    with op.batch_alter_table("replenishment_results", schema=None) as batch_op:
        batch_op.create_index(
            "ix_replenishment_results_store_band", ["store_id", "band"], unique=False
        )
    _backfill_daily_sales()


def downgrade() -> None:
    with op.batch_alter_table("replenishment_results", schema=None) as batch_op:
        batch_op.drop_index("ix_replenishment_results_store_band")

    op.drop_table("replenishment_results")
    op.drop_table("replenishment_sku_settings")
    op.drop_table("replenishment_settings")
    with op.batch_alter_table("replenishment_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_replenishment_runs_store_started")

    op.drop_table("replenishment_runs")
    with op.batch_alter_table("purchase_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_purchase_orders_store_status_sku")

    op.drop_table("purchase_orders")
    op.drop_table("local_stock")
    with op.batch_alter_table("daily_sales", schema=None) as batch_op:
        batch_op.drop_index("ix_daily_sales_listing")

    op.drop_table("daily_sales")


# The same aggregate as replenishment/sales_repository.py (kept here as it was at this
# revision, so the migration does not change when the code does).
def _backfill_daily_sales() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        day = "substr(purchase_date, 1, 10)"
    else:
        day = "CAST(timezone('UTC', purchase_date) AS DATE)"
    op.execute(
        "INSERT INTO daily_sales (store_id, marketplace_id, sku, day, units, units_shipped, orders) "
        f"SELECT store_id, marketplace_id, sku, {day}, CAST(SUM(quantity) AS INTEGER), "
        "CAST(SUM(CASE WHEN item_status = 'Shipped' THEN quantity ELSE 0 END) AS INTEGER), "
        "CAST(COUNT(DISTINCT amazon_order_id) AS INTEGER) FROM order_items "
        "WHERE marketplace_id IS NOT NULL AND purchase_date IS NOT NULL "
        "AND COALESCE(item_status, '') <> 'Cancelled' AND COALESCE(order_status, '') <> 'Cancelled' "
        f"GROUP BY store_id, marketplace_id, sku, {day}"
    )
