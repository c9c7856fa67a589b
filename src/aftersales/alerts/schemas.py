"""Alerts, rules and channels as the API and pages show them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from aftersales.models import AlertRuleKind, ChannelKind


class AlertDeliveryOut(BaseModel):
    """The latest attempt to one channel."""

    channel_id: int
    status: str
    error: str | None
    attempted_at: datetime
    attempts: int = 1
    # While every attempt has failed: when the next one is due (None: no more retries).
    next_retry_at: datetime | None = None


class Alert(BaseModel):
    id: int
    store_id: int
    store_name: str
    kind: AlertRuleKind
    key: str
    title: str
    body: str
    facts: dict[str, Any]
    created_at: datetime
    read_at: datetime | None
    deliveries: list[AlertDeliveryOut] = Field(default_factory=list)


class AlertList(BaseModel):
    items: list[Alert]
    unread: int


class CheckResult(BaseModel):
    created: int = 0


class AlertRule(BaseModel):
    store_id: int
    kind: AlertRuleKind
    enabled: bool
    params: dict[str, Any]
    # False: the store still uses the default and has never saved this rule.
    saved: bool
    updated_at: datetime | None


class AlertRuleUpdate(BaseModel):
    enabled: bool = True
    params: dict[str, Any] = Field(default_factory=dict)


class NotificationChannel(BaseModel):
    id: int
    store_id: int
    kind: ChannelKind
    target: str
    enabled: bool
    language: str
    created_at: datetime


class NotificationChannelCreate(BaseModel):
    store_id: int = Field(ge=1)
    kind: ChannelKind
    target: str = Field(min_length=3, max_length=1000)
    enabled: bool = True
    language: str = Field(default="en", max_length=10)


class NotificationChannelUpdate(BaseModel):
    """Only the fields given change."""

    target: str | None = Field(default=None, min_length=3, max_length=1000)
    enabled: bool | None = None
    language: str | None = Field(default=None, max_length=10)


class ChannelTest(BaseModel):
    status: str
    error: str | None
