"""Seller feedback (the negative and neutral ratings Amazon reports)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base
from aftersales.models._facts import ImportedFact


class SellerFeedback(ImportedFact, Base):
    """One feedback; natural key: order id (a buyer rates an order once), else date + text."""

    __tablename__ = "seller_feedback"
    __table_args__ = (UniqueConstraint("store_id", "natural_key"),)

    feedback_date: Mapped[date] = mapped_column(Date)
    rating: Mapped[int] = mapped_column(Integer)
    comments: Mapped[str | None] = mapped_column(Text)
    response: Mapped[str | None] = mapped_column(Text)
    amazon_order_id: Mapped[str | None] = mapped_column(String(40))
    rater_email: Mapped[str | None] = mapped_column(String(200))
