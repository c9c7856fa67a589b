"""replenishment_results.explanation as PostgreSQL json rather than jsonb: the run writes
100,000 explanations at once and nothing queries inside them. Converting them to jsonb made
their COPY two to three times slower (3.9 s against 1.4–1.9 s into a table like it, on the
benchmark's results). SQLite stores JSON as text either way.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.alter_column(
        "replenishment_results",
        "explanation",
        type_=sa.JSON(),
        existing_type=postgresql.JSONB(),
        existing_nullable=False,
        postgresql_using="explanation::json",
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.alter_column(
        "replenishment_results",
        "explanation",
        type_=postgresql.JSONB(),
        existing_type=sa.JSON(),
        existing_nullable=False,
        postgresql_using="explanation::jsonb",
    )
