"""Indexes for the returns and orders lists (search, filters) and the dashboard (covering).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

The reason / disposition indexes of the returns list are in 0004.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# table -> (index name, columns), as declared on the models.
INDEXES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "fba_returns": (
        ("ix_fba_returns_store_asin", ("store_id", "asin")),
        ("ix_fba_returns_store_fnsku", ("store_id", "fnsku")),
        ("ix_fba_returns_store_lpn", ("store_id", "license_plate_number")),
        (
            "ix_fba_returns_store_market_date",
            ("store_id", "marketplace_id", "return_date", "quantity", "detailed_disposition"),
        ),
        (
            "ix_fba_returns_store_date_sku",
            ("store_id", "return_date", "sku", "quantity", "reason"),
        ),
    ),
    "orders": (
        ("ix_orders_store_order", ("store_id", "amazon_order_id")),
        ("ix_orders_store_status_purchase", ("store_id", "order_status", "purchase_date")),
        (
            "ix_orders_store_channel_purchase",
            ("store_id", "fulfillment_channel", "purchase_date"),
        ),
        (
            "ix_orders_store_market_purchase",
            ("store_id", "marketplace_id", "purchase_date", "order_status"),
        ),
    ),
    "order_items": (
        ("ix_order_items_store_asin", ("store_id", "asin")),
        (
            "ix_order_items_store_status_market_date",
            ("store_id", "item_status", "marketplace_id", "purchase_date", "quantity"),
        ),
        (
            "ix_order_items_store_status_market_sku",
            ("store_id", "item_status", "marketplace_id", "sku", "purchase_date", "quantity"),
        ),
    ),
    "inventory_snapshots": (
        (
            "ix_inventory_store_market_sku_source_date",
            ("store_id", "marketplace_id", "sku", "source", "snapshot_date"),
        ),
    ),
}


def upgrade() -> None:
    # Plain CREATE INDEX (no batch mode): SQLite can add an index without copying the table.
    for table, indexes in INDEXES.items():
        for name, columns in indexes:
            op.create_index(name, table, list(columns), unique=False)


def downgrade() -> None:
    for table, indexes in INDEXES.items():
        for name, _columns in reversed(indexes):
            op.drop_index(name, table_name=table)
