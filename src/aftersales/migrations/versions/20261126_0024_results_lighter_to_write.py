"""replenishment_results lighter to write: no foreign key to stores, and the explanation as
plain text.

A run replaces a store's 100,000 result rows at once. On PostgreSQL, checking each row's
store key cost about 0.3 s of that write (the benchmark's run: 3.26-3.31 s with it,
2.90-3.05 s without), and validating each explanation as ``json`` about 0.12-0.2 s more
(the COPY alone: 0.66-0.67 s as text against 0.77-0.89 s as json). The rows are the run's
own output, written from the store it runs for, and nothing queries inside an explanation
(``replenishment.stored_explanation`` reads it whole). Nothing in the product deletes a
store; whoever does so by hand deletes its results as well (its runs and results are
derived data, rebuilt by the next run).

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

STORE_KEY = "fk_replenishment_results_store_id_stores"


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("replenishment_results", schema=None) as batch_op:
        batch_op.drop_constraint(STORE_KEY, type_="foreignkey")
        batch_op.alter_column(
            "explanation",
            type_=sa.Text(),
            existing_type=sa.JSON(),
            existing_nullable=False,
            postgresql_using="explanation::text" if postgresql else None,
        )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("replenishment_results", schema=None) as batch_op:
        batch_op.alter_column(
            "explanation",
            type_=sa.JSON(),
            existing_type=sa.Text(),
            existing_nullable=False,
            postgresql_using="explanation::json" if postgresql else None,
        )
        batch_op.create_foreign_key(STORE_KEY, "stores", ["store_id"], ["id"], ondelete="CASCADE")
