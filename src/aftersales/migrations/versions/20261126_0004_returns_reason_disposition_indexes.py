"""Indexes for the returns list filtered by reason or disposition, and its dropdowns.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_fba_returns_store_reason",
        "fba_returns",
        ["store_id", "reason", "marketplace_id", "return_date"],
        unique=False,
    )
    op.create_index(
        "ix_fba_returns_store_disposition",
        "fba_returns",
        ["store_id", "detailed_disposition", "marketplace_id", "return_date"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_fba_returns_store_disposition", table_name="fba_returns")
    op.drop_index("ix_fba_returns_store_reason", table_name="fba_returns")
