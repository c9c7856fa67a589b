"""Claims: a reference column in the natural key and longer order ids (removal orders);
recorded disposition decisions.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from aftersales.db.types import JSONType, Money, UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OLD_KEY = "uq_claims_store_id_claim_type_amazon_order_id_sku"
NEW_KEY = "uq_claims_store_id_claim_type_amazon_order_id_sku_reference"


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(
            sa.Column("reference", sa.String(length=80), server_default="", nullable=False)
        )
        batch.alter_column(
            "amazon_order_id",
            existing_type=sa.String(length=40),
            type_=sa.String(length=60),
            existing_nullable=False,
        )
        batch.drop_constraint(OLD_KEY, type_="unique")
        batch.create_unique_constraint(
            NEW_KEY, ["store_id", "claim_type", "amazon_order_id", "sku", "reference"]
        )
    op.create_table(
        "disposition_decisions",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=False),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("fnsku", sa.String(length=20), nullable=True),
        sa.Column("option", sa.String(length=40), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("lot_units", sa.Integer(), nullable=False),
        sa.Column("snapshot_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("best_option", sa.String(length=40), nullable=True),
        sa.Column("per_unit", Money(), nullable=True),
        sa.Column("per_lot", Money(), nullable=True),
        sa.Column("fee_table", sa.String(length=80), nullable=True),
        sa.Column("fee_table_effective", sa.Date(), nullable=True),
        sa.Column("arithmetic", JSONType, nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_disposition_decisions_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_disposition_decisions_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_disposition_decisions_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disposition_decisions")),
    )
    op.create_index(
        "ix_disposition_decisions_lot",
        "disposition_decisions",
        ["store_id", "marketplace_id", "sku", "decided_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_disposition_decisions_lot", table_name="disposition_decisions")
    op.drop_table("disposition_decisions")
    with op.batch_alter_table("claims") as batch:
        batch.drop_constraint(NEW_KEY, type_="unique")
        batch.create_unique_constraint(
            OLD_KEY, ["store_id", "claim_type", "amazon_order_id", "sku"]
        )
        batch.alter_column(
            "amazon_order_id",
            existing_type=sa.String(length=60),
            type_=sa.String(length=40),
            existing_nullable=False,
        )
        batch.drop_column("reference")
