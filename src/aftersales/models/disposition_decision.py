"""Disposition decisions a user recorded for a lot of unsellable units, with the option
arithmetic and the fee table they saw (append-only: a new decision supersedes the last)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base
from aftersales.db.types import JSONType, Money, UTCDateTime
from aftersales.models._facts import BigId


class DispositionDecision(Base):
    """One recorded decision; the lot is store + marketplace + SKU (the latest decision of a
    lot is the one in force)."""

    __tablename__ = "disposition_decisions"
    __table_args__ = (
        Index("ix_disposition_decisions_lot", "store_id", "marketplace_id", "sku", "decided_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    marketplace_id: Mapped[str] = mapped_column(ForeignKey("marketplaces.id"))
    sku: Mapped[str] = mapped_column(String(80))
    fnsku: Mapped[str | None] = mapped_column(String(20))
    option: Mapped[str] = mapped_column(String(40))
    units: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    # What the lot looked like when decided: its units, snapshot, currency, the best option
    # then, the chosen option's figures, and every option's arithmetic (``arithmetic``).
    lot_units: Mapped[int] = mapped_column(Integer)
    snapshot_date: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    best_option: Mapped[str | None] = mapped_column(String(40))
    per_unit: Mapped[Decimal | None] = mapped_column(Money())
    per_lot: Mapped[Decimal | None] = mapped_column(Money())
    fee_table: Mapped[str | None] = mapped_column(String(80))
    fee_table_effective: Mapped[date | None] = mapped_column(Date)
    arithmetic: Mapped[dict[str, Any]] = mapped_column(JSONType)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
