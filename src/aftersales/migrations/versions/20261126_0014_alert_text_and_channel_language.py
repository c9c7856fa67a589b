"""Alerts in the reader's language (the alert's text templates, each channel's language),
and the state a rule keeps between evaluations.

Revision ID: 0014
Revises: 0012
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from aftersales.db.types import JSONType

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alert_rules") as batch:
        batch.add_column(sa.Column("state", JSONType, nullable=True))
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("text", JSONType, nullable=True))
    with op.batch_alter_table("notification_channels") as batch:
        batch.add_column(
            sa.Column("language", sa.String(length=10), server_default="en", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("notification_channels") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("text")
    with op.batch_alter_table("alert_rules") as batch:
        batch.drop_column("state")
