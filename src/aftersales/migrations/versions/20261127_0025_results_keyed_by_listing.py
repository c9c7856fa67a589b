"""replenishment_results keyed by their listing: the primary key is (store, marketplace,
SKU), with no id column and no (store, band) index.

A run replaces a store's 100,000 result rows at once, and each index of the table is kept
up to date row by row. The id's own key and the (store, band) index cost a third of that
write on PostgreSQL (the run's COPY: 0.53 s with the three indexes, 0.36 s with the one),
and the band index about 0.05 s of the run on SQLite. Nothing refers to a result by its
id: pages and exports find one by its listing, which was a unique key already. The
counts by band that the index served come from the runs (each run counts its results)
unless the page narrows the listings down, and then from the store's own rows.

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

TABLE = "replenishment_results"
KEY = ["store_id", "marketplace_id", "sku"]
PRIMARY_KEY = "pk_replenishment_results"
LISTING_KEY = "uq_replenishment_results_store_id_marketplace_id_sku"
BAND_INDEX = "ix_replenishment_results_store_band"


def upgrade() -> None:
    op.drop_index(BAND_INDEX, table_name=TABLE)
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(PRIMARY_KEY, TABLE, type_="primary")
        op.drop_column(TABLE, "id")
        op.drop_constraint(LISTING_KEY, TABLE, type_="unique")
        op.create_primary_key(PRIMARY_KEY, TABLE, KEY)
        return
    # SQLite: the table is copied into its new form (the rows keep their values).
    with op.batch_alter_table(TABLE, recreate="always") as batch_op:
        batch_op.drop_constraint(LISTING_KEY, type_="unique")
        batch_op.drop_column("id")
        batch_op.create_primary_key(PRIMARY_KEY, KEY)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(PRIMARY_KEY, TABLE, type_="primary")
        op.create_unique_constraint(LISTING_KEY, TABLE, KEY)
        # A new serial column numbers the rows already there.
        op.add_column(TABLE, sa.Column("id", sa.BigInteger(), autoincrement=True))
        op.execute(f"CREATE SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id")
        op.execute(f"UPDATE {TABLE} SET id = nextval('{TABLE}_id_seq')")
        op.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{TABLE}_id_seq')")
        op.alter_column(TABLE, "id", nullable=False)
        op.create_primary_key(PRIMARY_KEY, TABLE, ["id"])
    else:
        # SQLite numbers the copied rows itself (id is the table's rowid).
        with op.batch_alter_table(
            TABLE,
            recreate="always",
            table_args=(sa.UniqueConstraint(*KEY, name=LISTING_KEY),),
        ) as batch_op:
            batch_op.drop_constraint(PRIMARY_KEY, type_="primary")
            batch_op.add_column(sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True))
    op.create_index(BAND_INDEX, TABLE, ["store_id", "band"])
