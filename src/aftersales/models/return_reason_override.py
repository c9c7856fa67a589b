"""A store's own answer to "who is responsible for this return reason, and what to do",
replacing the default from ``amazon/data/return_reasons.json`` for that store only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base
from aftersales.db.types import UTCDateTime


class ReturnReasonOverride(Base):
    __tablename__ = "return_reason_overrides"
    __table_args__ = (UniqueConstraint("store_id", "reason_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    # Amazon's code, upper case (as in the returns report).
    reason_code: Mapped[str] = mapped_column(String(60))
    # Values of amazon.return_reasons.Responsible and ReasonAction.
    responsible: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
