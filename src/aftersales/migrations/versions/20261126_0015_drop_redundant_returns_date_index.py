"""Drop ix_fba_returns_store_date: ix_fba_returns_store_date_sku starts with the same two
columns and serves the same scans; one index less to maintain on every import.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_fba_returns_store_date", table_name="fba_returns")


def downgrade() -> None:
    op.create_index(
        "ix_fba_returns_store_date", "fba_returns", ["store_id", "return_date"], unique=False
    )
