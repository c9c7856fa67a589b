"""FBA inbound plans: plans, their lines, status events, and saved ship-from addresses.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from aftersales.db.types import JSONType, UTCDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _ship_from_columns() -> list[sa.Column[str]]:
    def text(name: str, length: int) -> sa.Column[str]:
        return sa.Column(name, sa.String(length=length), server_default="", nullable=False)

    return [
        text("ship_from_name", 50),
        text("ship_from_company", 50),
        text("ship_from_line1", 180),
        text("ship_from_line2", 60),
        text("ship_from_city", 30),
        text("ship_from_state", 64),
        text("ship_from_postal_code", 32),
        text("ship_from_country_code", 2),
        text("ship_from_phone", 20),
        text("ship_from_email", 254),
    ]


def upgrade() -> None:
    op.create_table(
        "inbound_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("marketplace_id", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("shipping_mode", sa.String(length=10), nullable=False),
        sa.Column("length_unit", sa.String(length=2), nullable=False),
        sa.Column("weight_unit", sa.String(length=2), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        *_ship_from_columns(),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_inbound_plans_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.id"],
            name=op.f("fk_inbound_plans_marketplace_id_marketplaces"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_inbound_plans_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_inbound_plans_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_plans")),
    )
    with op.batch_alter_table("inbound_plans", schema=None) as batch_op:
        batch_op.create_index("ix_inbound_plans_store_status", ["store_id", "status"], unique=False)

    op.create_table(
        "inbound_plan_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("fnsku", sa.String(length=20), nullable=True),
        sa.Column("asin", sa.String(length=20), nullable=True),
        sa.Column("requested_quantity", sa.Integer(), nullable=False),
        sa.Column("case_pack", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("units_per_box", sa.Integer(), nullable=True),
        sa.Column("boxes", sa.Integer(), nullable=True),
        sa.Column("box_length", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("box_width", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("box_height", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("box_weight", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("label_owner", sa.String(length=10), nullable=False),
        sa.Column("prep_owner", sa.String(length=10), nullable=False),
        sa.Column("expiration", sa.Date(), nullable=True),
        sa.Column("recommendation", JSONType, nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["inbound_plans.id"],
            name=op.f("fk_inbound_plan_items_plan_id_inbound_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_plan_items")),
        sa.UniqueConstraint("plan_id", "sku", name=op.f("uq_inbound_plan_items_plan_id_sku")),
    )

    op.create_table(
        "inbound_plan_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("from_status", sa.String(length=10), nullable=True),
        sa.Column("to_status", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["inbound_plans.id"],
            name=op.f("fk_inbound_plan_events_plan_id_inbound_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_inbound_plan_events_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_plan_events")),
    )
    with op.batch_alter_table("inbound_plan_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbound_plan_events_plan_id"), ["plan_id"], unique=False
        )

    op.create_table(
        "inbound_ship_from_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        *_ship_from_columns(),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_inbound_ship_from_addresses_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_ship_from_addresses")),
        sa.UniqueConstraint(
            "store_id", "label", name=op.f("uq_inbound_ship_from_addresses_store_id_label")
        ),
    )


def downgrade() -> None:
    op.drop_table("inbound_ship_from_addresses")
    with op.batch_alter_table("inbound_plan_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbound_plan_events_plan_id"))
    op.drop_table("inbound_plan_events")
    op.drop_table("inbound_plan_items")
    with op.batch_alter_table("inbound_plans", schema=None) as batch_op:
        batch_op.drop_index("ix_inbound_plans_store_status")
    op.drop_table("inbound_plans")
