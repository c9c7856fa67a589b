"""Columns every imported fact row has (store, marketplace, natural key, raw extras, batch),
and the key of the tables kept per listing (store, marketplace, SKU)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from aftersales.db.types import JSONType

# SQLite only auto-increments an INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class ImportedFact:
    """Mixin: one row per natural key per store, written only by the importer."""

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)

    @declared_attr
    def store_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), nullable=False)

    @declared_attr
    def marketplace_id(cls) -> Mapped[str | None]:
        return mapped_column(ForeignKey("marketplaces.id"), nullable=True)

    # The report's natural key, joined with "|" (see the report specs in amazon/reports).
    natural_key: Mapped[str] = mapped_column(String(400), nullable=False)

    @declared_attr
    def import_batch_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("import_batches.id", ondelete="SET NULL"), nullable=True)

    # Columns of the report this version does not model, kept verbatim.
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)

    # A hash of the values the importer last wrote (imports/repository.py): a re-imported
    # row with the same hash is unchanged without comparing every column. NULL: unknown.
    row_hash: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class ListingKey:
    """Mixin: the store, marketplace and SKU a row of a per-listing table is about, all part
    of its primary key (the table's ``PrimaryKeyConstraint`` gives their order)."""

    @declared_attr
    def store_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True)

    @declared_attr
    def marketplace_id(cls) -> Mapped[str]:
        return mapped_column(ForeignKey("marketplaces.id"), primary_key=True)

    sku: Mapped[str] = mapped_column(String(80), primary_key=True)
