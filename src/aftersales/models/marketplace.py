"""Marketplaces table: static reference data seeded by the first migration."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base


class MarketplaceRow(Base):
    __tablename__ = "marketplaces"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    code: Mapped[str] = mapped_column(String(2), unique=True)
    country: Mapped[str] = mapped_column(String(60))
    domain: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    time_zone: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(10))
    region: Mapped[str] = mapped_column(String(2))
