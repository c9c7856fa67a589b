"""Initial schema: stores, marketplaces (seeded), products, orders, returns, money, inventory, removals, feedback, imports.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from aftersales.amazon.marketplaces import all_marketplaces

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _seed_marketplaces() -> None:
    # Reference data as of this revision; later revisions update it explicitly.
    table = sa.table(
        "marketplaces",
        *(
            sa.column(name, sa.String)
            for name in (
                "id",
                "code",
                "country",
                "domain",
                "currency",
                "time_zone",
                "language",
                "region",
            )
        ),
    )
    op.bulk_insert(
        table,
        [
            {
                "id": m.id,
                "code": m.code,
                "country": m.country,
                "domain": m.domain,
                "currency": m.currency,
                "time_zone": m.time_zone,
                "language": m.language,
                "region": m.region.value,
            }
            for m in all_marketplaces()
        ],
    )


def upgrade() -> None:
    op.create_table(
        "marketplaces",
        sa.Column("id", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.Column("country", sa.String(length=60), nullable=False),
        sa.Column("domain", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("time_zone", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("region", sa.String(length=2), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplaces")),
        sa.UniqueConstraint("code", name=op.f("uq_marketplaces_code")),
    )
    _seed_marketplaces()
    op.create_table(
        "stores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("region", sa.String(length=2), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stores")),
        sa.UniqueConstraint("name", name=op.f("uq_stores_name")),
    )
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("report_type", sa.String(length=80), nullable=False),
        sa.Column("encoding", sa.String(length=20), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=True),
        sa.Column("snapshot_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column(
            "errors",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_import_batches_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_import_batches_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.create_index("ix_import_batches_store_sha", ["store_id", "sha256"], unique=False)

    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("asin", sa.String(length=20), nullable=True),
        sa.Column("fnsku", sa.String(length=20), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("unit_cost", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("cost_currency", sa.String(length=3), nullable=True),
        sa.Column("case_pack", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_products_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("store_id", "sku", name=op.f("uq_products_store_id_sku")),
    )
    op.create_table(
        "fba_returns",
        sa.Column("return_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("amazon_order_id", sa.String(length=40), nullable=False),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("asin", sa.String(length=20), nullable=True),
        sa.Column("fnsku", sa.String(length=20), nullable=True),
        sa.Column("product_name", sa.String(length=500), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("fulfillment_center_id", sa.String(length=10), nullable=True),
        sa.Column("detailed_disposition", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.String(length=60), nullable=True),
        sa.Column("status", sa.String(length=80), nullable=True),
        sa.Column("license_plate_number", sa.String(length=40), nullable=True),
        sa.Column("customer_comments", sa.Text(), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("natural_key", sa.String(length=400), nullable=False),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_fba_returns_import_batch_id_import_batches"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_fba_returns_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_fba_returns_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fba_returns")),
        sa.UniqueConstraint(
            "store_id", "natural_key", name=op.f("uq_fba_returns_store_id_natural_key")
        ),
    )
    with op.batch_alter_table("fba_returns", schema=None) as batch_op:
        batch_op.create_index(
            "ix_fba_returns_store_date", ["store_id", "return_date"], unique=False
        )
        batch_op.create_index(
            "ix_fba_returns_store_order", ["store_id", "amazon_order_id"], unique=False
        )
        batch_op.create_index("ix_fba_returns_store_sku", ["store_id", "sku"], unique=False)

    op.create_table(
        "inventory_snapshots",
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("snapshot_date", sa.Date(), nullable=False),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("fnsku", sa.String(length=20), nullable=True),
        sa.Column("asin", sa.String(length=20), nullable=True),
        sa.Column("condition", sa.String(length=40), nullable=True),
        sa.Column("fulfillable", sa.Integer(), nullable=True),
        sa.Column("unfulfillable", sa.Integer(), nullable=True),
        sa.Column("reserved", sa.Integer(), nullable=True),
        sa.Column("inbound_working", sa.Integer(), nullable=True),
        sa.Column("inbound_shipped", sa.Integer(), nullable=True),
        sa.Column("inbound_receiving", sa.Integer(), nullable=True),
        sa.Column("researching", sa.Integer(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("natural_key", sa.String(length=400), nullable=False),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_inventory_snapshots_import_batch_id_import_batches"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_inventory_snapshots_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_inventory_snapshots_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_snapshots")),
        sa.UniqueConstraint(
            "store_id", "natural_key", name=op.f("uq_inventory_snapshots_store_id_natural_key")
        ),
    )
    with op.batch_alter_table("inventory_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            "ix_inventory_store_sku_date", ["store_id", "sku", "snapshot_date"], unique=False
        )

    op.create_table(
        "order_items",
        sa.Column("amazon_order_id", sa.String(length=40), nullable=False),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("asin", sa.String(length=20), nullable=True),
        sa.Column("product_name", sa.String(length=500), nullable=True),
        sa.Column("purchase_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("order_status", sa.String(length=40), nullable=True),
        sa.Column("fulfillment_channel", sa.String(length=20), nullable=True),
        sa.Column("item_status", sa.String(length=40), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("item_price", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("item_tax", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("shipping_price", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("shipping_tax", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("gift_wrap_price", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("gift_wrap_tax", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("item_promotion_discount", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("ship_promotion_discount", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("promotion_ids", sa.String(length=1000), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("natural_key", sa.String(length=400), nullable=False),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_order_items_import_batch_id_import_batches"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_order_items_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_order_items_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_items")),
        sa.UniqueConstraint(
            "store_id", "natural_key", name=op.f("uq_order_items_store_id_natural_key")
        ),
    )
    with op.batch_alter_table("order_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_order_items_store_order", ["store_id", "amazon_order_id"], unique=False
        )
        batch_op.create_index(
            "ix_order_items_store_sku_date", ["store_id", "sku", "purchase_date"], unique=False
        )

    op.create_table(
        "orders",
        sa.Column("amazon_order_id", sa.String(length=40), nullable=False),
        sa.Column("merchant_order_id", sa.String(length=80), nullable=True),
        sa.Column("purchase_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_updated_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("order_status", sa.String(length=40), nullable=True),
        sa.Column("fulfillment_channel", sa.String(length=20), nullable=True),
        sa.Column("sales_channel", sa.String(length=40), nullable=True),
        sa.Column("order_channel", sa.String(length=40), nullable=True),
        sa.Column("ship_service_level", sa.String(length=40), nullable=True),
        sa.Column("ship_city", sa.String(length=120), nullable=True),
        sa.Column("ship_state", sa.String(length=120), nullable=True),
        sa.Column("ship_postal_code", sa.String(length=40), nullable=True),
        sa.Column("ship_country", sa.String(length=2), nullable=True),
        sa.Column("is_business_order", sa.Boolean(), nullable=True),
        sa.Column("purchase_order_number", sa.String(length=80), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("natural_key", sa.String(length=400), nullable=False),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_orders_import_batch_id_import_batches"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_orders_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_orders_store_id_stores"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("store_id", "natural_key", name=op.f("uq_orders_store_id_natural_key")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_orders_store_purchase", ["store_id", "purchase_date"], unique=False
        )

    op.create_table(
        "product_prices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=False),
        sa.Column("price", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_product_prices_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_prices_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_prices")),
        sa.UniqueConstraint(
            "product_id", "marketplace_id", name=op.f("uq_product_prices_product_id_marketplace_id")
        ),
    )
    op.create_table(
        "refunds",
        sa.Column("settlement_id", sa.String(length=40), nullable=False),
        sa.Column("amazon_order_id", sa.String(length=40), nullable=True),
        sa.Column("merchant_order_id", sa.String(length=80), nullable=True),
        sa.Column("adjustment_id", sa.String(length=40), nullable=True),
        sa.Column("shipment_id", sa.String(length=40), nullable=True),
        sa.Column("marketplace_name", sa.String(length=40), nullable=True),
        sa.Column("fulfillment_id", sa.String(length=10), nullable=True),
        sa.Column("posted_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("order_item_code", sa.String(length=40), nullable=True),
        sa.Column("merchant_order_item_id", sa.String(length=80), nullable=True),
        sa.Column("merchant_adjustment_item_id", sa.String(length=80), nullable=True),
        sa.Column("sku", sa.String(length=80), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("amount_type", sa.String(length=60), nullable=True),
        sa.Column("amount_description", sa.String(length=120), nullable=True),
        sa.Column("amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("promotion_id", sa.String(length=120), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("natural_key", sa.String(length=400), nullable=False),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_refunds_import_batch_id_import_batches"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_refunds_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_refunds_store_id_stores"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refunds")),
        sa.UniqueConstraint(
            "store_id", "natural_key", name=op.f("uq_refunds_store_id_natural_key")
        ),
    )
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.create_index(
            "ix_refunds_store_order", ["store_id", "amazon_order_id"], unique=False
        )
        batch_op.create_index("ix_refunds_store_posted", ["store_id", "posted_date"], unique=False)

    op.create_table(
        "reimbursements",
        sa.Column("approval_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reimbursement_id", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.String(length=40), nullable=True),
        sa.Column("amazon_order_id", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.String(length=60), nullable=True),
        sa.Column("sku", sa.String(length=80), nullable=True),
        sa.Column("fnsku", sa.String(length=20), nullable=True),
        sa.Column("asin", sa.String(length=20), nullable=True),
        sa.Column("product_name", sa.String(length=500), nullable=True),
        sa.Column("condition", sa.String(length=40), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("amount_per_unit", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("amount_total", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("quantity_reimbursed_cash", sa.Integer(), nullable=True),
        sa.Column("quantity_reimbursed_inventory", sa.Integer(), nullable=True),
        sa.Column("quantity_reimbursed_total", sa.Integer(), nullable=True),
        sa.Column("original_reimbursement_id", sa.String(length=40), nullable=True),
        sa.Column("original_reimbursement_type", sa.String(length=60), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("natural_key", sa.String(length=400), nullable=False),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_reimbursements_import_batch_id_import_batches"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_reimbursements_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_reimbursements_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reimbursements")),
        sa.UniqueConstraint(
            "store_id", "natural_key", name=op.f("uq_reimbursements_store_id_natural_key")
        ),
    )
    with op.batch_alter_table("reimbursements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reimbursements_store_date", ["store_id", "approval_date"], unique=False
        )
        batch_op.create_index(
            "ix_reimbursements_store_order", ["store_id", "amazon_order_id"], unique=False
        )

    op.create_table(
        "removal_orders",
        sa.Column("request_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("order_id", sa.String(length=60), nullable=False),
        sa.Column("order_type", sa.String(length=30), nullable=True),
        sa.Column("service_speed", sa.String(length=30), nullable=True),
        sa.Column("order_status", sa.String(length=30), nullable=True),
        sa.Column("last_updated_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("fnsku", sa.String(length=20), nullable=True),
        sa.Column("disposition", sa.String(length=30), nullable=True),
        sa.Column("requested_quantity", sa.Integer(), nullable=True),
        sa.Column("cancelled_quantity", sa.Integer(), nullable=True),
        sa.Column("disposed_quantity", sa.Integer(), nullable=True),
        sa.Column("shipped_quantity", sa.Integer(), nullable=True),
        sa.Column("in_process_quantity", sa.Integer(), nullable=True),
        sa.Column("removal_fee", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("natural_key", sa.String(length=400), nullable=False),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_removal_orders_import_batch_id_import_batches"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_removal_orders_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_removal_orders_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_removal_orders")),
        sa.UniqueConstraint(
            "store_id", "natural_key", name=op.f("uq_removal_orders_store_id_natural_key")
        ),
    )
    with op.batch_alter_table("removal_orders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_removal_orders_store_order", ["store_id", "order_id"], unique=False
        )

    op.create_table(
        "removal_shipments",
        sa.Column("request_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("order_id", sa.String(length=60), nullable=False),
        sa.Column("shipment_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("fnsku", sa.String(length=20), nullable=True),
        sa.Column("disposition", sa.String(length=30), nullable=True),
        sa.Column("shipped_quantity", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=60), nullable=True),
        sa.Column("tracking_number", sa.String(length=80), nullable=True),
        sa.Column("removal_order_type", sa.String(length=30), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("natural_key", sa.String(length=400), nullable=False),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_removal_shipments_import_batch_id_import_batches"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_removal_shipments_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_removal_shipments_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_removal_shipments")),
        sa.UniqueConstraint(
            "store_id", "natural_key", name=op.f("uq_removal_shipments_store_id_natural_key")
        ),
    )
    with op.batch_alter_table("removal_shipments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_removal_shipments_store_order", ["store_id", "order_id"], unique=False
        )

    op.create_table(
        "seller_feedback",
        sa.Column("feedback_date", sa.Date(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comments", sa.Text(), nullable=True),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("amazon_order_id", sa.String(length=40), nullable=True),
        sa.Column("rater_email", sa.String(length=200), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("natural_key", sa.String(length=400), nullable=False),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_seller_feedback_import_batch_id_import_batches"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_seller_feedback_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_seller_feedback_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seller_feedback")),
        sa.UniqueConstraint(
            "store_id", "natural_key", name=op.f("uq_seller_feedback_store_id_natural_key")
        ),
    )
    op.create_table(
        "seller_returns",
        sa.Column("amazon_order_id", sa.String(length=40), nullable=False),
        sa.Column("order_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("return_request_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("return_request_status", sa.String(length=40), nullable=True),
        sa.Column("amazon_rma_id", sa.String(length=40), nullable=True),
        sa.Column("merchant_rma_id", sa.String(length=40), nullable=True),
        sa.Column("label_type", sa.String(length=60), nullable=True),
        sa.Column("label_cost", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("return_carrier", sa.String(length=60), nullable=True),
        sa.Column("tracking_id", sa.String(length=80), nullable=True),
        sa.Column("label_to_be_paid_by", sa.String(length=40), nullable=True),
        sa.Column("a_to_z_claim", sa.Boolean(), nullable=True),
        sa.Column("is_prime", sa.Boolean(), nullable=True),
        sa.Column("asin", sa.String(length=20), nullable=True),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("item_name", sa.String(length=500), nullable=True),
        sa.Column("return_quantity", sa.Integer(), nullable=False),
        sa.Column("return_reason", sa.String(length=80), nullable=True),
        sa.Column("in_policy", sa.Boolean(), nullable=True),
        sa.Column("return_type", sa.String(length=40), nullable=True),
        sa.Column("resolution", sa.String(length=60), nullable=True),
        sa.Column("invoice_number", sa.String(length=60), nullable=True),
        sa.Column("return_delivery_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("order_amount", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("order_quantity", sa.Integer(), nullable=True),
        sa.Column("safet_action_reason", sa.String(length=120), nullable=True),
        sa.Column("safet_claim_id", sa.String(length=40), nullable=True),
        sa.Column("safet_claim_state", sa.String(length=40), nullable=True),
        sa.Column("safet_claim_creation_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "safet_claim_reimbursement_amount", sa.Numeric(precision=18, scale=4), nullable=True
        ),
        sa.Column("refunded_amount", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("natural_key", sa.String(length=400), nullable=False),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_seller_returns_import_batch_id_import_batches"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_seller_returns_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_seller_returns_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seller_returns")),
        sa.UniqueConstraint(
            "store_id", "natural_key", name=op.f("uq_seller_returns_store_id_natural_key")
        ),
    )
    with op.batch_alter_table("seller_returns", schema=None) as batch_op:
        batch_op.create_index(
            "ix_seller_returns_store_order", ["store_id", "amazon_order_id"], unique=False
        )

    op.create_table(
        "shipment_items",
        sa.Column("amazon_order_id", sa.String(length=40), nullable=False),
        sa.Column("merchant_order_id", sa.String(length=80), nullable=True),
        sa.Column("shipment_id", sa.String(length=40), nullable=False),
        sa.Column("shipment_item_id", sa.String(length=40), nullable=False),
        sa.Column("amazon_order_item_id", sa.String(length=40), nullable=True),
        sa.Column("merchant_order_item_id", sa.String(length=80), nullable=True),
        sa.Column("purchase_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("payments_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("shipment_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reporting_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("product_name", sa.String(length=500), nullable=True),
        sa.Column("quantity_shipped", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("item_price", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("item_tax", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("shipping_price", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("shipping_tax", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("gift_wrap_price", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("gift_wrap_tax", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("item_promotion_discount", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("ship_promotion_discount", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("ship_service_level", sa.String(length=40), nullable=True),
        sa.Column("ship_city", sa.String(length=120), nullable=True),
        sa.Column("ship_state", sa.String(length=120), nullable=True),
        sa.Column("ship_postal_code", sa.String(length=40), nullable=True),
        sa.Column("ship_country", sa.String(length=2), nullable=True),
        sa.Column("carrier", sa.String(length=60), nullable=True),
        sa.Column("tracking_number", sa.String(length=80), nullable=True),
        sa.Column("estimated_arrival_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fulfillment_center_id", sa.String(length=10), nullable=True),
        sa.Column("fulfillment_channel", sa.String(length=20), nullable=True),
        sa.Column("sales_channel", sa.String(length=40), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("natural_key", sa.String(length=400), nullable=False),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_shipment_items_import_batch_id_import_batches"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_shipment_items_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_shipment_items_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment_items")),
        sa.UniqueConstraint(
            "store_id", "natural_key", name=op.f("uq_shipment_items_store_id_natural_key")
        ),
    )
    with op.batch_alter_table("shipment_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_shipment_items_store_order", ["store_id", "amazon_order_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("shipment_items", schema=None) as batch_op:
        batch_op.drop_index("ix_shipment_items_store_order")

    op.drop_table("shipment_items")
    with op.batch_alter_table("seller_returns", schema=None) as batch_op:
        batch_op.drop_index("ix_seller_returns_store_order")

    op.drop_table("seller_returns")
    op.drop_table("seller_feedback")
    with op.batch_alter_table("removal_shipments", schema=None) as batch_op:
        batch_op.drop_index("ix_removal_shipments_store_order")

    op.drop_table("removal_shipments")
    with op.batch_alter_table("removal_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_removal_orders_store_order")

    op.drop_table("removal_orders")
    with op.batch_alter_table("reimbursements", schema=None) as batch_op:
        batch_op.drop_index("ix_reimbursements_store_order")
        batch_op.drop_index("ix_reimbursements_store_date")

    op.drop_table("reimbursements")
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.drop_index("ix_refunds_store_posted")
        batch_op.drop_index("ix_refunds_store_order")

    op.drop_table("refunds")
    op.drop_table("product_prices")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_store_purchase")

    op.drop_table("orders")
    with op.batch_alter_table("order_items", schema=None) as batch_op:
        batch_op.drop_index("ix_order_items_store_sku_date")
        batch_op.drop_index("ix_order_items_store_order")

    op.drop_table("order_items")
    with op.batch_alter_table("inventory_snapshots", schema=None) as batch_op:
        batch_op.drop_index("ix_inventory_store_sku_date")

    op.drop_table("inventory_snapshots")
    with op.batch_alter_table("fba_returns", schema=None) as batch_op:
        batch_op.drop_index("ix_fba_returns_store_sku")
        batch_op.drop_index("ix_fba_returns_store_order")
        batch_op.drop_index("ix_fba_returns_store_date")

    op.drop_table("fba_returns")
    op.drop_table("products")
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.drop_index("ix_import_batches_store_sha")

    op.drop_table("import_batches")
    op.drop_table("stores")
    op.drop_table("marketplaces")
