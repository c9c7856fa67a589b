"""Alerts: per-store rules with thresholds, the alerts they raised, the channels that carry
them (e-mail, chat webhooks) and every delivery attempt."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base
from aftersales.db.types import JSONType, UTCDateTime
from aftersales.models._facts import BigId


class AlertRuleKind(StrEnum):
    SKU_RETURN_RATE = "sku_return_rate"  # a SKU's recent return rate far above its baseline
    UNSELLABLE_PER_DAY = "unsellable_per_day"  # many unsellable units returned on one day
    REASON_CLUSTER = "reason_cluster"  # one SKU, one reason, several units in a few days
    CLAIMS_EXPIRING = "claims_expiring"  # candidate claims whose filing window closes soon
    REPLENISH_ORDER_NOW = "replenish_order_now"  # listings newly in the "order now" band
    STOCKOUT_SOON = "stockout_soon"  # listings newly projected to run out within N days


class ChannelKind(StrEnum):
    EMAIL = "email"
    SLACK = "slack"
    DINGTALK = "dingtalk"
    FEISHU = "feishu"  # also Lark: the same webhook format
    WECOM = "wecom"


class DeliveryStatus(StrEnum):
    SENT = "sent"
    FAILED = "failed"


class AlertRule(Base):
    """One rule of a store; its thresholds live in ``params`` (defaults: alert_defaults.json)."""

    __tablename__ = "alert_rules"
    __table_args__ = (UniqueConstraint("store_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    enabled: Mapped[bool] = mapped_column(Boolean)
    params: Mapped[dict[str, Any]] = mapped_column(JSONType)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # What the last evaluation saw, for rules that alert on what is new since then
    # (the replenishment rules keep the listings in their state here).
    state: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)


class Alert(Base):
    """One raised alert; ``key`` names the condition (and its day) so it is raised once."""

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("store_id", "kind", "key"),
        Index("ix_alerts_store_read_created", "store_id", "read_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(300))
    # English text, as raised; ``text`` keeps the catalog templates and values so that the
    # alert is shown and sent in the reader's language (NULL: raised before migration 0014).
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    text: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    # The numbers that triggered it and the thresholds of the rule at the time.
    facts: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NotificationChannel(Base):
    """Where a store's alerts go: an e-mail address or a chat webhook URL."""

    __tablename__ = "notification_channels"
    __table_args__ = (Index("ix_notification_channels_store", "store_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(1000))
    enabled: Mapped[bool] = mapped_column(Boolean)
    # The language its messages are written in (a locale of kit/i18n.LOCALES).
    language: Mapped[str] = mapped_column(String(10), server_default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AlertDelivery(Base):
    """One attempt to send an alert to a channel; rows are only ever added."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (Index("ix_alert_deliveries_alert", "alert_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("notification_channels.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    error: Mapped[str | None] = mapped_column(Text)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime())
